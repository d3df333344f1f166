/**
 * `npm run bench`, section 3: end-to-end latency in local mode at a steady rate, measured as
 * `npm start` measures it (local/run-stats.ts): the producer's onPut hook records when each
 * PutRecords call returned; a `Moment Detected` seen on the local bus and a notification decision
 * (published by the notify handler once it has decided and sent) are timed from the put of the
 * signal that triggered the moment. One run (60 s of sending, 10 s quick): the percentiles are
 * over every signal of that run, not medians of runs.
 */
import { availableParallelism, loadavg } from 'node:os';
import { loadConfig } from '../shared/config';
import { Producer } from '../shared/adapters/kinesis-producer';
import { createSimulator } from '../local/simulator';
import { LocalPipeline } from '../local/pipeline';
import { runFeed, type FeedRecord } from '../local/feed';
import { DEFAULT_POLL_INTERVAL_MS } from '../local/poller';
import { describeTimes, emptyTimes, timedHandler } from './latency-timing';
import { latencyRows, percentiles, targetNote } from './latency-summary';
import type { BenchSection, LatencyData } from './types';

export const LATENCY_RATE_PER_SECOND = 200;
export const LATENCY_SHARDS = 2;
const CUSTOMERS = 1000;
const SEED = 42;
// Long enough for a backlog built up on a loaded machine to clear, so the percentiles cover every signal.
const DRAIN_TIMEOUT_MS = 240_000;

export async function runLatencyBench(opts: { quick: boolean }): Promise<BenchSection<LatencyData>> {
  const durationSeconds = opts.quick ? 10 : 60;
  const config = loadConfig({ stage: 'local' });
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
      for (const r of createSimulator({ seed: SEED, customers: CUSTOMERS, ratePerSecond: LATENCY_RATE_PER_SECOND, durationSeconds, config: pipeline.config })) {
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
    ratePerSecond: LATENCY_RATE_PER_SECOND,
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
  return {
    title: `End-to-end latency, local mode (${LATENCY_RATE_PER_SECOND} signals/s, ${shards} shards)`,
    rows: latencyRows(data, { moment: s.momentLatencies.length, notify: s.notifyLatencies.length }),
    notes: [
      targetNote(data.putToMomentMs.p99),
      `One run of ${durationSeconds} s of sending (the journey simulator's mix, ${CUSTOMERS} customers, seed ${SEED}): ` +
        `${s.put} signals put${s.putFailed ? ` (${s.putFailed} failed)` : ''} in ${sendingSeconds.toFixed(1)} s (${(s.put / Math.max(sendingSeconds, 0.001)).toFixed(0)}/s), ` +
        `${data.moments} moments, ${data.notifications} notification decisions (${total(sent)} sent, ${total(suppressed)} suppressed). ` +
        'Percentiles (nearest rank) and max are over every moment and decision of that run, not medians of several runs.',
      `Poller settings (they dominate the figure): enrich batchSize ${src.enrich.batchSize}, batching window ${src.enrich.maxBatchingWindowSeconds} s; ` +
        `score batchSize ${src.score.batchSize}, batching window ${src.score.maxBatchingWindowSeconds} s; ` +
        `poll interval ${DEFAULT_POLL_INTERVAL_MS} ms when a shard is drained (Lambda polls about once a second), one batch at a time per shard (no parallelization factor); ` +
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
