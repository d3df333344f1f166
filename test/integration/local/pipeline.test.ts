/**
 * Issue 5 item 6: the whole local pipeline (emulators, pollers, the deployed handlers, the bus)
 * fed by the journey simulator: counts add up; a record a handler throws on is retried and then
 * given up on while the others are processed once; a crash after the writes and before the
 * checkpoint redelivers, and the redelivery changes no state and sends nothing twice.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { Producer } from '../../../shared/adapters/kinesis-producer';
import { loadConfig } from '../../../shared/config';
import { createSimulator } from '../../../local/simulator';
import { LocalPipeline, eventPayloads, type PipelineOptions } from '../../../local/pipeline';
import { runFeed, type FeedRecord } from '../../../local/feed';
import { buildReport } from '../../../local/report';
import type { KinesisHandler } from '../../../local/poller';

const config = loadConfig({ stage: 'itest' });

function simulated(count: number, seed: number): FeedRecord[] {
  const out: FeedRecord[] = [];
  for (const r of createSimulator({ seed, customers: 30, ratePerSecond: 2000, durationSeconds: count / 2000, config })) {
    out.push({ at: r.at, partitionKey: r.partitionKey, data: r.record, ...(r.messageId ? { messageId: r.messageId } : {}) });
  }
  return out;
}

async function run(records: FeedRecord[], opts: PipelineOptions = {}): Promise<LocalPipeline> {
  const pipeline = await LocalPipeline.start({ config, pollIntervalMs: 25, retryDelayMs: 5, busRetryDelayMs: 5, ...opts });
  try {
    const producer = new Producer({
      kinesis: pipeline.emulators.clients.kinesis,
      streamName: pipeline.emulators.streams.signals.name,
      onPut: (id, at) => pipeline.stats.recordPut(id, at),
    });
    await runFeed(producer, records, { progress: pipeline.stats.feed });
    await pipeline.drain();
    return pipeline;
  } catch (err) {
    await pipeline.stop();
    throw err;
  }
}

async function scanTable(p: LocalPipeline) {
  const res = await p.emulators.clients.doc.send(new ScanCommand({ TableName: p.emulators.table }));
  return (res.Items ?? []).sort((a, b) => `${a.pk}${a.sk}`.localeCompare(`${b.pk}${b.sk}`));
}

test('a full run: every signal is enriched, quarantined or dropped by policy, and moments reach the notify handlers', async () => {
  const p = await run(simulated(400, 7));
  try {
    const r = buildReport(p);
    const c = r.counts;
    expect(c.put).toBe(400);
    expect(c.enrich.in).toBe(400);
    expect(c.enrich.enriched + c.enrich.quarantined + Object.values(c.enrich.droppedByPolicy).reduce((a, b) => a + b, 0)).toBe(400);
    expect(c.addsUp).toBe(true);
    expect(c.enrich.enriched).toBeGreaterThan(0);
    expect(c.enrich.quarantined).toBeGreaterThan(0);
    expect(c.enrich.droppedByPolicy.sensitive).toBeGreaterThan(0);
    expect(p.quarantine.length).toBe(c.enrich.quarantined);
    expect(p.onFailure.enrich.length + p.onFailure.score.length).toBe(0);
    // Moments: on the bus and in the table, with latencies measured from the put.
    expect(r.moments.length).toBeGreaterThan(0);
    const items = await scanTable(p);
    expect(items.filter((i) => String(i.sk).startsWith('M#'))).toHaveLength(r.moments.length);
    expect(r.latencyMs.putToMoment.samples).toBe(r.moments.length);
    // Every rule match became exactly one decision, sent or suppressed, and a sent webhook arrived signed.
    const matched = Object.values(p.bus.stats.matchedByRule).reduce((a, b) => a + b, 0);
    expect(r.notifications).toHaveLength(matched);
    expect(c.webhook.received).toBe(c.notificationsSent.webhook ?? 0);
    expect(c.webhook.badSignatures).toBe(0);
    expect(c.notifyFailures).toBe(0);
    expect(JSON.stringify(r)).not.toMatch(/"userId"|"anonymousId"|"email"/);
  } finally {
    await p.stop();
  }
});

test('a handler that throws on one record mid-batch: that record is retried, then reaches the on-failure destination; the others are processed once', async () => {
  const records = simulated(120, 11);
  const poisonIndex = records.findIndex((r, i) => i > 40 && r.messageId !== undefined);
  const poison = records[poisonIndex].messageId as string;
  const passedOn = new Map<string, number>();
  let poisonCalls = 0;
  const wrap = (inner: KinesisHandler): KinesisHandler => async (event, context) => {
    const ids = eventPayloads(event).map((r) => (r.json as { messageId?: string } | undefined)?.messageId);
    if (ids.includes(poison)) {
      if (ids.length === 1) poisonCalls++;
      throw new Error('cannot handle this record');
    }
    for (const id of ids) if (id) passedOn.set(id, (passedOn.get(id) ?? 0) + 1);
    return inner(event, context);
  };
  const p = await run(records, { wrap: { enrich: wrap }, eventSources: { enrich: { retryAttempts: 1 } } });
  try {
    expect(poisonCalls).toBe(2); // alone: the first try and one retry
    expect(p.onFailure.enrich.messages).toHaveLength(1);
    const info = p.onFailure.enrich.messages[0].KinesisBatchInfo;
    expect(info.batchSize).toBe(1);
    expect(info.startSequenceNumber).toBe(info.endSequenceNumber);
    expect(info.streamArn).toBe(p.emulators.streams.signals.arn);
    expect(p.emulators.streams.signals.shardIds).toContain(info.shardId);
    expect(passedOn.has(poison)).toBe(false);
    for (const r of records) if (r.messageId && r.messageId !== poison) expect(passedOn.get(r.messageId)).toBe(1);
    const c = buildReport(p).counts;
    expect(c.enrich.onFailureRecords).toBe(1);
    expect(c.addsUp).toBe(true);
  } finally {
    await p.stop();
  }
});

test('a crash after the writes and before the checkpoint: the redelivery changes no state and sends no second notification', async () => {
  const crashedAt = new Set<string>();
  /** The shard whose next batch is a redelivery, and the sequence numbers that crashed there. */
  let checkShard: string | undefined;
  let crashedSeqs = new Set<string>();
  const snapshots: { before: unknown; after: unknown }[] = [];
  let pipelineRef: LocalPipeline | undefined;
  const wrap = (inner: KinesisHandler): KinesisHandler => async (event, context) => {
    const shardId = event.Records[0]?.eventID.split(':')[0];
    if (!pipelineRef || shardId !== checkShard) return inner(event, context);
    checkShard = undefined;
    // The redelivered batch: its customers' items before and after it must be the same (other
    // shards hold other customers, and may write meanwhile).
    // The redelivery may also carry records that arrived since: customers with such records are left out.
    const payloads = eventPayloads(event).map((r) => ({ seq: r.sequenceNumber, pk: `C#${(r.json as { customerKey: string }).customerKey}` }));
    const fresh = new Set(payloads.filter((r) => !crashedSeqs.has(r.seq)).map((r) => r.pk));
    const keys = new Set(payloads.filter((r) => crashedSeqs.has(r.seq) && !fresh.has(r.pk)).map((r) => r.pk));
    // PROFILE items are enrich's, which goes on with later signals of the same customers meanwhile.
    const items = async () => (await scanTable(pipelineRef as LocalPipeline)).filter((i) => keys.has(String(i.pk)) && i.sk !== 'PROFILE');
    await pipelineRef.bus.idle();
    const before = await items();
    const out = await inner(event, context);
    await pipelineRef.bus.idle();
    if (keys.size > 0) snapshots.push({ before, after: await items() });
    return out;
  };
  const p = await LocalPipeline.start({
    config,
    pollIntervalMs: 25,
    retryDelayMs: 5,
    wrap: { score: wrap },
    faults: {
      score: {
        // Every batch dies once, after the handler has written state, moments and decisions.
        crashBeforeCheckpoint: ({ shardId, records }) => {
          const first = records[0].sequenceNumber;
          if (crashedAt.has(first)) return false;
          crashedAt.add(first);
          checkShard = shardId;
          crashedSeqs = new Set(records.map((r) => r.sequenceNumber));
          return true;
        },
      },
    },
  });
  pipelineRef = p;
  try {
    const producer = new Producer({ kinesis: p.emulators.clients.kinesis, streamName: p.emulators.streams.signals.name });
    await runFeed(producer, simulated(200, 23), { progress: p.stats.feed });
    await p.drain();
    expect(p.mappings.score.stats.crashes).toBeGreaterThan(0);
    expect(p.mappings.score.stats.recordsRedelivered).toBeGreaterThan(0);
    expect(snapshots.length).toBeGreaterThan(0);
    for (const s of snapshots) {
      expect((s.before as unknown[]).length).toBeGreaterThan(0);
      expect(s.after).toEqual(s.before);
    }
    const r = buildReport(p);
    expect(r.moments.length).toBeGreaterThan(0);
    // One decision per moment and channel; nothing delivered twice.
    const decisions = r.notifications.map((n) => `${n.momentId}/${n.channel}`);
    expect(new Set(decisions).size).toBe(decisions.length);
    expect(p.webhook.duplicates).toBe(0);
    expect(p.webhook.received).toHaveLength(r.counts.notificationsSent.webhook ?? 0);
    const snsIds = [...p.sns.push.messages, ...p.sns.sms.messages].map((m) => m.notificationId);
    expect(new Set(snsIds).size).toBe(snsIds.length);
    expect(p.onFailure.score.length).toBe(0);
  } finally {
    await p.stop();
  }
});
