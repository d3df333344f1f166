/**
 * The end-of-run report of `npm start`: counts that add up, latencies, the top moments with
 * their reasons. The same object is written by --report-json for other tools to read.
 * Only pseudonymous customer keys appear, never a raw identifier.
 */
import type { LocalPipeline } from './pipeline';
import { percentile, type MomentSeen, type NotificationSeen } from './run-stats';

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
    webhook: { received: number; badSignatures: number; duplicates: number };
    sns: { push: number; sms: number };
    redeliveredRecords: number;
  };
  latencyMs: { putToMoment: LatencySummary; putToNotify: LatencySummary };
  lag: { enrich: { millisBehindLatest: number; iteratorAgeMs: number }; score: { millisBehindLatest: number; iteratorAgeMs: number } };
  onFailure: { enrich: unknown[]; score: unknown[] };
  moments: MomentSeen[];
  notifications: NotificationSeen[];
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
  return {
    durationSeconds: Math.round((Date.now() - s.startedAt) / 100) / 10,
    counts: {
      put: s.put,
      putFailed: s.putFailed,
      enrich: { in: s.enrich.in, enriched: s.enrich.enriched, quarantined: s.enrich.quarantined, droppedByPolicy: { ...s.enrich.dropped }, onFailureRecords },
      addsUp: s.put === accounted && s.enrich.in === s.enrich.enriched + s.enrich.quarantined + s.dropped,
      quarantinedByCode: { ...s.quarantinedByCode },
      quarantinedByStage: { ...s.quarantinedByStage },
      score: { onFailureRecords: score.stats.onFailureRecords },
      momentsByIntent: s.momentsByIntent(),
      notificationsSent: sent,
      notificationsSuppressed: suppressed,
      notifyFailures: p.bus.deadLetters.length,
      webhook: { received: p.webhook.received.length, badSignatures: p.webhook.rejected, duplicates: p.webhook.duplicates },
      sns: { push: p.sns.push.messages.length, sms: p.sns.sms.messages.length },
      redeliveredRecords: enrich.stats.recordsRedelivered + score.stats.recordsRedelivered,
    },
    latencyMs: { putToMoment: summary(s.momentLatencies), putToNotify: summary(s.notifyLatencies) },
    lag: {
      enrich: { millisBehindLatest: enrich.stats.millisBehindLatest, iteratorAgeMs: enrich.stats.iteratorAgeMs },
      score: { millisBehindLatest: score.stats.millisBehindLatest, iteratorAgeMs: score.stats.iteratorAgeMs },
    },
    onFailure: { enrich: [...p.onFailure.enrich.messages], score: [...p.onFailure.score.messages] },
    moments: [...s.moments.values()],
    notifications: [...s.notifications.values()],
  };
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
  const lag = Math.max(p.mappings.enrich.stats.millisBehindLatest, p.mappings.score.stats.millisBehindLatest);
  return (
    `[${String(Math.round(elapsedSeconds)).padStart(3)} s] sent ${s.put} · enriched ${s.enrich.enriched} · quarantined ${s.enrich.quarantined}` +
    ` · dropped ${s.dropped} · moments ${kv(s.momentsByIntent())} · notified ${Object.values(sent).reduce((a, b) => a + b, 0)}` +
    ` · suppressed ${kv(suppressed)} · lag ${lag} ms`
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
  lines.push(`  enriched                ${c.enrich.enriched}`);
  lines.push(`  quarantined             ${c.enrich.quarantined}   (${kv(c.quarantinedByCode)})`);
  lines.push(`  dropped by policy       ${dropped}   (${kv(c.enrich.droppedByPolicy)})`);
  lines.push(`  given up (on-failure)   ${c.enrich.onFailureRecords}`);
  lines.push(
    `  ${c.addsUp ? 'adds up' : 'DOES NOT ADD UP'}: ${c.put} = ${c.enrich.enriched} + ${c.enrich.quarantined} + ${dropped} + ${c.enrich.onFailureRecords}` +
      (c.redeliveredRecords ? `   (${c.redeliveredRecords} records were delivered more than once)` : ''),
  );
  lines.push('');
  lines.push(`Moments                   ${kv(c.momentsByIntent)}`);
  lines.push(`Notifications sent        ${kv(c.notificationsSent)}`);
  lines.push(`Notifications suppressed  ${kv(c.notificationsSuppressed)}`);
  lines.push(`Webhook receiver          ${c.webhook.received} received, ${c.webhook.badSignatures} bad signatures, ${c.webhook.duplicates} duplicates`);
  lines.push(`SNS (push / sms)          ${c.sns.push} / ${c.sns.sms}`);
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
      const reasons = [...m.reasons]
        .sort((a, b) => b.contribution - a.contribution)
        .slice(0, 3)
        .map((x) => `${x.kind} "${x.feature}" ${x.contribution.toFixed(2)}`)
        .join('; ');
      const decisions = r.notifications
        .filter((n) => n.momentId === m.momentId)
        .map((n) => (n.outcome === 'sent' ? `${n.channel} sent` : `${n.channel} suppressed: ${n.reason}`))
        .join(', ');
      lines.push(`  ${m.intent.padEnd(10)} ${m.score.toFixed(2)}  customer ${m.customerKey.slice(0, 12)}…  on "${m.trigger.event}"${m.lifeEventType ? ` (${m.lifeEventType})` : ''}`);
      lines.push(`             because ${reasons || '-'}`);
      if (decisions) lines.push(`             → ${decisions}`);
    }
  }
  return lines.join('\n');
}
