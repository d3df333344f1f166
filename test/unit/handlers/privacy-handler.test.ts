/**
 * The privacy handler's own logic against a mocked DynamoDB: direct access and erasure by user id
 * (the key derived with the pepper), `Access Requested` exported to the export sink,
 * `Erasure Requested` announced as `Customer Erased`, clear errors for bad requests, and logs
 * and events that carry the customer key only, never the user id.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createPrivacyHandler, type PrivacyResponse } from '../../../functions/privacy/handler';
import type { Runtime } from '../../../shared/adapters/runtime';
import { StaticSecrets } from '../../../shared/secrets';
import { customerKeyOf, legacyCustomerKeyOf } from '../../../shared/enrich/pseudonymise';
import { invocationContext, testRuntime } from '../../fixtures/lambda-kit';
import type { ExportSink } from '../../../shared/privacy/export-sink';
import { customerPk } from '../../../shared/store/keys';
import { validateCustomerErased } from '../../../shared/contracts/validate';
import { config, moment, NOW, profile } from '../../fixtures/notify';
import { RecordingPublisher } from '../../fixtures/notify-doubles';
import { captureOutput } from '../../fixtures/capture-output';

const dynamo = mockClient(DynamoDBDocumentClient);
const PEPPER = 'privacy-handler-pepper';
const USER_ID = 'bob@example.com';
const KEY = customerKeyOf(PEPPER, 'user', USER_ID);
const LEGACY_KEY = legacyCustomerKeyOf(PEPPER, USER_ID);
const PHONE = '+44 7700 900123';

class MemorySink implements ExportSink {
  readonly puts: { key: string; body: string }[] = [];
  async put(key: string, body: string) {
    this.puts.push({ key, body });
    return { location: `s3://exports/${key}` };
  }
}

const runtime = (publisher: RecordingPublisher): Runtime =>
  testRuntime({ config: config(), publisher, secrets: new StaticSecrets({ pepper: PEPPER }), now: () => NOW });

/** The context of one invocation (its deadline starts now). */
const context = () => invocationContext('micro-moments-test-privacy');

const items = () => [
  { pk: customerPk(KEY), sk: 'PROFILE', ...profile({ customerKey: KEY, externalId: PHONE }) },
  { pk: customerPk(KEY), sk: 'STATE', kind: 'state', state: { customerKey: KEY } },
  { pk: customerPk(KEY), sk: `M#${NOW.toISOString()}#m1`, kind: 'moment', ...moment({ customerKey: KEY }) },
  { pk: customerPk(KEY), sk: `N#${NOW.toISOString()}#n1`, kind: 'notification', outcome: 'suppressed', reason: 'QUIET_HOURS' },
];

let output: string[] = [];
beforeEach(() => {
  dynamo.reset();
  // Two pages, to check paging is followed.
  dynamo
    .on(QueryCommand)
    .resolvesOnce({ Items: items().slice(0, 2), LastEvaluatedKey: { pk: customerPk(KEY), sk: 'STATE' } })
    .resolvesOnce({ Items: items().slice(2) })
    .resolves({ Items: [] });
  dynamo.on(BatchWriteCommand).resolves({});
  output = captureOutput();
});
afterEach(() => jest.restoreAllMocks());

function assertNoIdentifiers(publisher: RecordingPublisher) {
  const everything = output.join('') + JSON.stringify(publisher.events);
  for (const raw of [USER_ID, PHONE, '51.5136']) expect(everything).not.toContain(raw);
}

