/**
 * `npm run bench`, section 3: end-to-end latency in local mode at a steady rate, measured as
 * `npm start` measures it (local/run-stats.ts): the producer's onPut hook records when each
 * PutRecords call returned; a `Moment Detected` seen on the local bus and a notification decision
 * (published by the notify handler once it has decided and sent) are timed from the put of the
 * signal that triggered the moment. One run per consumer mode (60 s of sending, 10 s quick):
 * shared throughput (a drained shard is read again after Lambda's poll interval) and enhanced
 * fan-out (each arrival pushed); the percentiles are over every signal of a run, not medians of
 * runs. From the push-mode run, bench/latency-model.ts estimates both modes in AWS.
 */
import { availableParallelism, loadavg } from 'node:os';
import { loadConfig } from '../shared/config';
import { Producer } from '../shared/adapters/kinesis-producer';
import { createSimulator } from '../local/simulator';
import { LocalPipeline } from '../local/pipeline';
import { runFeed, type FeedRecord } from '../local/feed';
import { DEFAULT_POLL_INTERVAL_MS } from '../local/poller';
import { CONSUMER_MODES, type ConsumerMode } from '../shared/config';
import { describeTimes, emptyTimes, timedHandler } from './latency-timing';
import { LATENCY_TARGETS, latencyRows, percentiles, targetNote } from './latency-summary';
import { AWS_DELIVERY, awsEstimate } from './latency-model';
import type { BenchRow, BenchSection, LatencyData } from './types';

export const LATENCY_RATE_PER_SECOND = 200;
export const LATENCY_SHARDS = 2;
const CUSTOMERS = 1000;
const SEED = 42;
// Long enough for a backlog built up on a loaded machine to clear, so the percentiles cover every signal.
const DRAIN_TIMEOUT_MS = 240_000;

export interface LatencyRun {
  data: LatencyData;
  rows: BenchRow[];
  notes: string[];
  momentLatencies: number[];
}

/** Both consumer modes (or the ones asked for), then the AWS estimates from the push-mode run. */
/** The work between the hops in AWS, from the cost model: billed duration per full batch (ms). */
export interface LambdaWork {
  enrichMs: number;
  scoreMs: number;
}

export async function runLatencyBench(opts: {
  quick: boolean;
  consumers?: readonly ConsumerMode[];
  /** When the cost section ran: the model's work per hop comes from it, not from local wall time. */
  lambdaWork?: LambdaWork;
  /** Signals per second (default LATENCY_RATE_PER_SECOND): lower shows delivery, not queueing, on a loaded machine. */
  ratePerSecond?: number;
  log?: (line: string) => void;
}): Promise<BenchSection<LatencyData[]>> {
  const runs: LatencyRun[] = [];
  for (const consumer of opts.consumers ?? CONSUMER_MODES) {
    opts.log?.(`latency: local mode, ${consumer} consumers`);
    runs.push(await measureLatency({ quick: opts.quick, consumer, ratePerSecond: opts.ratePerSecond ?? LATENCY_RATE_PER_SECOND }));
  }
  const rows = runs.flatMap((r) => r.rows);
  const notes = runs.flatMap((r) => r.notes.map((n) => `[${r.data.consumer}] ${n}`));
  const push = runs.find((r) => r.data.consumer === 'enhanced-fan-out');
  const work = opts.lambdaWork ? [opts.lambdaWork.enrichMs + opts.lambdaWork.scoreMs] : push?.momentLatencies;
  if (work && work.length > 0) {
    for (const mode of CONSUMER_MODES) {
      const p = awsEstimate(work, mode);
      rows.push({ consumer: mode, where: 'AWS (model)', path: 'put → Moment Detected', 'p50 ms': Math.round(p.p50), 'p95 ms': Math.round(p.p95), 'p99 ms': Math.round(p.p99), 'max ms': '-', samples: '-' });
    }
    const source = opts.lambdaWork
      ? `the work between the hops from the cost section of this run: enrich ${opts.lambdaWork.enrichMs} ms + score ${opts.lambdaWork.scoreMs} ms billed per full batch (measured CPU at Lambda's vCPU share, plus the modelled round trips of their AWS calls)`
      : 'the work between the hops from the local enhanced fan-out latencies (wall time of this machine: on a loaded machine mostly queueing; run with the cost section for the CPU-based figure)';
    notes.push(
      `AWS (model), bench/latency-model.ts: ${source}, plus, on each of the ${AWS_DELIVERY.hops} Kinesis hops, ` +
        `the documented delivery: shared, a wait uniform in [0, ${AWS_DELIVERY.sharedPollIntervalMs} ms) for Lambda's next read of the idle shard; enhanced fan-out, Kinesis's typical average of ${AWS_DELIVERY.enhancedFanOutAverageMs} ms ` +
        '(an average only: the delivery tail is not in the p99). README, "Consumer modes", cites the sources.',
    );
  } else {
    notes.push('AWS (model): not computed, it needs the cost section or the enhanced fan-out run.');
  }
  return {
    title: `End-to-end latency by consumer mode: local mode (${opts.ratePerSecond ?? LATENCY_RATE_PER_SECOND} signals/s, ${LATENCY_SHARDS} shards) and the AWS model`,
    rows,
    notes,
    data: runs.map((r) => r.data),
  };
}

