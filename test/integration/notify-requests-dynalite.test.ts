/**
 * What one notification decision costs in DynamoDB requests (issue 12), counted by the adapter's
 * RequestCounter against dynalite: a send in the common path (fresh customer, no retry), a
 * suppression by a guardrail and redeliveries, each for a decision nothing else touches; and the
 * size of the NOTIFY item (one write unit while it stays under 1 KB).
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { decideAndSend, DecisionInProgressError, type DecideDeps } from '../../shared/notify/decide';
import { DynamoNotifyStore } from '../../shared/adapters/dynamo-notify-store';
import { RequestCounter } from '../../shared/adapters/request-counter';
import { customerPk, SK } from '../../shared/store/keys';
import { config, keyOf, moment, momentIdOf, NOW, profile } from '../fixtures/notify';
import { RecordingChannel, RecordingPublisher } from '../fixtures/notify-doubles';
import { startDynaliteTable, type DynaliteTable } from '../fixtures/dynalite-table';

let db: DynaliteTable;
const counter = new RequestCounter();

beforeAll(async () => {
  db = await startDynaliteTable();
});
afterAll(async () => db.stop());

async function customerWithProfile(name: string): Promise<string> {
  const customerKey = keyOf(name);
  await db.clients.doc.send(new PutCommand({ TableName: db.table, Item: { pk: customerPk(customerKey), sk: SK.profile, ...profile({ customerKey }) } }));
  return customerKey;
}

function deps(adapter: RecordingChannel): DecideDeps {
  return { config: config(), store: new DynamoNotifyStore(db.clients.doc, db.table, { counter }), adapter, publisher: new RecordingPublisher(), now: () => NOW };
}

async function requestsOf(run: () => Promise<unknown>): Promise<Record<string, number>> {
  counter.reset();
  await run();
  return counter.snapshot();
}

test('a send in the common path: one Query (profile, tombstone, NOTIFY), the NOTIFY write (claim and reservations), the audit put', async () => {
  const customerKey = await customerWithProfile('requests-send');
  const adapter = new RecordingChannel('push');
  let outcome: unknown;
  const requests = await requestsOf(async () => {
    outcome = await decideAndSend(moment({ customerKey, momentId: momentIdOf('requests-send') }), 'push', deps(adapter));
  });
  expect(outcome).toMatchObject({ status: 'sent' });
  expect(adapter.sent).toHaveLength(1);
  expect(requests).toEqual({ 'dynamodb.Query': 1, 'dynamodb.PutItem': 2 });
});

test('a suppression by the cooldown is decided on the read: no reservation taken and given back', async () => {
  const customerKey = await customerWithProfile('requests-cooldown');
  const adapter = new RecordingChannel('push');
  await decideAndSend(moment({ customerKey, momentId: momentIdOf('requests-first') }), 'push', deps(adapter));
  let outcome: unknown;
  const requests = await requestsOf(async () => {
    outcome = await decideAndSend(moment({ customerKey, momentId: momentIdOf('requests-second') }), 'push', deps(adapter));
  });
  expect(outcome).toMatchObject({ status: 'suppressed', reason: 'COOLDOWN' });
  expect(adapter.sent).toHaveLength(1);
  // Query; PutItem: NOTIFY (the claim), the audit.
  expect(requests).toEqual({ 'dynamodb.Query': 1, 'dynamodb.PutItem': 2 });
});

test('a redelivery of a decided moment: within the lease the read; after it the read, the audit item and the write that marks it done; then the read', async () => {
  const customerKey = await customerWithProfile('requests-redelivery');
  const adapter = new RecordingChannel('push');
  const publisher = new RecordingPublisher();
  const m = moment({ customerKey, momentId: momentIdOf('requests-redelivery') });
  const at = (ms: number): DecideDeps => ({ ...deps(adapter), publisher, now: () => new Date(NOW.getTime() + ms) });
  await decideAndSend(m, 'push', at(0));
  let outcome: unknown;
  // Within the lease (EventBridge's duplicate delivery a few seconds later): retried later, as the
  // invocation holding the lease may have failed between its audit put and its event.
  let requests = await requestsOf(async () => {
    await expect(decideAndSend(m, 'push', at(5_000))).rejects.toThrow(DecisionInProgressError);
  });
  expect(requests).toEqual({ 'dynamodb.Query': 1 });
  // After the lease: the event is published again (same notificationId) and the decision marked done.
  requests = await requestsOf(async () => {
    outcome = await decideAndSend(m, 'push', at(120_000));
  });
  expect(outcome).toMatchObject({ status: 'sent', attempts: 0 });
  expect(requests).toEqual({ 'dynamodb.Query': 1, 'dynamodb.GetItem': 1, 'dynamodb.PutItem': 1 });
  requests = await requestsOf(async () => {
    outcome = await decideAndSend(m, 'push', at(240_000));
  });
  expect(outcome).toMatchObject({ status: 'duplicate' });
  expect(requests).toEqual({ 'dynamodb.Query': 1 });
  expect(adapter.sent).toHaveLength(1);
  expect(new Set(publisher.events.map((e) => JSON.stringify(e.detail))).size).toBe(1);
});

/** DynamoDB's item size: attribute names plus values (strings in UTF-8, numbers about one byte per two digits). */
function itemBytes(item: Record<string, unknown>): number {
  let n = 0;
  for (const [k, v] of Object.entries(item)) {
    n += Buffer.byteLength(k);
    n += typeof v === 'number' ? Math.ceil(String(v).replace(/^-/, '').length / 2) + 1 : Buffer.byteLength(String(v));
  }
  return n;
}

test('the NOTIFY item stays under 1 KB through a busy week of decisions (sizes printed)', async () => {
  const customerKey = await customerWithProfile('requests-size');
  const channels = ['push', 'webhook', 'sms', 'email'] as const;
  const intents = ['know', 'go', 'do', 'buy'] as const;
  const sizes: number[] = [];
  // Eight decisions a day (one moment on two channels every three hours) for seven days.
  for (let i = 0; i < 7 * 8; i++) {
    const at = new Date(NOW.getTime() + i * 3 * 3_600_000);
    const channel = channels[i % channels.length] as (typeof channels)[number];
    const m = moment({
      customerKey,
      momentId: momentIdOf(`size${Math.floor(i / 2)}`),
      intent: intents[Math.floor(i / 2) % intents.length],
      detectedAt: new Date(at.getTime() - 60_000).toISOString(),
      trigger: { ...moment().trigger, time: new Date(at.getTime() - 60_000).toISOString() },
    });
    const cfg = config();
    cfg.guardrails.quietHours = { start: '00:00', end: '00:00' };
    await decideAndSend(m, channel, { ...deps(new RecordingChannel(channel)), config: cfg, now: () => at });
    const res = await db.clients.doc.send(new GetCommand({ TableName: db.table, Key: { pk: customerPk(customerKey), sk: SK.notify }, ConsistentRead: true }));
    sizes.push(itemBytes(res.Item ?? {}));
  }
  const sorted = [...sizes].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  console.log(`NOTIFY item bytes over ${sizes.length} decisions: p50 ${q(0.5)}, p95 ${q(0.95)}, max ${sorted[sorted.length - 1]}`);
  expect(sorted[sorted.length - 1]).toBeLessThan(1024);
});
