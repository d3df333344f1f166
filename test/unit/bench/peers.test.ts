/**
 * The benchmark's peers of the score handler (bench/peers.ts) do the project's scoring work, each
 * in its own I/O shape, and the fault injector counts what each one loses: the AWS samples'
 * batched handler drops what BatchWriteItem answers as unprocessed, the project's handler does not.
 */
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createScoreHandler } from '../../../functions/score/handler';
import { enrichedRecords, type KinesisHandler } from '../../../bench/harness';
import { createPowertoolsScoreHandler, createSamplesScoreHandler, signalsLost, UnprocessedInjector } from '../../../bench/peers';
import { chunks, kinesisEvent, WORKLOADS } from '../../../bench/workload';
import type { MomentDetectedDetail } from '../../../shared/contracts/events';
import { customerPk, SK } from '../../../shared/store/keys';
import { stateOfItem } from '../../../shared/adapters/dynamo-state-store';
import { startDynaliteTable, type DynaliteTable } from '../../fixtures/dynalite-table';
import { FAST, RecordingPublisher, scoreContext, scoreRuntime } from '../handlers/score-fixtures';

let tables: DynaliteTable[];

beforeAll(async () => {
  tables = await Promise.all(['bench-project', 'bench-powertools', 'bench-samples'].map((t) => startDynaliteTable(t)));
});
afterAll(async () => {
  await Promise.all(tables.map((t) => t.stop()));
});
beforeEach(() => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => jest.restoreAllMocks());

const runtimeOn = (t: DynaliteTable, publisher: RecordingPublisher, retry = FAST) =>
  scoreRuntime({
    publisher,
    retry,
    resources: { table: t.table },
    clientOptions: { region: 'us-east-1', endpoints: { dynamodb: t.endpoint }, credentials: { accessKeyId: 'l', secretAccessKey: 'l' } },
  });

async function states(t: DynaliteTable): Promise<Map<string, string>> {
  const res = await t.clients.doc.send(new ScanCommand({ TableName: t.table, FilterExpression: 'sk = :s', ExpressionAttributeValues: { ':s': 'STATE' } }));
  return new Map((res.Items ?? []).map((i) => [String(i.pk), JSON.stringify(stateOfItem(i))]));
}

const momentIds = (bus: RecordingPublisher) => bus.events.map((e) => (e.detail as MomentDetectedDetail).momentId).sort();

describe('peers of the score handler', () => {
  it('the Powertools batch processor scores as the project does, one record at a time, and reports a record it cannot read', async () => {
    const [project, powertools] = tables;
    const records = await enrichedRecords(WORKLOADS.burst, 200, 7);
    const projectBus = new RecordingPublisher();
    const peerBus = new RecordingPublisher();
    const projectHandler: KinesisHandler = createScoreHandler(runtimeOn(project, projectBus));
    const peerRuntime = runtimeOn(powertools, peerBus);
    const peer = createPowertoolsScoreHandler(peerRuntime);
    for (const b of chunks(records, 100)) {
      await projectHandler(kinesisEvent(b, 'enriched'), scoreContext());
      expect(await peer(kinesisEvent(b, 'enriched'), scoreContext())).toEqual({ batchItemFailures: [] });
    }
    expect(momentIds(peerBus).length).toBeGreaterThan(0);
    expect(momentIds(peerBus)).toEqual(momentIds(projectBus));
    expect(await states(powertools)).toEqual(await states(project));
    expect(peerRuntime.counter.get('dynamodb.GetItem')).toBe(records.length);

    const bad = kinesisEvent([records[0], { data: Buffer.from('not json'), partitionKey: 'x' }], 'enriched');
    const response = await peer(bad, scoreContext());
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: bad.Records[1].kinesis.sequenceNumber }]);
  });

  it('under injected UnprocessedItems the AWS samples handler loses exactly the writes it was told of; the project loses none', async () => {
    const [project, , samples] = tables;
    const records = await enrichedRecords(WORKLOADS.simulator, 300, 11);
    const batches = chunks(records, 100);
    const samplesRuntime = runtimeOn(samples, new RecordingPublisher());
    // Enough attempts that no put stays unprocessed through all of them (0.2^10): what is retried is never lost.
    const projectRuntime = runtimeOn(project, new RecordingPublisher(), { ...FAST, maxAttempts: 10 });
    const samplesInjector = new UnprocessedInjector(0.2, 5);
    const projectInjector = new UnprocessedInjector(0.2, 5);
    samplesInjector.attach(samplesRuntime.clients.dynamo);
    projectInjector.attach(projectRuntime.clients.dynamo);
    const samplesHandler = createSamplesScoreHandler(samplesRuntime);
    const projectHandler: KinesisHandler = createScoreHandler(projectRuntime);

    const lost: string[] = [];
    const lostBy: string[][] = [];
    let lostSignals = 0;
    for (const b of batches) {
      expect(await samplesHandler(kinesisEvent(b, 'enriched'))).toEqual({ batchItemFailures: [] });
      const l = samplesInjector.takeLost();
      lost.push(...l);
      lostBy.push(l);
      lostSignals += signalsLost(l, b.map((r) => r.partitionKey));
      expect(await projectHandler(kinesisEvent(b, 'enriched'), scoreContext())).toEqual({ batchItemFailures: [] });
      expect(projectInjector.takeLost()).toEqual([]);
    }
    expect(projectInjector.injected).toBeGreaterThan(0);
    // 25 items a call: one BatchWriteItem per 25 writes, none sent again.
    expect(samplesRuntime.counter.get('dynamodb.BatchWriteItem')).toBeGreaterThan(0);
    expect(lost.length).toBe(samplesInjector.injected);
    expect(lost.length).toBeGreaterThan(0);
    expect(lostSignals).toBeGreaterThan(0);

    // A lost state of a customer who sent nothing later is not in the table (the tables were fresh).
    let checked = 0;
    for (const [i, l] of lostBy.entries()) {
      const later = new Set(batches.slice(i + 1).flatMap((b) => b.map((r) => customerPk(r.partitionKey))));
      for (const pk of l.filter((k) => k.endsWith(`|${SK.state}`)).map((k) => k.split('|')[0])) {
        if (later.has(pk)) continue;
        const got = await samples.clients.doc.send(new GetCommand({ TableName: samples.table, Key: { pk, sk: SK.state } }));
        expect(got.Item).toBeUndefined();
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
    // The project kept the state of every customer the samples' handler lost one of.
    const projectStates = await states(project);
    const lostCustomers = [...new Set(lost.filter((k) => k.endsWith(`|${SK.state}`)).map((k) => k.split('|')[0]))];
    expect(lostCustomers.filter((pk) => !projectStates.has(pk))).toEqual([]);
  });

  it('counts as lost the signals of the customers whose state write was lost, not those of a lost moment', () => {
    const lost = [`${customerPk('a')}|${SK.state}`, `${customerPk('b')}|M#2026-01-01T00:00:00.000Z#m1`];
    expect(signalsLost(lost, ['a', 'b', 'a', 'c'])).toBe(2);
    expect(signalsLost([], ['a'])).toBe(0);
  });
});
