/**
 * The notification decision against DynamoDB (dynalite, in process): many concurrent
 * invocations for one customer never take more than the cap, redeliveries of one moment send
 * once, and the version condition of DynamoNotifyStore's NOTIFY write behaves as the in-memory store's.
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { CHANNELS, type Channel } from '../../shared/contracts/enriched';
import { decideAndSend, type DecideDeps } from '../../shared/notify/decide';
import { DynamoNotifyStore } from '../../shared/adapters/dynamo-notify-store';
import { customerPk, SK, TABLE_KEYS } from '../../shared/store/keys';
import { capPeriodsOf } from '../../shared/guardrails/caps';
import { capCounts } from '../../shared/guardrails/reservations';
import { decisionKeyOf, decodeNotifyItem } from '../../shared/notify/notify-item';
import { config, CUSTOMER, keyOf, moment, momentIdOf, NOW, profile } from '../fixtures/notify';
import { RecordingChannel, RecordingPublisher } from '../fixtures/notify-doubles';
import { startDynaliteTable, type DynaliteTable } from '../fixtures/dynalite-table';

let db: DynaliteTable;
let store: DynamoNotifyStore;

beforeAll(async () => {
  db = await startDynaliteTable();
  store = new DynamoNotifyStore(db.clients.doc, db.table);
});
afterAll(async () => db.stop());

async function putProfile(customerKey: string) {
  await db.clients.doc.send(
    new PutCommand({
      TableName: db.table,
      Item: { pk: customerPk(customerKey), sk: SK.profile, ...profile({ customerKey }) },
    }),
  );
}

/** The customer's NOTIFY item, decoded, and its cap slots on 2026-11-24 and in its week. */
async function notifyOf(customerKey: string) {
  const item = decodeNotifyItem((await partition(customerKey)).find((i) => i[TABLE_KEYS.sortKey] === SK.notify));
  const slots = capCounts(item.reservations, capPeriodsOf({ year: 2026, month: 11, day: 24 }), '');
  return { item, day: slots.day, week: slots.week };
}