export async function measureLatency(opts: { quick: boolean; consumer: ConsumerMode; ratePerSecond: number }): Promise<LatencyRun> {
  const durationSeconds = opts.quick ? 10 : 60;
  const config = loadConfig({ stage: 'local', overrides: { streams: { signals: { consumer: opts.consumer }, enriched: { consumer: opts.consumer } } } });
  // No data dir: quarantine and failures stay in memory, handler output is parsed and dropped.
  const times = { enrich: emptyTimes(), score: emptyTimes() };
  const loadBefore = loadavg()[0];
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const pipeline = await LocalPipeline.start({
    config,
    emulators: { onDemandShardCount: LATENCY_SHARDS, isolate: process.env.MM_BENCH_ISOLATE !== "0" },
    wrap: { enrich: (h) => timedHandler(h, times.enrich), score: (h) => timedHandler(h, times.score) },
  });
  const notes: string[] = [];
  let sendingSeconds = 0;
  try {
    const emu = pipeline.emulators;
    const producer = new Producer({
      kinesis: emu.clients.kinesis,
      streamName: emu.streams.signals.name,
      onPut: (messageId, atMs) => pipeline.stats.recordPut(messageId, atMs),
    });
    const records = (function* (): Generator<FeedRecord> {
      for (const r of createSimulator({ seed: SEED, customers: CUSTOMERS, ratePerSecond: opts.ratePerSecond, durationSeconds, config: pipeline.config })) {
        yield { at: r.at, partitionKey: r.partitionKey, data: r.record, ...(r.messageId ? { messageId: r.messageId } : {}) };
      }
    })();
    const started = Date.now();
    await runFeed(producer, records, { progress: pipeline.stats.feed });
    sendingSeconds = (Date.now() - started) / 1000;
    await pipeline.drain(DRAIN_TIMEOUT_MS).catch((e: Error) => notes.push(`NOT DRAINED within ${DRAIN_TIMEOUT_MS / 1000} s: ${e.message}`));
  } finally {
    await pipeline.stop();
  }

  const loadAfter = loadavg()[0];
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const wallSeconds = (performance.now() - wallBefore) / 1000;
  const s = pipeline.stats;
  const lag = { enrich: pipeline.mappings.enrich.stats.iteratorAgeMs, score: pipeline.mappings.score.stats.iteratorAgeMs };
  const shards = pipeline.emulators.streams.signals.shardIds.length;
  const data: LatencyData = {
    consumer: opts.consumer,
    ratePerSecond: opts.ratePerSecond,
    shards,
    durationSeconds,
    signalsSent: s.put,
    moments: s.moments.size,
    notifications: s.notifications.size,
    putToMomentMs: percentiles(s.momentLatencies),
    putToNotifyMs: percentiles(s.notifyLatencies),
  };
  const { sent, suppressed } = s.notificationsBy();
  const total = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
  const src = config.eventSources;
  const delivery =
    opts.consumer === 'shared'
      ? `shared: a drained shard is read again after ${DEFAULT_POLL_INTERVAL_MS} ms (Lambda reads an idle shard about once a second)`
      : 'enhanced fan-out: a drained shard is read again as soon as a record arrives on its stream (pushed)';
  return {
    momentLatencies: [...s.momentLatencies],
    rows: latencyRows(data, { moment: s.momentLatencies.length, notify: s.notifyLatencies.length }),
    notes: [
      targetNote(data.putToMomentMs.p99, LATENCY_TARGETS.momentIssue6),
      targetNote(data.putToMomentMs.p99, LATENCY_TARGETS.momentIssue12),
      targetNote(data.putToNotifyMs.p99, LATENCY_TARGETS.notifyIssue12),
      `One run of ${durationSeconds} s of sending (the journey simulator's mix, ${CUSTOMERS} customers, seed ${SEED}): ` +
        `${s.put} signals put${s.putFailed ? ` (${s.putFailed} failed)` : ''} in ${sendingSeconds.toFixed(1)} s (${(s.put / Math.max(sendingSeconds, 0.001)).toFixed(0)}/s), ` +
        `${data.moments} moments, ${data.notifications} notification decisions (${total(sent)} sent, ${total(suppressed)} suppressed). ` +
        'Percentiles (nearest rank) and max are over every moment and decision of that run, not medians of several runs.',
      `Poller settings (they dominate the figure): enrich batchSize ${src.enrich.batchSize}, batching window ${src.enrich.maxBatchingWindowSeconds} s; ` +
        `score batchSize ${src.score.batchSize}, batching window ${src.score.maxBatchingWindowSeconds} s; ` +
        `${delivery}; one batch at a time per shard (no parallelization factor); ` +
        'the feed writes what is due every 100 ms in one PutRecords call.',
      'put = when the PutRecords call that carried the signal returned (the producer onPut hook); Moment Detected = when the local bus received the event from score; ' +
        'notify handler = when the notify handler published its Notification Sent or Suppressed decision (after the webhook or SNS send). ' +
        'Same machinery as the latencies of `npm start` (local/run-stats.ts).',
      `Handler time (emulator calls included): ${describeTimes('enrich', times.enrich)}; ${describeTimes('score', times.score)}. ` +
        `Iterator age of the last batch: enrich ${lag.enrich} ms, score ${lag.score} ms. ` +
        'Handlers, pollers, the bus and the producer share this Node.js process; dynalite and kinesalite run in a child process each (local/emulator-process.ts). When the handlers\' work takes more than a second per second of signals, batches queue and the latency above is mostly waiting.',
      `This process used ${cpuSeconds.toFixed(1)} CPU-s in ${wallSeconds.toFixed(1)} s (${Math.round((cpuSeconds / wallSeconds) * 100)}% of one core); ` +
        `1-minute load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after, on ${availableParallelism()} cores. ` +
        'Well under 100% of a core while batches queue means the process was starved by other load on the machine. ' +
        `At ${((cpuSeconds * 1000) / Math.max(s.put, 1)).toFixed(1)} CPU-ms per signal in this process (the SDK's HTTP calls to the emulators included, the emulators' own work not), ` +
        `one core carries about ${Math.round(s.put / Math.max(cpuSeconds, 0.001))} signals/s end to end here.`,
    ].concat(notes),
    data,
  };
}
