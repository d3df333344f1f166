/**
 * The enrich handler's own logic against mocked AWS clients: what is put, retried, quarantined,
 * reported, and what reaches the logs.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { KinesisStreamEvent } from 'aws-lambda';
import { createEnrichHandler } from '../../../functions/enrich/handler';
import type { Runtime } from '../../../shared/adapters/runtime';
import { StaticSecrets } from '../../../shared/secrets';
import { invocationContext, kinesisEvent, testRuntime } from '../../fixtures/lambda-kit';
import { validateEnrichedSignal } from '../../../shared/contracts';
import { CONSENT_ALL, NOW, signal, type Json } from '../enrich/fixtures';
import { captureOutput } from '../../fixtures/capture-output';
import { customerKeyOf } from '../../../shared/enrich/pseudonymise';

const PEPPER = 'handler-pepper';
const FAST = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 };
const key = (id: string, identity: 'user' | 'anonymous' = 'user') => customerKeyOf(PEPPER, identity, id);

const kinesis = mockClient(KinesisClient);
const sqs = mockClient(SQSClient);
const dynamo = mockClient(DynamoDBDocumentClient);

// The quarantine is the runtime's own: SQS on this URL, mocked, with the same short retries.
const runtime = (): Runtime =>
  testRuntime({
    resources: { quarantineQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/q' },
    publisher: { publish: async () => undefined },
    secrets: new StaticSecrets({ pepper: PEPPER }),
    now: () => NOW,
    retry: FAST,
  });

/** One Kinesis event of these signals (a string is sent as is: a malformed record), as arrived at NOW. */
const event = (values: (Json | string)[]): KinesisStreamEvent =>
  kinesisEvent(
    values.map((v) => ({ data: typeof v === 'string' ? v : JSON.stringify(v), partitionKey: typeof v === 'string' ? 'raw' : String(v.userId ?? v.anonymousId) })),
    { arrivedAtMs: NOW.getTime() },
  );
const context = () => invocationContext('micro-moments-test-enrich');

let output: string[] = [];
beforeEach(() => {
  kinesis.reset();
  sqs.reset();
  dynamo.reset();
  dynamo.on(BatchGetCommand).resolves({ Responses: { customers: [] } });
  dynamo.on(BatchWriteCommand).resolves({});
  kinesis.on(PutRecordsCommand).callsFake((input: { Records: unknown[] }) => ({ FailedRecordCount: 0, Records: input.Records.map((_, i) => ({ SequenceNumber: String(i), ShardId: 's' })) }));
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  output = captureOutput();
});
afterEach(() => jest.restoreAllMocks());

const putCalls = () => kinesis.commandCalls(PutRecordsCommand).map((c) => c.args[0].input);
const logLines = () => output.join('').split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
const seqOf = (e: KinesisStreamEvent, i: number) => e.Records[i].kinesis.sequenceNumber;

const RAW = ['user-secret-1', 'anon-secret-2', 'bob@example.com', '+44 7700 900123', '203.0.113.77', '51.5145', '-0.134'];
function rawSignals(): Json[] {
  const ctx = { consent: CONSENT_ALL, timezone: 'Europe/London', ip: '203.0.113.77', location: { latitude: 51.5145, longitude: -0.134 } };
  return [
    signal({ userId: 'user-secret-1', context: ctx, traits: { email: 'bob@example.com', phone: '+44 7700 900123' } }),
    signal({ userId: undefined, anonymousId: 'anon-secret-2', context: ctx }),
    signal({ type: 'identify', event: undefined, userId: 'user-secret-1', traits: { email: 'bob@example.com', phone: '+44 7700 900123' }, context: ctx }),
  ];
}