async function partition(customerKey: string) {
  const res = await db.clients.doc.send(
    new QueryCommand({ TableName: db.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': customerPk(customerKey) }, ConsistentRead: true }),
  );
  return res.Items ?? [];
}

function depsFor(adapter: RecordingChannel, publisher: RecordingPublisher, perDay: number, perWeek: number): DecideDeps {
  const cfg = config();
  cfg.guardrails.caps = { perDay, perWeek };
  cfg.guardrails.cooldownMinutes = { know: 0, go: 0, do: 0, buy: 0, 'life-event': 0 };
  return { config: cfg, store, adapter, publisher, now: () => NOW };
}

describe('notify against dynalite', () => {
  it('40 concurrent invocations for one customer across channels send exactly the daily cap', async () => {
    const customer = keyOf('caps-concurrency');
    await putProfile(customer);
    const adapters = new Map(CHANNELS.map((c) => [c, new RecordingChannel(c)]));
    const publisher = new RecordingPublisher();
    const runs = Array.from({ length: 40 }, (_, i) => {
      const channel = CHANNELS[i % CHANNELS.length] as Channel;
      const m = moment({ customerKey: customer, momentId: momentIdOf(`conc${i}`) });
      return decideAndSend(m, channel, depsFor(adapters.get(channel) as RecordingChannel, publisher, 3, 10));
    });
    const outcomes = await Promise.all(runs);
    const sent = outcomes.filter((o) => o.status === 'sent').length;
    expect(sent).toBe(3);
    expect([...adapters.values()].reduce((a, c) => a + c.sent.length, 0)).toBe(3);
    expect(outcomes.filter((o) => o.status === 'suppressed' && o.reason === 'DAILY_CAP')).toHaveLength(37);

    const items = await partition(customer);
    const n = await notifyOf(customer);
    expect([n.day, n.week]).toEqual([3, 3]);
    // The slots are held by the three notifications that were sent.
    const sentKeys = outcomes.filter((o) => o.status === 'sent').map((o) => decisionKeyOf(o.notificationId));
    expect([...(n.item.reservations.capDays.get('2026-11-24') ?? [])].sort()).toEqual(sentKeys.sort());
    expect(n.item.decisions.size).toBe(40);
    expect(items.filter((i) => String(i[TABLE_KEYS.sortKey]).startsWith('N#'))).toHaveLength(40);
    expect(publisher.events).toHaveLength(40);
  });

  it('the week cap refuses and gives the day slot back, under concurrency', async () => {
    const customer = keyOf('week-cap');
    await putProfile(customer);
    const adapter = new RecordingChannel('push');
    const outcomes = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        decideAndSend(moment({ customerKey: customer, momentId: momentIdOf(`week${i}`) }), 'push', depsFor(adapter, new RecordingPublisher(), 5, 2)),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'sent')).toHaveLength(2);
    // A notification the week refused holds no day slot either.
    const n = await notifyOf(customer);
    expect([n.day, n.week]).toEqual([2, 2]);
  });

  it('concurrent redeliveries of one moment send it once; after the lease one finishes the record, then it is done', async () => {
    const customer = keyOf('redelivery');
    await putProfile(customer);
    const adapter = new RecordingChannel('webhook');
    const publisher = new RecordingPublisher();
    const m = moment({ customerKey: customer, momentId: momentIdOf('redelivered') });
    const settled = await Promise.allSettled(Array.from({ length: 8 }, () => decideAndSend(m, 'webhook', depsFor(adapter, publisher, 3, 10))));
    expect(adapter.sent).toHaveLength(1);
    // The others either found it done or were told to retry (another invocation held the lease).
    for (const s of settled) {
      if (s.status === 'rejected') expect((s.reason as Error).name).toBe('DecisionInProgressError');
      else expect(['sent', 'duplicate']).toContain(s.value.status);
    }
    // After the lease: the record is finished once (the event again, an exact copy), then nothing.
    const later = (ms: number): DecideDeps => ({ ...depsFor(adapter, publisher, 3, 10), now: () => new Date(NOW.getTime() + ms) });
    expect(await decideAndSend(m, 'webhook', later(120_000))).toMatchObject({ status: 'sent', attempts: 0 });
    expect(await decideAndSend(m, 'webhook', later(180_000))).toMatchObject({ status: 'duplicate' });
    expect(adapter.sent).toHaveLength(1);
    expect(publisher.events).toHaveLength(2);
    expect(JSON.stringify(publisher.events[1].detail)).toBe(JSON.stringify(publisher.events[0].detail));
  });

  it('a send that failed after its reservations is retried with the same slot and sent once', async () => {
    const customer = keyOf('retry-after-failure');
    await putProfile(customer);
    const adapter = new RecordingChannel('push');
    adapter.script.push('unavailable');
    const m = moment({ customerKey: customer, momentId: momentIdOf('retry') });
    await expect(decideAndSend(m, 'push', depsFor(adapter, new RecordingPublisher(), 1, 10))).rejects.toThrow('not delivered');
    const out = await decideAndSend(m, 'push', depsFor(adapter, new RecordingPublisher(), 1, 10));
    expect(out.status).toBe('sent');
    const n = await notifyOf(customer);
    expect(n.day).toBe(1);
    expect([...n.item.decisions.values()]).toMatchObject([{ state: 'pending', attempt: 2 }]);
    expect((await partition(customer)).filter((i) => String(i[TABLE_KEYS.sortKey]).startsWith('N#'))).toHaveLength(1);
  });

  it('reads consent from the profile item now', async () => {
    const adapter = new RecordingChannel('push');
    const out = await decideAndSend(moment({ customerKey: keyOf('no-profile') }), 'push', depsFor(adapter, new RecordingPublisher(), 3, 10));
    expect(out).toMatchObject({ status: 'suppressed', reason: 'NO_CHANNEL_CONSENT' });
    expect((await store.getCustomer(CUSTOMER)).profile).toBeUndefined();
  });
});
