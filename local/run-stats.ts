/**
 * What a local run counts, from what the pipeline itself emits: records put (the producer's hook,
 * with their put time), the enrich handler's metrics (in, enriched, quarantined, dropped by
 * policy), the quarantine, the events on the bus (moments, notification decisions) and the
 * on-failure destinations. Latencies are measured from the put of the signal that triggered a
 * moment: messageId → put time, kept under the messageId's digest (what the moment's
 * trigger.messageId carries; the raw id is not kept).
 *
 * The end-of-run report (report.ts) and the live console (console/) both read this one object.
 * Nothing here holds a raw identifier: customer keys are pseudonymous, and quarantined records
 * are kept as their reason and coordinates, never their payload or partition key.
 */
import type { RoutingRule } from '../shared/config';
import { DETAIL_TYPES, EVENT_SOURCE, type MomentDetectedDetail, type NotificationSentDetail, type NotificationSuppressedDetail } from '../shared/contracts/events';
import { compileEventPattern } from '../shared/routing/event-pattern';
import { mismatchedFields } from '../shared/routing/explain-mismatch';
import type { QuarantineEntry } from '../shared/stream/quarantine';
import { DROP_POLICIES, METRIC, type DropPolicy } from '../shared/observability/metric-names';
import type { MetricPoint } from './handler-output';

export interface MomentSeen {
  momentId: string;
  customerKey: string;
  intent: string;
  score: number;
  reasons: MomentDetectedDetail['reasons'];
  trigger: MomentDetectedDetail['trigger'];
  lifeEventType?: string;
  detectedAt: string;
  latencyMs?: number;
  /** The routing rules the moment matched (each sends it to its channel's notify function). */
  routedBy: string[];
  /** When no rule matched: why, rule by rule (`go-nearby-push: consent.channels`). */
  notRoutedBecause?: string;
  /** Put times of the signals its reasons name (ms since the epoch), to tell reasons apart. */
  signalPutAt: Record<string, number>;
}

/** A latency sample with when it was taken, for the console's chart. */
export interface LatencySample {
  atMs: number;
  ms: number;
}

/** A quarantined record as the console shows it: why and where, never what it held. */
export interface QuarantineSeen {
  code: string;
  reason: string;
  stage: string;
  at: string;
  shardId?: string;
  sequenceNumber: string;
}

/** How many quarantined records are kept for the console (the counts cover all of them). */
export const RECENT_QUARANTINE = 200;

export interface NotificationSeen {
  notificationId: string;
  momentId: string;
  customerKey: string;
  channel: string;
  intent: string;
  outcome: 'sent' | 'suppressed';
  reason?: string;
  templateId?: string;
  latencyMs?: number;
}

export class RunStats {
  readonly startedAt = Date.now();
  private readonly rules: { name: string; pattern: Record<string, unknown>; matches: (event: unknown) => boolean }[];

  /**
   * `digest`: what enrich makes of a messageId (messageDigestOf with the run's pepper);
   * `rules`: the routing rules, to say why a moment was not routed.
   */
  constructor(
    private readonly digest: (messageId: string) => string,
    rules: readonly RoutingRule[] = [],
  ) {
    this.rules = rules.map((r) => ({ name: r.name, pattern: r.pattern, matches: compileEventPattern(r.pattern) }));
  }

  /** Filled by the feed (runFeed's progress): records accepted by the stream, and those that failed. */
  readonly feed = { sent: 0, failed: 0 };
  private readonly putTimes = new Map<string, number>();
  readonly enrich = { in: 0, enriched: 0, quarantined: 0, dropped: Object.fromEntries(DROP_POLICIES.map((p) => [p, 0])) as Record<DropPolicy, number> };
  readonly quarantinedByCode: Record<string, number> = {};
  readonly quarantinedByStage: Record<string, number> = {};
  readonly moments = new Map<string, MomentSeen>();
  readonly notifications = new Map<string, NotificationSeen>();
  readonly momentLatencies: number[] = [];
  readonly notifyLatencies: number[] = [];
  /** The same latencies with the time each was measured. */
  readonly latencySeries: { moment: LatencySample[]; notify: LatencySample[] } = { moment: [], notify: [] };
  /** The latest quarantined records (at most RECENT_QUARANTINE), newest last. */
  readonly recentQuarantine: QuarantineSeen[] = [];
  /** A moment or decision seen again (a redelivery that published again): not counted twice. */
  republished = 0;

  get put(): number {
    return this.feed.sent;
  }

  get putFailed(): number {
    return this.feed.failed;
  }

  /** The producer's onPut hook: when each signal was accepted, for latencies. */
  recordPut(messageId: string | undefined, atMs: number): void {
    if (messageId !== undefined) this.putTimes.set(this.digest(messageId), atMs);
  }

  onMetric(p: MetricPoint): void {
    if (p.dimensions.service !== 'enrich') return;
    if (p.name === METRIC.signalsIn) this.enrich.in += p.value;
    else if (p.name === METRIC.signalsEnriched) this.enrich.enriched += p.value;
    // The total only: the same metric by `code` counts the same records again.
    else if (p.name === METRIC.signalsQuarantined && p.dimensions.code === undefined) this.enrich.quarantined += p.value;
    else if (p.name === METRIC.signalsDropped) {
      const policy = p.dimensions.policy as DropPolicy;
      if (policy in this.enrich.dropped) this.enrich.dropped[policy] += p.value;
    }
  }

