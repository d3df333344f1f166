/**
 * The end-of-run report of `npm start`: counts that add up, latencies, the top moments with
 * their reasons. The same object is written by --report-json for other tools to read.
 * Only pseudonymous customer keys appear, never a raw identifier.
 */
import { join } from 'node:path';
import type { LocalPipeline } from './pipeline';
import { percentile, type MomentSeen, type NotificationSeen } from './run-stats';

/** The quarantine code of signals outside signalTimeWindow (shared/enrich/validate.ts). */
const TIME_WINDOW_CODE = 'timestamp-out-of-range';

export interface LatencySummary {
  samples: number;
  p50?: number;
  p95?: number;
  p99?: number;
}

export interface RunReport {
  durationSeconds: number;
  counts: {
    put: number;
    /**
     * Records that reached the stream from elsewhere (the AWS CLI, `npm run simulate` during
     * --keep-running): seen by enrich, not put by this run's producer.
     */
    putByOthers: number;
    putFailed: number;
    enrich: { in: number; enriched: number; quarantined: number; droppedByPolicy: Record<string, number>; onFailureRecords: number };
    /** put = enriched + quarantined + dropped + given up on (on-failure destination). */
    addsUp: boolean;
    quarantinedByCode: Record<string, number>;
    quarantinedByStage: Record<string, number>;
    score: { onFailureRecords: number };
    momentsByIntent: Record<string, number>;
    notificationsSent: Record<string, number>;
    notificationsSuppressed: Record<string, number>;
    notifyFailures: number;
    /** Per enabled channel, what its local stand-in took (local/channels/): how many, and what else it checked. */
    delivered: Record<string, StandInCounts>;
    redeliveredRecords: number;
  };
  latencyMs: { putToMoment: LatencySummary; putToNotify: LatencySummary };
  /** Per stage: the live lag (age of the oldest record not yet handled), the latest and largest iterator age, MillisBehindLatest. */
  lag: Record<'enrich' | 'score', StageLag>;
  onFailure: { enrich: unknown[]; score: unknown[] };
  moments: MomentSeen[];
  notifications: NotificationSeen[];
  /** Where this run's files are, when it writes any. */
  files?: RunFiles;
  /** Things the user should know about the run (most records outside the time window, …). */
  hints: string[];
}

export interface StandInCounts {
  /** What stood in for the channel: `webhook receiver`, `SNS recorder`, ... */
  standIn: string;
  received: number;
  /** What else it counted: the webhook receiver's `badSignatures` and `duplicates`. */
  checks: Record<string, number>;
}

/** `webhook 61 (webhook receiver: 0 bad signatures, 0 duplicates), push 24 (SNS recorder)`. */
export function describeDelivered(delivered: Record<string, StandInCounts>): string {
  const words = (key: string) => key.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
  return Object.entries(delivered)
    .map(([channel, d]) => {
      const checks = Object.entries(d.checks).map(([k, v]) => `${v} ${words(k)}`);
      return `${channel} ${d.received} (${d.standIn}${checks.length ? `: ${checks.join(', ')}` : ''})`;
    })
    .join(', ');
}

export interface StageLag {
  lagMs: number;
  iteratorAgeMs: number;
  maxIteratorAgeMs: number;
  millisBehindLatest: number;
}

export interface RunFiles {
  dir: string;
  handlersLog: string;
  quarantine: string;
  enrichFailures: string;
  scoreFailures: string;
  notifyFailures: string;
}

export function runFiles(dir: string): RunFiles {
  return {
    dir,
    handlersLog: join(dir, 'handlers.log'),
    quarantine: join(dir, 'quarantine.jsonl'),
    enrichFailures: join(dir, 'enrich-failures.jsonl'),
    scoreFailures: join(dir, 'score-failures.jsonl'),
    notifyFailures: join(dir, 'notify-failures.jsonl'),
  };
}

/** Most of what was put fell outside the time window: recorded history sent without --shift-to-now. */
export function timeWindowHint(put: number, quarantinedByCode: Record<string, number>, maxPastDays: number): string | undefined {
  const outside = quarantinedByCode[TIME_WINDOW_CODE] ?? 0;
  if (put === 0 || outside * 2 <= put) return undefined;
  return (
    `${outside} of ${put} signals were quarantined as outside the time window (signalTimeWindow: at most ${maxPastDays} days old). ` +
    'Recorded history? Run it again with --shift-to-now, which moves it to the last days by whole days and keeps each signal\'s time of day.'
  );
}

const summary = (samples: number[]): LatencySummary => ({
  samples: samples.length,
  ...(samples.length > 0 ? { p50: percentile(samples, 50), p95: percentile(samples, 95), p99: percentile(samples, 99) } : {}),
});

