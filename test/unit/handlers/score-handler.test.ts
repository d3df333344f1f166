/**
 * The score handler's own logic against mocked AWS clients: what is read, written, published,
 * retried, quarantined and reported. Behaviour against a real table is in
 * test/integration/score-dynalite.test.ts.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { EventBridgeClient, PutEventsCommand, type PutEventsCommandInput } from '@aws-sdk/client-eventbridge';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, PutCommand, type BatchWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { createScoreHandler } from '../../../functions/score/handler';
import { defaultConfig } from '../../../shared/config/defaults';
import { scoreCustomer } from '../../../shared/scoring/score-customer';
import { at, enriched, KEY, OTHER_KEY } from '../scoring/builders';
import { FAST, kinesisEvent, scoreContext, RecordingQuarantine, scoreRuntime } from './score-fixtures';
import { captureOutput } from '../../fixtures/capture-output';

const dynamo = mockClient(DynamoDBDocumentClient);
const events = mockClient(EventBridgeClient);

let logs: string[] = [];
beforeEach(() => {
  dynamo.reset();
  events.reset();
  logs = captureOutput();
});
afterEach(() => jest.restoreAllMocks());

const coffee = (customerKey: string, minutes: number, messageId: string) =>
  enriched({
    customerKey,
    messageId,
    event: 'Products Searched',
    timestamp: at(minutes),
    features: { query: 'coffee near me' },
    context: { deviceClass: 'mobile', daypart: 'morning' },
  });

function setup() {
  const quarantine = new RecordingQuarantine();
  // EventBridge and the DynamoDB stores as deployed (mocked clients), with short entry retries.
  const rt = scoreRuntime({ quarantine, publisher: undefined, retry: FAST });
  const handler = createScoreHandler(rt);
  return { rt, handler, quarantine };
}

const putEventsEntries = () =>
  events.commandCalls(PutEventsCommand).map((c) => (c.args[0].input as PutEventsCommandInput).Entries!.map((e) => JSON.parse(e.Detail!).trigger.messageId));
const stateWrites = () =>
  dynamo.commandCalls(BatchWriteCommand).map((c) =>
    (c.args[0].input as BatchWriteCommandInput).RequestItems!.customers.map((r) => (r.PutRequest!.Item as { pk: string }).pk),
  );

function okDynamo() {
  dynamo.on(BatchGetCommand).resolves({ Responses: { customers: [] } });
  dynamo.on(PutCommand).resolves({});
  dynamo.on(BatchWriteCommand).resolves({});
}
function okEvents() {
  events.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => ({ FailedEntryCount: 0, Entries: input.Entries!.map((_, i) => ({ EventId: `e${i}` })) }));
}

describe('score handler', () => {
  it('reads all states in one BatchGetItem (the profiles and tombstones in one more, consistent), writes moments conditionally, publishes, then writes the states in one BatchWriteItem', async () => {
    okDynamo();
    okEvents();
    const { handler } = setup();
    const res = await handler(kinesisEvent([coffee(KEY, 0, 'a1'), coffee(OTHER_KEY, 0, 'b1'), enriched({ customerKey: KEY, event: 'Page Viewed', timestamp: at(1) })]), scoreContext());
    expect(res).toEqual({ batchItemFailures: [] });
    const reads = dynamo.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems!.customers);
    expect(reads).toHaveLength(2);
    expect(reads[0].Keys).toEqual([
      { pk: `C#${KEY}`, sk: 'STATE' },
      { pk: `C#${OTHER_KEY}`, sk: 'STATE' },
    ]);
    expect(reads[1]).toEqual({
      Keys: [
        { pk: `C#${KEY}`, sk: 'PROFILE' },
        { pk: `C#${KEY}`, sk: 'TOMBSTONE' },
        { pk: `C#${OTHER_KEY}`, sk: 'PROFILE' },
        { pk: `C#${OTHER_KEY}`, sk: 'TOMBSTONE' },
      ],
      ConsistentRead: true,
    });
    const puts = dynamo.commandCalls(PutCommand).map((c) => c.args[0].input);
    expect(puts).toHaveLength(2);
    for (const p of puts) {
      expect(p.ConditionExpression).toBe('attribute_not_exists(#pk)');
      expect(String(p.Item!.sk)).toMatch(/^M#2026-11-23T08:00:00.000Z#[0-9a-f]{32}$/);
      expect(p.Item!.expiresAt).toBe(Math.floor(Date.parse(at(0)) / 1000) + 30 * 86400);
    }
    expect(putEventsEntries()).toEqual([['a1', 'b1']]);
    const detail = JSON.parse((events.commandCalls(PutEventsCommand)[0].args[0].input as PutEventsCommandInput).Entries![0].Detail!);
    expect(detail).toMatchObject({ intent: 'go', customerKey: KEY });
    expect(stateWrites()).toEqual([[`C#${KEY}`, `C#${OTHER_KEY}`]]);
  });

  it('quarantines an invalid enriched record with its reason and scores the rest', async () => {
    okDynamo();
    okEvents();
    const { handler, quarantine } = setup();
    const bad = { ...coffee(KEY, 0, 'bad'), customerKey: 'not-a-key' };
    const res = await handler(kinesisEvent(['{not json', bad as never, coffee(OTHER_KEY, 0, 'ok')]), scoreContext());
    expect(res).toEqual({ batchItemFailures: [] });
    expect(quarantine.entries.map((e) => [e.code, e.stage])).toEqual([
      ['invalid-json', 'score'],
      ['schema', 'score'],
    ]);
    expect(quarantine.entries[1].reason).toBe('EnrichedSignal.customerKey: must match pattern "^[0-9a-f]{64}$" (pattern)');
    expect(Buffer.from(quarantine.entries[0].payloadBase64, 'base64').toString()).toBe('{not json');
    // As enrich records it: the stream by name (what redrive and the producer take), and a reason that quotes nothing.
    expect(quarantine.entries[0].source.stream).toBe('micro-moments-test-enriched');
    expect(quarantine.entries[0].reason).toBe('EnrichedSignal: record is not JSON (syntax error at position 1) (json)');
    expect(putEventsEntries()).toEqual([['ok']]);
    // The log says which record and why in a code, never the payload.
    expect(logs.join('')).not.toContain('{not json');
  });

  it('retries only the state items DynamoDB left unprocessed', async () => {
    okDynamo();
    okEvents();
    let call = 0;
    dynamo.on(BatchWriteCommand).callsFake((input: BatchWriteCommandInput) => {
      call++;
      const items = input.RequestItems!.customers;
      return call === 1 ? { UnprocessedItems: { customers: [items[1]] } } : {};
    });
    const { handler, rt } = setup();
    const res = await handler(kinesisEvent([coffee(KEY, 0, 'a1'), coffee(OTHER_KEY, 0, 'b1')]), scoreContext());
    expect(res).toEqual({ batchItemFailures: [] });
    expect(stateWrites()).toEqual([[`C#${KEY}`, `C#${OTHER_KEY}`], [`C#${OTHER_KEY}`]]);
    expect(rt.counter.get('dynamodb.retriedItems')).toBe(1);
  });

  it('reports the records of a customer whose state stays unprocessed, once', async () => {
    okDynamo();
    okEvents();
    dynamo.on(BatchWriteCommand).callsFake((input: BatchWriteCommandInput) => ({
      UnprocessedItems: { customers: input.RequestItems!.customers.filter((r) => (r.PutRequest!.Item as { pk: string }).pk === `C#${OTHER_KEY}`) },
    }));
    const { handler } = setup();
    const batch = kinesisEvent([coffee(KEY, 0, 'a1'), coffee(OTHER_KEY, 0, 'b1'), coffee(OTHER_KEY, 1, 'b2')]);
    const res = await handler(batch, scoreContext());
    // The whole chunk of 25 is unconfirmed, so both customers are reported; the lowest record stands for all.
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: batch.Records[0].kinesis.sequenceNumber }]);
  });

  it('retries only the failed PutEvents entries', async () => {
    okDynamo();
    let call = 0;
    events.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => {
      call++;
      const entries = input.Entries!;
      return call === 1
        ? { FailedEntryCount: 1, Entries: [{ EventId: 'e0' }, { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }] }
        : { FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: 'e' })) };
    });
    const { handler, rt } = setup();
    const res = await handler(kinesisEvent([coffee(KEY, 0, 'a1'), coffee(OTHER_KEY, 0, 'b1')]), scoreContext());
    expect(res).toEqual({ batchItemFailures: [] });
    expect(putEventsEntries()).toEqual([['a1', 'b1'], ['b1']]);
    expect(rt.counter.get('eventbridge.retriedEntries')).toBe(1);
    expect(stateWrites()).toEqual([[`C#${KEY}`, `C#${OTHER_KEY}`]]);
  });

  it('reports the records of a customer whose moment cannot be published, does not write its state, and reports nothing twice', async () => {
    okDynamo();
    events.on(PutEventsCommand).callsFake((input: PutEventsCommandInput) => {
      const entries = input.Entries!;
      const results = entries.map((e) => (JSON.parse(e.Detail!).customerKey === OTHER_KEY ? { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' } : { EventId: 'e' }));
      return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
    });
    const { handler } = setup();
    const batch = kinesisEvent([coffee(KEY, 0, 'a1'), coffee(OTHER_KEY, 0, 'b1'), enriched({ customerKey: OTHER_KEY, event: 'Page Viewed', timestamp: at(1) }), coffee(KEY, 200, 'a2')]);
    const res = await handler(batch, scoreContext());
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: batch.Records[1].kinesis.sequenceNumber }]);
    // Grouped by customer; first call all, then only b1, as many times as the policy allows.
    expect(putEventsEntries()).toEqual([['a1', 'a2', 'b1'], ['b1'], ['b1']]);
    expect(stateWrites()).toEqual([[`C#${KEY}`]]);
  });

  it('treats a moment already written as written, and publishes it again (the earlier delivery may have stopped before publishing)', async () => {
    okDynamo();
    okEvents();
    dynamo.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    const { handler } = setup();
    const res = await handler(kinesisEvent([coffee(KEY, 0, 'a1')]), scoreContext());
    expect(res).toEqual({ batchItemFailures: [] });
    expect(putEventsEntries()).toEqual([['a1']]);
    expect(stateWrites()).toEqual([[`C#${KEY}`]]);
  });

  it('does not publish nor commit a customer whose moment write fails', async () => {
    okDynamo();
    okEvents();
    dynamo.on(PutCommand).callsFake((input: { Item: { pk: string } }) => {
      if (input.Item.pk === `C#${OTHER_KEY}`) throw Object.assign(new Error('boom'), { name: 'InternalServerError' });
      return {};
    });
    const { handler } = setup();
    const batch = kinesisEvent([coffee(KEY, 0, 'a1'), coffee(OTHER_KEY, 0, 'b1')]);
    const res = await handler(batch, scoreContext());
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: batch.Records[1].kinesis.sequenceNumber }]);
    expect(putEventsEntries()).toEqual([['a1']]);
    expect(stateWrites()).toEqual([[`C#${KEY}`]]);
  });

  it('does nothing for a redelivered batch: no moment written or published, no state written', async () => {
    const signals = [coffee(KEY, 0, 'a1'), coffee(KEY, 1, 'a2')];
    const { state } = scoreCustomer(undefined, signals, defaultConfig.scoring);
    dynamo.on(BatchGetCommand).resolves({ Responses: { customers: [{ pk: `C#${KEY}`, sk: 'STATE', state }] } });
    okEvents();
    const { handler } = setup();
    const res = await handler(kinesisEvent(signals), scoreContext());
    expect(res).toEqual({ batchItemFailures: [] });
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
    expect(events.commandCalls(PutEventsCommand)).toHaveLength(0);
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(0);
  });

  it('reports the batch from its first record when the states cannot be read', async () => {
    dynamo.on(BatchGetCommand).callsFake((input: { RequestItems: { customers: { Keys: unknown[] } } }) => ({
      Responses: { customers: [] },
      UnprocessedKeys: { customers: { Keys: input.RequestItems.customers.Keys } },
    }));
    const { handler } = setup();
    const batch = kinesisEvent(['{bad', coffee(KEY, 0, 'a1'), coffee(OTHER_KEY, 0, 'b1')]);
    const res = await handler(batch, scoreContext());
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: batch.Records[1].kinesis.sequenceNumber }]);
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('logs customer keys and message ids, never raw identifiers', async () => {
    okDynamo();
    okEvents();
    const { handler } = setup();
    await handler(kinesisEvent([coffee(KEY, 0, 'a1')]), scoreContext());
    const text = logs.join('');
    expect(text).toContain('moment detected');
    expect(text).toContain(KEY);
    expect(text).not.toMatch(/"(userId|anonymousId|email|latitude|longitude)"/);
  });
});