  onQuarantine(e: QuarantineEntry): void {
    this.quarantinedByCode[e.code] = (this.quarantinedByCode[e.code] ?? 0) + 1;
    this.quarantinedByStage[e.stage] = (this.quarantinedByStage[e.stage] ?? 0) + 1;
    this.recentQuarantine.push({
      code: e.code,
      reason: e.reason,
      stage: e.stage,
      at: e.quarantinedAt,
      ...(e.source.shardId ? { shardId: e.source.shardId } : {}),
      sequenceNumber: e.source.sequenceNumber,
    });
    if (this.recentQuarantine.length > RECENT_QUARANTINE) this.recentQuarantine.shift();
  }

  /** The rules that route this moment, or why none does (the fields each rule of its intent fails). */
  private routingOf(d: MomentDetectedDetail): { routedBy: string[]; notRoutedBecause?: string } {
    const event = { source: EVENT_SOURCE, 'detail-type': DETAIL_TYPES.momentDetected, detail: d };
    const routedBy = this.rules.filter((r) => r.matches(event)).map((r) => r.name);
    if (routedBy.length > 0 || this.rules.length === 0) return { routedBy };
    const misses = this.rules.map((r) => ({ rule: r.name, fields: mismatchedFields(r.pattern, event).map((f) => f.replace(/^detail\./, '')) }));
    // Rules for another intent say nothing useful; name those that failed on something else.
    const near = misses.filter((m) => !m.fields.includes('intent'));
    const shown = near.length > 0 ? near : misses;
    const why = near.length > 0 ? shown.map((m) => `${m.rule}: ${m.fields.join(', ')}`).join('; ') : `no rule for intent ${d.intent}`;
    return { routedBy, notRoutedBecause: `no rule matched (${why})` };
  }

  onMoment(d: MomentDetectedDetail, nowMs = Date.now()): void {
    if (this.moments.has(d.momentId)) {
      this.republished++;
      return;
    }
    const put = this.putTimes.get(d.trigger.messageId);
    const latencyMs = put === undefined ? undefined : nowMs - put;
    if (latencyMs !== undefined) {
      this.momentLatencies.push(latencyMs);
      this.latencySeries.moment.push({ atMs: nowMs, ms: latencyMs });
    }
    const signalPutAt: Record<string, number> = {};
    for (const r of d.reasons) {
      const t = this.putTimes.get(r.messageId);
      if (t !== undefined) signalPutAt[r.messageId] = t;
    }
    this.moments.set(d.momentId, {
      momentId: d.momentId,
      customerKey: d.customerKey,
      intent: d.intent,
      score: d.score,
      reasons: d.reasons,
      trigger: d.trigger,
      ...(d.lifeEventType ? { lifeEventType: d.lifeEventType } : {}),
      detectedAt: d.detectedAt,
      ...(latencyMs !== undefined ? { latencyMs } : {}),
      ...this.routingOf(d),
      signalPutAt,
    });
  }

  onNotification(d: NotificationSentDetail | NotificationSuppressedDetail, nowMs = Date.now()): void {
    if (this.notifications.has(d.notificationId)) {
      this.republished++;
      return;
    }
    const trigger = this.moments.get(d.momentId)?.trigger.messageId;
    const put = trigger === undefined ? undefined : this.putTimes.get(trigger);
    const latencyMs = put === undefined ? undefined : nowMs - put;
    if (latencyMs !== undefined) {
      this.notifyLatencies.push(latencyMs);
      this.latencySeries.notify.push({ atMs: nowMs, ms: latencyMs });
    }
    this.notifications.set(d.notificationId, {
      notificationId: d.notificationId,
      momentId: d.momentId,
      customerKey: d.customerKey,
      channel: d.channel,
      intent: d.intent,
      outcome: d.outcome,
      ...(d.outcome === 'suppressed' ? { reason: d.reason } : { templateId: d.templateId }),
      ...(latencyMs !== undefined ? { latencyMs } : {}),
    });
  }

  get dropped(): number {
    return DROP_POLICIES.reduce((s, p) => s + this.enrich.dropped[p], 0);
  }

  momentsByIntent(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const m of this.moments.values()) out[m.intent] = (out[m.intent] ?? 0) + 1;
    return out;
  }

  notificationsBy(): { sent: Record<string, number>; suppressed: Record<string, number> } {
    const sent: Record<string, number> = {};
    const suppressed: Record<string, number> = {};
    for (const n of this.notifications.values()) {
      if (n.outcome === 'sent') sent[n.channel] = (sent[n.channel] ?? 0) + 1;
      else suppressed[n.reason ?? 'unknown'] = (suppressed[n.reason ?? 'unknown'] ?? 0) + 1;
    }
    return { sent, suppressed };
  }
}

/** Nearest-rank percentile; undefined for no samples. */
export function percentile(samples: readonly number[], p: number): number | undefined {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