export function buildReport(p: LocalPipeline): RunReport {
  const s = p.stats;
  const { enrich, score } = p.mappings;
  const { sent, suppressed } = s.notificationsBy();
  const onFailureRecords = enrich.stats.onFailureRecords;
  const accounted = s.enrich.enriched + s.enrich.quarantined + s.dropped + onFailureRecords;
  // Records enrich saw once (its counts include redeliveries) that this run did not put.
  const putByOthers = Math.max(0, s.enrich.in - enrich.stats.recordsRedelivered - s.put);
  return {
    durationSeconds: Math.round((Date.now() - s.startedAt) / 100) / 10,
    counts: {
      put: s.put,
      putByOthers,
      putFailed: s.putFailed,
      enrich: { in: s.enrich.in, enriched: s.enrich.enriched, quarantined: s.enrich.quarantined, droppedByPolicy: { ...s.enrich.dropped }, onFailureRecords },
      addsUp: s.put + putByOthers === accounted && s.enrich.in === s.enrich.enriched + s.enrich.quarantined + s.dropped,
      quarantinedByCode: { ...s.quarantinedByCode },
      quarantinedByStage: { ...s.quarantinedByStage },
      score: { onFailureRecords: score.stats.onFailureRecords },
      momentsByIntent: s.momentsByIntent(),
      notificationsSent: sent,
      notificationsSuppressed: suppressed,
      notifyFailures: p.bus.deadLetters.length,
      delivered: Object.fromEntries(
        [...p.standIns.byChannel.values()].map((standIn) => {
          const { received, ...checks } = standIn.counts();
          return [standIn.channel, { standIn: standIn.label, received, checks }];
        }),
      ),
      redeliveredRecords: enrich.stats.recordsRedelivered + score.stats.recordsRedelivered,
    },
    latencyMs: { putToMoment: summary(s.momentLatencies), putToNotify: summary(s.notifyLatencies) },
    lag: { enrich: stageLag(enrich), score: stageLag(score) },
    onFailure: { enrich: [...p.onFailure.enrich.messages], score: [...p.onFailure.score.messages] },
    moments: [...s.moments.values()],
    notifications: [...s.notifications.values()],
    ...(p.dataDir ? { files: runFiles(p.dataDir) } : {}),
    hints: [timeWindowHint(s.put, s.quarantinedByCode, p.config.signalTimeWindow.maxPastDays)].filter((h): h is string => h !== undefined),
  };
}

function stageLag(m: LocalPipeline['mappings']['enrich']): StageLag {
  return { lagMs: m.lagMs(), iteratorAgeMs: m.stats.iteratorAgeMs, maxIteratorAgeMs: m.stats.maxIteratorAgeMs, millisBehindLatest: m.stats.millisBehindLatest };
}