describe('enrich handler', () => {
  it('puts enriched records keyed by customer, quarantines bad ones in one call, reports nothing', async () => {
    const e = event([...rawSignals(), '{"userId":"user-secret-1" oops', signal({ userId: 'user-secret-1', properties: { query: 'pregnancy test' } })]);
    const res = await createEnrichHandler(runtime())(e, context());
    expect(res).toEqual({ batchItemFailures: [] });

    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(1);
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(1);
    const puts = putCalls();
    // One record per customer per call keeps each customer's order whatever entries fail.
    expect(puts.map((p) => p.StreamName)).toEqual(['enriched', 'enriched']);
    expect(puts.map((p) => p.Records?.map((r) => r.PartitionKey))).toEqual([[key('user-secret-1'), key('anon-secret-2', 'anonymous')], [key('user-secret-1')]]);
    for (const r of puts.flatMap((p) => p.Records ?? [])) {
      const text = Buffer.from(r.Data as Uint8Array).toString('utf8');
      expect(validateEnrichedSignal(JSON.parse(text)).ok).toBe(true);
      for (const raw of RAW) expect(text).not.toContain(raw);
    }

    const sent = sqs.commandCalls(SendMessageBatchCommand);
    expect(sent).toHaveLength(1);
    expect(sent[0].args[0].input.Entries).toHaveLength(1);
    expect(JSON.parse(sent[0].args[0].input.Entries?.[0].MessageBody ?? '{}')).toMatchObject({ code: 'invalid-json', stage: 'enrich', source: { stream: 'micro-moments-test-signals', sequenceNumber: seqOf(e, 3), shardId: 'shardId-000000000000' } });

    const lines = logLines();
    const batch = lines.find((l) => l.message === 'batch enriched');
    expect(batch).toMatchObject({ in: 5, enriched: 3, quarantined: 1, dropped: 1, droppedByPolicy: { duplicate: 0, sensitive: 1, 'no-consent': 0 } });
    expect(lines.find((l) => l.message === 'record quarantined')).toMatchObject({ code: 'invalid-json', sequenceNumber: seqOf(e, 3) });
    const all = output.join('');
    expect(all).toContain('"SignalsDropped"');
    expect(all).toContain('"policy":"sensitive"');
    // The quarantine by reason code, beside the total.
    const byCode = output.map((o) => JSON.parse(o) as Record<string, unknown>).find((m) => m.code === 'invalid-json' && m.SignalsQuarantined !== undefined);
    expect(byCode).toMatchObject({ SignalsQuarantined: 1 });
    for (const raw of RAW) expect(all).not.toContain(raw);
    expect(all).not.toContain('pregnancy');
  });

  it('retries only the failed PutRecords entry, and reports nothing once it succeeds', async () => {
    kinesis
      .on(PutRecordsCommand)
      .resolvesOnce({ FailedRecordCount: 1, Records: [{ SequenceNumber: '1', ShardId: 's' }, { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded' }, { SequenceNumber: '3', ShardId: 's' }] })
      .resolves({ FailedRecordCount: 0, Records: [{ SequenceNumber: '4', ShardId: 's' }] });
    const e = event([signal({ userId: 'a' }), signal({ userId: 'b' }), signal({ userId: 'c' })]);
    const res = await createEnrichHandler(runtime())(e, context());
    expect(res).toEqual({ batchItemFailures: [] });
    const puts = putCalls();
    expect(puts).toHaveLength(2);
    expect(puts[1].Records?.map((r) => r.PartitionKey)).toEqual([key('b')]);
    const emf = output.join('').split('\n').find((l) => l.includes('"EntriesRetried"'));
    expect(emf && JSON.parse(emf).EntriesRetried).toBe(1);
  });

  it('reports a record whose enriched write still fails after retries, once', async () => {
    kinesis.on(PutRecordsCommand).callsFake((input: { Records: { PartitionKey: string }[] }) => {
      const failing = input.Records.filter((r) => r.PartitionKey === key('b')).length;
      return {
        FailedRecordCount: failing,
        Records: input.Records.map((r) => (r.PartitionKey === key('b') ? { ErrorCode: 'InternalFailure', ErrorMessage: 'x' } : { SequenceNumber: '1', ShardId: 's' })),
      };
    });
    const e = event([signal({ userId: 'a' }), signal({ userId: 'b' }), signal({ userId: 'c' })]);
    const res = await createEnrichHandler(runtime())(e, context());
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: seqOf(e, 1) }] });
    const puts = putCalls();
    expect(puts).toHaveLength(FAST.maxAttempts);
    expect(puts.slice(1).every((p) => p.Records?.length === 1 && p.Records[0].PartitionKey === key('b'))).toBe(true);
  });

  it('retries DynamoDB UnprocessedKeys and uses the profile it gets', async () => {
    const k = key('returning');
    const profile = { pk: `C#${k}`, sk: 'PROFILE', customerKey: k, consent: { personalization: true, email: true }, consentUpdatedAt: '2026-11-01T00:00:00.000Z', updatedAt: '2026-11-01T00:00:00.000Z' };
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { customers: [] }, UnprocessedKeys: { customers: { Keys: [{ pk: `C#${k}`, sk: 'PROFILE' }] } } })
      .resolves({ Responses: { customers: [profile] } });
    const e = event([signal({ userId: 'returning', context: { timezone: 'Europe/London' } })]);
    const res = await createEnrichHandler(runtime())(e, context());
    expect(res).toEqual({ batchItemFailures: [] });
    const gets = dynamo.commandCalls(BatchGetCommand);
    expect(gets).toHaveLength(2);
    expect(gets[1].args[0].input.RequestItems?.customers.Keys).toEqual([{ pk: `C#${k}`, sk: 'PROFILE' }]);
    const put = putCalls()[0].Records?.[0];
    expect(JSON.parse(Buffer.from(put?.Data as Uint8Array).toString()).consent).toEqual({ personalization: true, channels: ['email'], locationOffers: false });
    expect(dynamo.commandCalls(BatchWriteCommand)).toHaveLength(0);
  });

  it('writes changed profiles with one BatchWriteItem, keyed and with a TTL', async () => {
    await createEnrichHandler(runtime())(event([signal({ userId: 'a' }), signal({ userId: 'b' })]), context());
    const writes = dynamo.commandCalls(BatchWriteCommand);
    expect(writes).toHaveLength(1);
    const items = writes[0].args[0].input.RequestItems?.customers.map((r) => r.PutRequest?.Item) ?? [];
    expect(items.map((i) => i?.pk).sort()).toEqual([`C#${key('a')}`, `C#${key('b')}`].sort());
    expect(items[0]).toMatchObject({ sk: 'PROFILE', expiresAt: Math.floor(NOW.getTime() / 1000) + 365 * 86400 });
  });

  it('reports the records the quarantine could not take', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }] });
    const e = event([signal({ userId: 'a' }), 'garbage', signal({ userId: 'b' })]);
    const res = await createEnrichHandler(runtime())(e, context());
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: seqOf(e, 1) }] });
    expect(putCalls()[0].Records).toHaveLength(2);
  });

  it('throws when a dependency is down, so Lambda retries the batch', async () => {
    dynamo.on(BatchGetCommand).rejects(new Error('ServiceUnavailable'));
    await expect(createEnrichHandler(runtime())(event([signal()]), context())).rejects.toThrow('ServiceUnavailable');
    expect(putCalls()).toHaveLength(0);
  });

  it('answers an empty batch without calling anything', async () => {
    expect(await createEnrichHandler(runtime())({ Records: [] }, context())).toEqual({ batchItemFailures: [] });
    expect(putCalls()).toHaveLength(0);
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(0);
  });
});
