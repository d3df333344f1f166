/**
 * What one notification decision costs in DynamoDB requests (issue 12), counted by the adapter's
 * RequestCounter against dynalite: a send in the common path (fresh customer, no retry) and a
 * suppression by a guardrail, each for a decision nothing else touches.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { decideAndSend, type DecideDeps } from '../../shared/notify/decide';
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

test('a send in the common path: one Query (profile + tombstone), the claim, the reservations, the markers and the audit', async () => {
  const customerKey = await customerWithProfile('requests-send');
  const adapter = new RecordingChannel('push');
  let outcome: unknown;
  const requests = await requestsOf(async () => {
    outcome = await decideAndSend(moment({ customerKey, momentId: momentIdOf('requests-send') }), 'push', deps(adapter));
  });
  expect(outcome).toMatchObject({ status: 'sent' });
  expect(adapter.sent).toHaveLength(1);
  // Query: PROFILE + TOMBSTONE. UpdateItem: claim, day cap, week cap, cooldown, marker sent, marker done. PutItem: audit.
  expect(requests).toEqual({ 'dynamodb.Query': 1, 'dynamodb.UpdateItem': 6, 'dynamodb.PutItem': 1 });
});

test('a suppression in the cooldown costs the read, the claim, the caps taken and given back, the audit and the marker', async () => {
  const customerKey = await customerWithProfile('requests-cooldown');
  const adapter = new RecordingChannel('push');
  await decideAndSend(moment({ customerKey, momentId: momentIdOf('requests-first') }), 'push', deps(adapter));
  let outcome: unknown;
  const requests = await requestsOf(async () => {
    outcome = await decideAndSend(moment({ customerKey, momentId: momentIdOf('requests-second') }), 'push', deps(adapter));
  });
  expect(outcome).toMatchObject({ status: 'suppressed', reason: 'COOLDOWN' });
  expect(adapter.sent).toHaveLength(1);
  // UpdateItem: claim, day cap, week cap, cooldown (refused), week and day caps given back, marker done.
  expect(requests).toEqual({ 'dynamodb.Query': 1, 'dynamodb.UpdateItem': 7, 'dynamodb.PutItem': 1 });
});

test('a redelivery of a decided moment: the read and the refused claim with its check', async () => {
  const customerKey = await customerWithProfile('requests-redelivery');
  const adapter = new RecordingChannel('push');
  const m = moment({ customerKey, momentId: momentIdOf('requests-redelivery') });
  await decideAndSend(m, 'push', deps(adapter));
  let outcome: unknown;
  const requests = await requestsOf(async () => {
    outcome = await decideAndSend(m, 'push', deps(adapter));
  });
  expect(outcome).toMatchObject({ status: 'duplicate' });
  expect(requests).toEqual({ 'dynamodb.Query': 1, 'dynamodb.UpdateItem': 1, 'dynamodb.GetItem': 1 });
});
