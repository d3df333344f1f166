/**
 * Issue 9, finding 4, through the whole local pipeline and the privacy CLI: an attacker whose
 * anonymousId equals a victim's userId (generated: emails, uuids, any string) sends consent
 * "all granted" and high-intent signals. The victim's consent, partition, STATE, access export and
 * notifications are untouched: the attacker is another customer (`anon:` key, docs/PRIVACY.md
 * "Identity"), and the attack still went through for that other customer. And the merge rule: an
 * identify that links an anonymous id to a user id moves nothing and widens no consent.
 */
import fc from 'fast-check';
import { loadConfig } from '../../../shared/config';
import { Producer } from '../../../shared/adapters/kinesis-producer';
import { customerKeyOf } from '../../../shared/enrich/pseudonymise';
import { DETAIL_TYPES } from '../../../shared/contracts/events';
import { customerPk } from '../../../shared/store/keys';
import { LocalPipeline } from '../../../local/pipeline';
import type { BusEvent } from '../../../local/bus';
import { main as privacyCli } from '../../../scripts/privacy';
import { scanTable, type TableItem } from '../../fixtures/faults/inspect';
import { middayZone, type Json } from '../../fixtures/identifier-signals';
import { emailArb } from '../../fixtures/identifiers';

const config = loadConfig({ stage: 'test' });
const pepper = config.localPepper;
let pipeline: LocalPipeline;
const events: BusEvent[] = [];

beforeAll(async () => {
  pipeline = await LocalPipeline.start({ config, captureHandlerOutput: true, pollIntervalMs: 20, retryDelayMs: 5, busRetryDelayMs: 5 });
  pipeline.bus.on('*', (e) => events.push(e));
});
afterAll(async () => pipeline?.stop());

const GRANT_ALL = { personalization: true, push: true, email: true, sms: true, webhook: true, locationOffers: true };
const VICTIM_CONSENT = { personalization: true, push: false, email: false, sms: false, webhook: false, locationOffers: false };

let n = 0;
function signal(who: { userId?: string; anonymousId?: string }, overrides: Json = {}, consent?: Record<string, boolean>): Json {
  n++;
  const now = Date.now();
  return {
    type: 'track',
    event: 'Directions Requested',
    messageId: `collision-${n}`,
    timestamp: new Date(now - 1000).toISOString(),
    ...who,
    properties: { query: 'directions near me' },
    context: { timezone: middayZone(now), device: { type: 'ios' }, ...(consent ? { consent: { categoryPreferences: consent } } : {}) },
    ...overrides,
  };
}

async function send(signals: Json[]): Promise<void> {
  const producer = new Producer({ kinesis: pipeline.emulators.clients.kinesis, streamName: pipeline.emulators.streams.signals.name });
  const result = await producer.sendRaw(signals.map((s, i) => ({ partitionKey: `p-${n}-${i}`, data: Buffer.from(JSON.stringify(s)) })));
  expect(result.failed).toEqual([]);
  await pipeline.drain();
}

async function partition(customerKey: string): Promise<TableItem[]> {
  return (await scanTable(pipeline.emulators.clients.doc, pipeline.emulators.table)).filter((i) => i.pk === customerPk(customerKey));
}

async function accessExport(flag: '--user-id' | '--anonymous-id', id: string): Promise<Record<string, unknown>> {
  const out: string[] = [];
  const err: string[] = [];
  // `--flag=value`: a generated id may start with "-", which `--flag value` cannot carry.
  const code = await privacyCli(['access', `${flag}=${id}`, '--endpoint-url', pipeline.emulators.endpoints.dynamodb, '--stage', 'test', '--table', pipeline.emulators.table], {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
  });
  expect([code, err.join('')]).toEqual([0, '']);
  return JSON.parse(out.join('')) as Record<string, unknown>;
}

const notificationsOf = (customerKey: string) =>
  events.filter((e) => (e['detail-type'] === DETAIL_TYPES.notificationSent || e['detail-type'] === DETAIL_TYPES.notificationSuppressed) && (e.detail as { customerKey: string }).customerKey === customerKey);
