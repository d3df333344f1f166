/**
 * The naive baseline of the benchmark does the same scoring work as the project's score handler:
 * over the same enriched batches (on dynalite, one table each) it opens the same moments and
 * leaves the same states; it only talks to DynamoDB once or twice per record.
 */
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createScoreHandler } from '../../../functions/score/handler';
import { createNaiveScoreHandler } from '../../../bench/baseline';
import { enrichedRecords, type KinesisHandler } from '../../../bench/harness';
import { chunks, kinesisEvent, WORKLOADS } from '../../../bench/workload';
import type { MomentDetectedDetail } from '../../../shared/contracts/events';
import { startDynaliteTable, type DynaliteTable } from '../../fixtures/dynalite-table';
import { scoreContext, RecordingPublisher, scoreRuntime } from '../handlers/score-fixtures';
import { momentOfItem } from '../../../shared/store/moment-codec';

let project: DynaliteTable;
let naive: DynaliteTable;

beforeAll(async () => {
  [project, naive] = await Promise.all([startDynaliteTable('bench-project'), startDynaliteTable('bench-naive')]);
});
afterAll(async () => {
  await Promise.all([project.stop(), naive.stop()]);
});
beforeEach(() => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => jest.restoreAllMocks());

const runtimeOn = (t: DynaliteTable, publisher: RecordingPublisher) =>
  scoreRuntime({ publisher, resources: { table: t.table }, clientOptions: { region: 'us-east-1', endpoints: { dynamodb: t.endpoint }, credentials: { accessKeyId: 'l', secretAccessKey: 'l' } } });

async function states(t: DynaliteTable) {
  const res = await t.clients.doc.send(new ScanCommand({ TableName: t.table, FilterExpression: 'sk = :s', ExpressionAttributeValues: { ':s': 'STATE' } }));
  return new Map((res.Items ?? []).map((i) => [String(i.pk), i.state]));
}

describe('naive baseline handler', () => {
  it('opens the same moments and leaves the same states as the score handler, one GetItem and PutItem per record', async () => {
    // A burst: several signals of each customer in a batch, so per-record and per-customer handling differ.
    const records = await enrichedRecords(WORKLOADS.burst, 300, 42);
    const batches = chunks(records, 100);
    const projectBus = new RecordingPublisher();
    const naiveBus = new RecordingPublisher();
    const projectRt = runtimeOn(project, projectBus);
    const naiveRt = runtimeOn(naive, naiveBus);
    const projectHandler: KinesisHandler = createScoreHandler(projectRt);
    const naiveHandler = createNaiveScoreHandler(naiveRt);

    for (const b of batches) {
      expect(await projectHandler(kinesisEvent(b, 'enriched'), scoreContext())).toEqual({ batchItemFailures: [] });
      expect(await naiveHandler(kinesisEvent(b, 'enriched'))).toEqual({ batchItemFailures: [] });
    }

    const ids = (bus: RecordingPublisher) => bus.events.map((e) => (e.detail as MomentDetectedDetail).momentId).sort();
    expect(ids(projectBus).length).toBeGreaterThan(0);
    expect(ids(naiveBus)).toEqual(ids(projectBus));

    const projectStates = await states(project);
    const naiveStates = await states(naive);
    expect(projectStates.size).toBeGreaterThan(10);
    expect(new Map([...naiveStates].map(([k, v]) => [k, JSON.stringify(v)]))).toEqual(new Map([...projectStates].map(([k, v]) => [k, JSON.stringify(v)])));

    // One GetItem per record; one state PutItem per record that changes the state (most do:
    // a record that carries no evidence writes nothing), one PutItem per moment.
    const moments = naiveBus.events.length;
    expect(naiveRt.counter.get('dynamodb.GetItem')).toBe(records.length);
    expect(naiveRt.counter.get('dynamodb.PutItem')).toBeLessThanOrEqual(records.length + moments);
    expect(naiveRt.counter.get('dynamodb.PutItem')).toBeGreaterThan(records.length / 2 + moments);
    // The project reads each batch's states in one call, and its customers' profiles and tombstones
    // (erasures and revocations since enrichment; the naive handler does not check) in one per 50
    // customers; it writes the states 25 at a time. The enriched stream is partitioned by customer key.
    const guardReads = batches.reduce((n, b) => n + Math.ceil((2 * new Set(b.map((r) => r.partitionKey)).size) / 100), 0);
    expect(projectRt.counter.get('dynamodb.BatchGetItem')).toBe(batches.length + guardReads);
    expect(projectRt.counter.total('dynamodb.')).toBeLessThan(naiveRt.counter.total('dynamodb.') / 3);

    // And its moments are in the table, as the project's are.
    const someMoment = naiveBus.events[0].detail as MomentDetectedDetail;
    const stored = await naive.clients.doc.send(
      new QueryCommand({ TableName: naive.table, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :m)', ExpressionAttributeValues: { ':pk': `C#${someMoment.customerKey}`, ':m': 'M#' } }),
    );
    expect((stored.Items ?? []).map((i) => momentOfItem(i)?.momentId)).toContain(someMoment.momentId);
  });
});
