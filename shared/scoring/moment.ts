/**
 * Building a `Moment Detected` detail: a deterministic id, the trigger, the context of the trigger
 * and the allowed channels. Key order is fixed, so the same moment serialises to the same bytes.
 */
import { hash } from 'node:crypto';
import type { EnrichedSignal, MomentIntent } from '../contracts/enriched';
import type { MomentContext, MomentDetectedDetail, MomentReason } from '../contracts/events';
import { scrubMoment } from '../privacy/scrub';

/**
 * The first 128 bits of SHA-256 over `customerKey|intent|messageId`, hex: a redelivered signal
 * yields the same id, so the conditional put and notify's per-moment dedupe absorb it.
 */
export function momentIdOf(customerKey: string, intent: MomentIntent, triggerMessageId: string): string {
  // One-shot hash (UTF-8, as createHash().update() of a string): no Hash object per moment.
  return hash('sha256', `${customerKey}|${intent}|${triggerMessageId}`, 'hex').slice(0, 32);
}

export function momentContextOf(signal: EnrichedSignal): MomentContext {
  const c = signal.context;
  return {
    localTime: c.localTime,
    daypart: c.daypart,
    timezone: c.timezone,
    weekend: c.weekend,
    device: c.deviceClass,
    ...(c.area !== undefined ? { area: c.area } : {}),
    ...(c.nearestLocation !== undefined
      ? {
          nearestLocation: {
            id: c.nearestLocation.id,
            name: c.nearestLocation.name,
            distanceMeters: c.nearestLocation.distanceMeters,
            open: c.nearestLocation.open,
          },
        }
      : {}),
  };
}

export interface MomentParts {
  intent: MomentIntent;
  score: number;
  threshold: number;
  reasons: MomentReason[];
  trigger: EnrichedSignal;
  detectedAtMs: number;
  scoringVersion: string;
  lifeEventType?: string;
}

/**
 * Every string of the moment goes through the one scrubber (shared/privacy/scrub.ts), as every
 * string of the enriched signal did: a moment is stored, published and notified, so a field that
 * ever carried something other than a digest, a time, an enum or configured vocabulary is masked.
 */
export function buildMoment(p: MomentParts): MomentDetectedDetail {
  const t = p.trigger;
  return scrubMoment<MomentDetectedDetail>({
    version: 1,
    momentId: momentIdOf(t.customerKey, p.intent, t.messageId),
    customerKey: t.customerKey,
    intent: p.intent,
    score: p.score,
    threshold: p.threshold,
    reasons: p.reasons,
    trigger: { messageId: t.messageId, event: t.event, time: t.timestamp },
    context: momentContextOf(t),
    consent: { channels: [...t.consent.channels], locationOffers: t.consent.locationOffers },
    consumerInitiated: t.consumerInitiated,
    ...(p.lifeEventType !== undefined ? { lifeEventType: p.lifeEventType } : {}),
    detectedAt: new Date(p.detectedAtMs).toISOString(),
    scoringVersion: p.scoringVersion,
  });
}