const deliveredTo = (customerKey: string) =>
  [...pipeline.delivered('webhook'), ...pipeline.delivered('push'), ...pipeline.delivered('sms')].filter((m) => m.customerKey === customerKey);

const victimIdArb = fc.oneof(emailArb, fc.uuid(), fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== ''));

test('an anonymousId equal to a victim\'s userId never changes the victim\'s consent, partition, access export or notifications', async () => {
  let attackerMoments = 0;
  await fc.assert(
    fc.asyncProperty(victimIdArb, async (id) => {
      const victimKey = customerKeyOf(pepper, 'user', id);
      const attackerKey = customerKeyOf(pepper, 'anonymous', id);
      // The victim: personalization only, no channel; one signal that opens nothing by itself.
      await send([signal({ userId: id }, { event: 'Product Viewed', properties: {} }, VICTIM_CONSENT)]);
      const before = await partition(victimKey);
      const profileBefore = before.find((i) => i.sk === 'PROFILE');
      expect(profileBefore).toMatchObject({ consent: VICTIM_CONSENT });

      // The attacker: the victim's user id as its anonymous id, every consent granted, intent enough for push and webhook.
      await send([
        signal({ anonymousId: id }, {}, GRANT_ALL),
        signal({ anonymousId: id }, { event: 'Review Read', properties: { query: 'best trail shoes reviews' } }, GRANT_ALL),
        signal({ anonymousId: id }, { type: 'identify', event: undefined, traits: { timezone: 'Europe/Paris' } }, GRANT_ALL),
      ]);

      const after = await partition(victimKey);
      expect(after).toEqual(before);
      expect(after.filter((i) => /^(M|N|DEC|CAP|COOL)#/.test(i.sk))).toEqual([]);
      expect(notificationsOf(victimKey)).toEqual([]);
      expect(deliveredTo(victimKey)).toEqual([]);
      const victimExport = await accessExport('--user-id', id);
      expect(victimExport).toMatchObject({ customerKey: victimKey, profile: { consent: VICTIM_CONSENT }, moments: [], notifications: [] });
      expect(victimExport.legacy).toBeUndefined();

      // The attack reached a customer of its own: the anonymous one.
      const attacker = await partition(attackerKey);
      expect(attacker.find((i) => i.sk === 'PROFILE')).toMatchObject({ consent: GRANT_ALL });
      attackerMoments += attacker.filter((i) => i.sk.startsWith('M#')).length;
      expect(await accessExport('--anonymous-id', id)).toMatchObject({ customerKey: attackerKey });
    }),
    { numRuns: 4 },
  );
  expect(attackerMoments).toBeGreaterThan(0);
});

test('merge rule: an identify linking an anonymous id to a user id moves nothing, and widens no consent', async () => {
  const anonymousId = `visitor-${Date.now()}`;
  const userId = `member-${Date.now()}`;
  const anonKey = customerKeyOf(pepper, 'anonymous', anonymousId);
  const userKey = customerKeyOf(pepper, 'user', userId);
  // While anonymous: everything granted, a go moment and its notification.
  await send([signal({ anonymousId }, {}, GRANT_ALL)]);
  const anonBefore = await partition(anonKey);
  expect(anonBefore.some((i) => i.sk.startsWith('M#'))).toBe(true);

  // Signing in: an identify with both ids and no consent of its own, then a signal as the user.
  await send([signal({ userId, anonymousId }, { type: 'identify', event: undefined, traits: {} })]);
  await send([signal({ userId, anonymousId })]);

  // Nothing moved from the anonymous partition, and the user has no consent the anonymous one gave.
  expect(await partition(anonKey)).toEqual(anonBefore);
  const user = await partition(userKey);
  expect(user.filter((i) => i.sk !== 'PROFILE')).toEqual([]);
  expect(user.find((i) => i.sk === 'PROFILE')?.consent ?? {}).not.toMatchObject({ personalization: true });
  expect(notificationsOf(userKey)).toEqual([]);
});