describe('privacy handler', () => {
  it('direct access by user id returns the whole document of that key, queried by that partition only', async () => {
    const publisher = new RecordingPublisher();
    const res = (await createPrivacyHandler(runtime(publisher), { exports: new MemorySink() })({ action: 'access', userId: USER_ID, requestId: 'a-1' }, context())) as Extract<PrivacyResponse, { document: unknown }>;
    expect(res.document.customerKey).toBe(KEY);
    expect(res.document.profile).toMatchObject({ externalId: PHONE });
    expect(res.document.moments[0].reasons).toEqual(moment().reasons);
    expect(res.document.notifications[0]).toMatchObject({ reason: 'QUIET_HOURS' });
    const queries = dynamo.commandCalls(QueryCommand).map((c) => c.args[0].input);
    // The customer's partition (two pages), then the same id's pre-0.2 partition (empty here: left out).
    expect(queries.map((q) => q.ExpressionAttributeValues)).toEqual([{ ':pk': customerPk(KEY) }, { ':pk': customerPk(KEY) }, { ':pk': customerPk(LEGACY_KEY) }]);
    expect(res.document.legacy).toBeUndefined();
    expect(output.join('')).toContain('access document returned');
    expect(output.join('')).toContain(KEY);
    assertNoIdentifiers(publisher);
  });

  it('Erasure Requested leaves a tombstone first, deletes every item, sweeps again, publishes a valid Customer Erased', async () => {
    const publisher = new RecordingPublisher();
    const order: string[] = [];
    dynamo.on(PutCommand).callsFake(() => order.push('tombstone'));
    dynamo.on(BatchWriteCommand).callsFake(() => order.push('delete'));
    const res = await createPrivacyHandler(runtime(publisher), { settleMs: 1 })(
      { 'detail-type': 'Erasure Requested', source: 'micro-moments', detail: { version: 1, requestId: 'er-1', customerKey: KEY } },
      context(),
    );
    expect(res).toMatchObject({ action: 'erase', itemsDeleted: 4, byKind: { profile: 1, state: 1, moments: 1, notifications: 1 }, quarantine: [] });
    expect(order[0]).toBe('tombstone');
    const tombstone = dynamo.commandCalls(PutCommand)[0].args[0].input;
    expect(tombstone.Item).toEqual({ pk: customerPk(KEY), sk: 'TOMBSTONE', kind: 'tombstone', customerKey: KEY, erasedAt: NOW.toISOString(), expiresAt: Math.floor(NOW.getTime() / 1000) + 31 * 86400 });
    // Two pages, a pass that finds nothing, and the sweep after the settle time.
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(4);
    const deletes = dynamo.commandCalls(BatchWriteCommand).flatMap((c) => c.args[0].input.RequestItems?.customers ?? []);
    expect(deletes.map((d) => d.DeleteRequest?.Key?.sk)).toEqual(['PROFILE', 'STATE', `M#${NOW.toISOString()}#m1`, `N#${NOW.toISOString()}#n1`]);
    expect(publisher.events).toHaveLength(1);
    expect(validateCustomerErased(publisher.events[0].detail).ok).toBe(true);
    expect(publisher.events[0].detail).toMatchObject({ customerKey: KEY, requestId: 'er-1', itemsDeleted: 4 });
    assertNoIdentifiers(publisher);
  });

  it('Access Requested writes the document to exports/<requestId>.json', async () => {
    const sink = new MemorySink();
    const publisher = new RecordingPublisher();
    const res = await createPrivacyHandler(runtime(publisher), { exports: sink })(
      { 'detail-type': 'Access Requested', source: 'micro-moments', detail: { version: 1, requestId: 'ac-9', customerKey: KEY } },
      context(),
    );
    expect(res).toMatchObject({ action: 'access', exportedTo: 's3://exports/exports/ac-9.json', counts: { profile: 1, moments: 1 } });
    expect(sink.puts).toHaveLength(1);
    expect(sink.puts[0].key).toBe('exports/ac-9.json');
    expect(JSON.parse(sink.puts[0].body).customerKey).toBe(KEY);
    assertNoIdentifiers(publisher);
  });

  it('refuses bad requests with an error naming the field, never echoing a user id', async () => {
    const handler = createPrivacyHandler(runtime(new RecordingPublisher()));
    await expect(handler({ action: 'export' as 'access', userId: USER_ID }, context())).rejects.toThrow('action');
    await expect(handler({ action: 'erase' }, context())).rejects.toThrow('userId, anonymousId or customerKey: exactly one');
    await expect(handler({ action: 'erase', customerKey: 'XYZ' }, context())).rejects.toThrow('customerKey: must be 64');
    await expect(handler({ action: 'erase', userId: USER_ID, requestId: 'a b' }, context())).rejects.toThrow('requestId');
    // The bus names customers by key: a raw id in an event is refused, not used.
    await expect(
      handler({ 'detail-type': 'Erasure Requested', detail: { version: 1, requestId: 'x', customerKey: USER_ID } }, context()),
    ).rejects.toThrow('customerKey');
    await expect(handler({ 'detail-type': 'Moment Detected', detail: {} }, context())).rejects.toThrow('detail-type');
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(0);
    expect(output.join('')).not.toContain(USER_ID);
  });
});