const seconds = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`);

/**
 * A moment's strongest reasons, told apart: the contribution left at detection (and the configured
 * weight when decay took some of it), and which signal brought it: the trigger, or signal i of n
 * in put order with how long before the trigger it was put.
 */
export function describeReasons(m: MomentSeen, max = 3): string {
  const ids = [...new Set(m.reasons.map((r) => r.messageId))];
  const putAt = (id: string) => m.signalPutAt?.[id];
  // Stable sort: signals without a put time (not put in this run) keep their order, after the others.
  ids.sort((a, b) => (putAt(a) ?? Infinity) - (putAt(b) ?? Infinity));
  const triggerPut = putAt(m.trigger.messageId);
  const from = (id: string) => {
    if (id === m.trigger.messageId) return 'the trigger';
    const t = putAt(id);
    const before = t !== undefined && triggerPut !== undefined && triggerPut - t >= 100 ? `, ${seconds(triggerPut - t)} before it` : '';
    return `signal ${ids.indexOf(id) + 1} of ${ids.length}${before}`;
  };
  return [...m.reasons]
    .sort((a, b) => b.contribution - a.contribution)
    .slice(0, max)
    .map((r) => {
      const decayed = r.weight - r.contribution >= 0.005 ? ` (${r.weight.toFixed(2)} decayed)` : '';
      return `${r.kind} "${r.feature}" ${r.contribution.toFixed(2)}${decayed} from ${from(r.messageId)}`;
    })
    .join('; ');
}

/** What happened to a moment: each channel's decision, or why no rule routed it. */
export function describeOutcome(m: MomentSeen, notifications: readonly NotificationSeen[]): string {
  const decisions = notifications
    .filter((n) => n.momentId === m.momentId)
    .map((n) => (n.outcome === 'sent' ? `${n.channel} sent` : `${n.channel} suppressed: ${n.reason}`));
  if (decisions.length > 0) return decisions.join(', ');
  if (m.notRoutedBecause) return `not routed: ${m.notRoutedBecause}`;
  return m.routedBy.length > 0 ? `routed by ${m.routedBy.join(', ')}, no decision yet` : 'not routed';
}

const kv = (o: Record<string, number>) =>
  Object.keys(o).length === 0
    ? '-'
    : Object.entries(o)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
const ms = (v: number | undefined) => (v === undefined ? '-' : `${v} ms`);

/** One progress line, printed every few seconds while the run goes on. */
export function progressLine(p: LocalPipeline, elapsedSeconds: number): string {
  const s = p.stats;
  const { sent, suppressed } = s.notificationsBy();
  return (
    `[${String(Math.round(elapsedSeconds)).padStart(3)} s] sent ${s.put} · enriched ${s.enrich.enriched} · quarantined ${s.enrich.quarantined}` +
    ` · dropped ${s.dropped} · moments ${kv(s.momentsByIntent())} · notified ${Object.values(sent).reduce((a, b) => a + b, 0)}` +
    ` · suppressed ${kv(suppressed)} · lag enrich ${p.mappings.enrich.lagMs()} ms, score ${p.mappings.score.lagMs()} ms`
  );
}

export function formatReport(r: RunReport, top = 5): string {
  const c = r.counts;
  const lines: string[] = [];
  const dropped = Object.values(c.enrich.droppedByPolicy).reduce((a, b) => a + b, 0);
  lines.push(`\nmicro-moments local run: ${r.durationSeconds} s`);
  lines.push('');
  lines.push('Signals');
  lines.push(`  put on the stream       ${c.put}${c.putFailed ? ` (${c.putFailed} failed after retries)` : ''}`);
  if (c.putByOthers) lines.push(`  put by others           ${c.putByOthers}   (the AWS CLI or another producer, while it kept running)`);
  lines.push(`  enriched                ${c.enrich.enriched}`);
  lines.push(`  quarantined             ${c.enrich.quarantined}   (${kv(c.quarantinedByCode)})`);
  lines.push(`  dropped by policy       ${dropped}   (${kv(c.enrich.droppedByPolicy)})`);
  lines.push(`  given up (on-failure)   ${c.enrich.onFailureRecords}`);
  lines.push(
    `  ${c.addsUp ? 'adds up' : 'DOES NOT ADD UP'}: ${c.put}${c.putByOthers ? ` + ${c.putByOthers}` : ''} = ${c.enrich.enriched} + ${c.enrich.quarantined} + ${dropped} + ${c.enrich.onFailureRecords}` +
      (c.redeliveredRecords ? `   (${c.redeliveredRecords} records were delivered more than once)` : ''),
  );
  lines.push('');
  lines.push(`Moments                   ${kv(c.momentsByIntent)}`);
  lines.push(`Notifications sent        ${kv(c.notificationsSent)}`);
  lines.push(`Notifications suppressed  ${kv(c.notificationsSuppressed)}`);
  lines.push(`Delivered locally         ${describeDelivered(c.delivered) || '-'}`);
  if (c.notifyFailures || c.score.onFailureRecords) {
    lines.push(`Failures                  notify ${c.notifyFailures}, score on-failure ${c.score.onFailureRecords} records`);
  }
  lines.push('');
  const l = r.latencyMs;
  lines.push(`Latency put → Moment Detected   p50 ${ms(l.putToMoment.p50)}  p95 ${ms(l.putToMoment.p95)}  p99 ${ms(l.putToMoment.p99)}  (${l.putToMoment.samples} moments)`);
  lines.push(`Latency put → notify decision   p50 ${ms(l.putToNotify.p50)}  p95 ${ms(l.putToNotify.p95)}  p99 ${ms(l.putToNotify.p99)}  (${l.putToNotify.samples} decisions)`);
  lines.push('');
  // The strongest moment of each intent first (life events all score 1 and would fill the list),
  // then the next strongest overall.
  const byScore = [...r.moments].sort((a, b) => b.score - a.score);
  const firstOfIntent = byScore.filter((m, i) => byScore.findIndex((x) => x.intent === m.intent) === i);
  const strongest = [...firstOfIntent, ...byScore.filter((m) => !firstOfIntent.includes(m))].slice(0, top);
  if (strongest.length > 0) {
    lines.push(`Top ${strongest.length} moments (the strongest of each intent)`);
    for (const m of strongest) {
      lines.push(`  ${m.intent.padEnd(10)} ${m.score.toFixed(2)}  customer ${m.customerKey.slice(0, 12)}…  on "${m.trigger.event}"${m.lifeEventType ? ` (${m.lifeEventType})` : ''}`);
      lines.push(`             because ${describeReasons(m) || '-'}`);
      lines.push(`             → ${describeOutcome(m, r.notifications)}`);
    }
  }
  const whyNotRouted: Record<string, number> = {};
  for (const m of r.moments) if (m.notRoutedBecause) whyNotRouted[m.notRoutedBecause] = (whyNotRouted[m.notRoutedBecause] ?? 0) + 1;
  const notRouted = Object.values(whyNotRouted).reduce((a, b) => a + b, 0);
  if (notRouted > 0) {
    lines.push('', `Not routed                ${notRouted} moments, because:`);
    for (const [why, n] of Object.entries(whyNotRouted).sort((a, b) => b[1] - a[1]).slice(0, 5)) lines.push(`  ${String(n).padStart(5)}  ${why}`);
  }
  const lag = r.lag;
  lines.push('', `Lag (largest iterator age)  enrich ${ms(lag.enrich.maxIteratorAgeMs)}, score ${ms(lag.score.maxIteratorAgeMs)}`);
  if (r.files) lines.push('', `Files of this run          ${r.files.dir}  (handlers.log, quarantine.jsonl, *-failures.jsonl)`);
  for (const h of r.hints) lines.push('', `Note: ${h}`);
  return lines.join('\n');
}
