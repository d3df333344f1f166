/**
 * What a local run counts, from what the pipeline itself emits: records put (the producer's hook,
 * with their put time), the enrich handler's metrics (in, enriched, quarantined, dropped by
 * policy), the quarantine, the events on the bus (moments, notification decisions) and the
 * on-failure destinations. Latencies are measured from the put of the signal that triggered a
 * moment: messageId → put time, kept under the messageId's digest (what the moment's
 * trigger.messageId carries; the raw id is not kept).
 */
import type { MomentDetectedDetail, NotificationSentDetail, NotificationSuppressedDetail } from '../shared/contracts/events';
import type { QuarantineEntry } from '../shared/adapters/quarantine';
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
}

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

  /** `digest`: what enrich makes of a messageId (messageDigestOf with the run's pepper). */
  constructor(private readonly digest: (messageId: string) => string) {}

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
  }

  onMoment(d: MomentDetectedDetail, nowMs = Date.now()): void {
    if (this.moments.has(d.momentId)) {
      this.republished++;
      return;
    }
    const put = this.putTimes.get(d.trigger.messageId);
    const latencyMs = put === undefined ? undefined : nowMs - put;
    if (latencyMs !== undefined) this.momentLatencies.push(latencyMs);
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
    if (latencyMs !== undefined) this.notifyLatencies.push(latencyMs);
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
