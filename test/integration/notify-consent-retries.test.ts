/**
 * Issue 9, finding 6: consent is read again before every send attempt, the webhook's own retries
 * included. The real handlers on the emulators: enrich records a grant, notify decides a moment
 * and posts it to a real HTTP receiver that answers the first attempt 503; while that attempt is
 * in flight a revocation arrives (through enrich) or the customer is erased (through the privacy
 * handler). The second attempt must not happen.
 */
import { SK } from '../../shared/store/keys';
import { decodeNotifyItem } from '../../shared/notify/notify-item';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEnrichHandler } from '../../functions/enrich/handler';
import { createNotifyHandler, type MomentEvent } from '../../functions/notify/handler';
import { createPrivacyHandler } from '../../functions/privacy/handler';
import { loadConfig, type MicroMomentsConfig } from '../../shared/config';
import { customerKeyOf } from '../../shared/enrich/pseudonymise';
import { WebhookChannel } from '../../shared/notify/webhook-channel';
import { readTombstone } from '../../shared/adapters/dynamo-tombstones';
import { startEmulators, type Emulators } from '../../local/emulators';
import { moment, momentIdOf, NOW } from '../fixtures/notify';
import { RecordingPublisher } from '../fixtures/notify-doubles';
import { kinesisEventOf, rigContext, partitionOf, PEPPER, rigRuntime } from '../fixtures/privacy-rig';

let emu: Emulators;
let server: Server;
let url: string;
/** Runs while the receiver holds attempt n; then it answers. */
let during: (attempt: number) => Promise<number> = async () => 204;
let attempts = 0;

const config: MicroMomentsConfig = loadConfig({ stage: 'test' });
const clock = () => NOW;

beforeAll(async () => {
  emu = await startEmulators(config);
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      attempts++;
      during(attempts).then((status) => res.writeHead(status).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await emu.stop();
});
beforeEach(() => {
  attempts = 0;
});

const GRANT = { personalization: true, webhook: true, push: true };
const signalOf = (userId: string, messageId: string, at: Date, consent: Record<string, boolean>) => ({
  type: 'track',
  event: 'Store Locator Viewed',
  messageId,
  timestamp: at.toISOString(),
  userId,
  context: { timezone: 'Europe/London', consent: { categoryPreferences: consent } },
});

/** A customer who granted everything two minutes before NOW, through enrich: their key and that time. */
async function granted(enrich: ReturnType<typeof handlers>['enrich'], userId: string, messageId: string) {
  const t0 = NOW.getTime() - 120_000;
  await enrich(kinesisEventOf([{ signal: signalOf(userId, messageId, new Date(t0), GRANT), seq: 1, arrivedAtMs: t0 }]), rigContext());
  return { key: customerKeyOf(PEPPER, 'user', userId), t0 };
}

function handlers(publisher: RecordingPublisher) {
  const enrich = createEnrichHandler(rigRuntime(emu, config, clock, publisher));
  const webhook = new WebhookChannel({
    settings: { endpoint: url, timeoutMs: 2000, maxAttempts: 3 },
    secret: async () => 'rig-webhook-secret',
    backoff: { baseDelayMs: 5, maxDelayMs: 10 },
  });
  const notify = createNotifyHandler(rigRuntime(emu, config, clock, publisher, { channel: 'webhook', channels: { webhook } }));
  return { enrich, notify };
}

const momentEvent = (customerKey: string, name: string): MomentEvent =>
  ({ 'detail-type': 'Moment Detected', source: 'micro-moments', detail: moment({ customerKey, momentId: momentIdOf(name) }) }) as unknown as MomentEvent;

describe('a webhook delivery and its retries', () => {
  it('stops at the next attempt when consent is revoked while an attempt is in flight: suppressed NO_CHANNEL_CONSENT', async () => {
    const publisher = new RecordingPublisher();
    const { enrich, notify } = handlers(publisher);
    const userId = 'retries-revoked@example.com';
    const { key, t0 } = await granted(enrich, userId, 'grant-1');
    during = async (n) => {
      if (n === 1) {
        const revoke = signalOf(userId, 'revoke-1', new Date(t0 + 1000), { personalization: true, webhook: false, push: true });
        await enrich(kinesisEventOf([{ signal: revoke, seq: 2, arrivedAtMs: t0 + 1000 }]), rigContext());
        return 503;
      }
      return 204;
    };
    const outcome = await notify(momentEvent(key, 'revokedduringretry'), rigContext());
    expect(attempts).toBe(1);
    expect(outcome).toMatchObject({ status: 'suppressed', reason: 'NO_CHANNEL_CONSENT' });
    const audit = (await partitionOf(emu, key)).filter((i) => String(i.sk).startsWith('N#'));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ outcome: 'suppressed', reason: 'NO_CHANNEL_CONSENT' });
    expect(publisher.events.map((e) => [e.detailType, (e.detail as { reason?: string }).reason])).toEqual([['Notification Suppressed', 'NO_CHANNEL_CONSENT']]);
    // The slots it had reserved are given back.
    const item = decodeNotifyItem((await partitionOf(emu, key)).find((i) => i.sk === SK.notify));
    expect(item.decisions.size).toBe(1);
    expect(item.reservations.capDays.size).toBe(0);
    expect(item.reservations.cooldowns.size).toBe(0);
  });

  it('delivers on the retry when consent still holds (the guard is not a blanket refusal)', async () => {
    const publisher = new RecordingPublisher();
    const { enrich, notify } = handlers(publisher);
    const userId = 'retries-kept@example.com';
    const { key } = await granted(enrich, userId, 'grant-2');
    during = async (n) => (n === 1 ? 503 : 204);
    const outcome = await notify(momentEvent(key, 'keptduringretry'), rigContext());
    expect(attempts).toBe(2);
    expect(outcome).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('stops when the customer is erased while an attempt is in flight: nothing recorded or published, nothing left after the sweep', async () => {
    const publisher = new RecordingPublisher();
    const { enrich, notify } = handlers(publisher);
    const userId = 'retries-erased@example.com';
    const { key } = await granted(enrich, userId, 'grant-3');
    const privacy = createPrivacyHandler(rigRuntime(emu, config, () => new Date(NOW.getTime() + 1000), new RecordingPublisher()), { settleMs: 500 });
    let erasure: Promise<unknown> | undefined;
    during = async (n) => {
      if (n === 1) {
        erasure = privacy({ action: 'erase', userId, requestId: 'during-retry' }, rigContext());
        // The tombstone is the erasure's first write: wait for it, then fail this attempt.
        while (!(await readTombstone(emu.clients.doc, emu.table, key))) await new Promise((r) => setTimeout(r, 5));
        return 503;
      }
      return 204;
    };
    const outcome = await notify(momentEvent(key, 'erasedduringretry'), rigContext());
    expect(attempts).toBe(1);
    expect(outcome).toMatchObject({ status: 'erased' });
    expect(publisher.events).toEqual([]);
    await erasure;
    expect((await partitionOf(emu, key)).map((i) => i.sk)).toEqual(['TOMBSTONE']);
    // A redelivery of the moment (an EventBridge retry) is dropped before anything is written.
    expect(await notify(momentEvent(key, 'erasedduringretry'), rigContext())).toMatchObject({ status: 'erased' });
    expect(attempts).toBe(1);
    expect((await partitionOf(emu, key)).map((i) => i.sk)).toEqual(['TOMBSTONE']);
  });
});
