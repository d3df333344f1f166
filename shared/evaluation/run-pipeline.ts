/**
 * The real enrich and score code over recorded history, with the stores in memory and the clock
 * set to the recording's time (each slice's "now" is its latest event, see history.ts).
 *
 * Enrich runs once per history: it does not depend on the scoring weights, so `npm run fit`
 * enriches once and scores as often as it needs to.
 */
import type { MicroMomentsConfig } from '../config/types';
import type { EnrichedSignal, Intent } from '../contracts/enriched';
import type { MomentDetectedDetail } from '../contracts/events';
import { enrichBatch } from '../enrich/pipeline';
import { InMemoryProfileStore } from '../store/profile-store';
import { slicesOf, type History } from './history';
import type { ScoreStage } from './score-stage';

export type EventStatus =
  | { kind: 'enriched'; signal: EnrichedSignal }
  | { kind: 'dropped'; reason: string }
  | { kind: 'quarantined'; reason: string };

export interface EnrichedHistory {
  history: History;
  /** By event index. */
  status: EventStatus[];
  /** Event indices of each slice, in order, with the slice's clock. */
  slices: { indices: number[]; nowMs: number }[];
  counts: { events: number; enriched: number; dropped: Record<string, number>; quarantined: Record<string, number> };
}

const bump = (rec: Record<string, number>, key: string) => {
  rec[key] = (rec[key] ?? 0) + 1;
};

export async function enrichHistory(history: History, config: MicroMomentsConfig): Promise<EnrichedHistory> {
  const profiles = new InMemoryProfileStore();
  const status: EventStatus[] = new Array(history.events.length);
  const slices: EnrichedHistory['slices'] = [];
  const counts: EnrichedHistory['counts'] = { events: history.events.length, enriched: 0, dropped: {}, quarantined: {} };
  for (const slice of slicesOf(history.events)) {
    const inputs = slice.events.map((e) => ({ data: Buffer.from(e.line, 'utf8'), sequenceNumber: String(e.index + 1), stream: 'history' }));
    const { outcomes } = await enrichBatch(inputs, { config, pepper: config.localPepper, profiles, now: new Date(slice.nowMs) });
    // One outcome per input, in input order.
    outcomes.forEach((o, i) => {
      const index = slice.events[i].index;
      if (o.kind === 'enriched') {
        status[index] = { kind: 'enriched', signal: o.signal };
        counts.enriched++;
      } else if (o.kind === 'dropped') {
        status[index] = { kind: 'dropped', reason: o.policy };
        bump(counts.dropped, o.policy);
      } else {
        status[index] = { kind: 'quarantined', reason: o.code };
        bump(counts.quarantined, o.code);
      }
    });
    slices.push({ indices: slice.events.map((e) => e.index), nowMs: slice.nowMs });
  }
  return { history, status, slices, counts };
}

export interface ScoredHistory {
  /** The intent's score just after each event was applied, by event index (NaN: not applied). */
  score: Float64Array;
  /** The intent's moments, in detection order. */
  moments: MomentDetectedDetail[];
  /** Enriched events the scorer skipped as already applied (the same messageId again). */
  alreadyApplied: number;
}

export async function scoreHistory(
  enriched: EnrichedHistory,
  config: Pick<MicroMomentsConfig, 'scoring' | 'sensitive'>,
  intent: Intent,
  stage: (config: Pick<MicroMomentsConfig, 'scoring' | 'sensitive'>) => ScoreStage,
): Promise<ScoredHistory> {
  const run = stage(config);
  const score = new Float64Array(enriched.status.length).fill(Number.NaN);
  const moments: MomentDetectedDetail[] = [];
  let applied = 0;
  let enrichedCount = 0;
  for (const slice of enriched.slices) {
    const signals: EnrichedSignal[] = [];
    const indexOf = new Map<string, number>();
    for (const i of slice.indices) {
      const s = enriched.status[i];
      if (s.kind !== 'enriched') continue;
      signals.push(s.signal);
      indexOf.set(s.signal.messageId, i);
    }
    if (signals.length === 0) continue;
    enrichedCount += signals.length;
    const out = await run.score(signals, slice.nowMs);
    for (const s of out.scores) {
      const i = indexOf.get(s.messageId);
      if (i !== undefined) {
        score[i] = s.scores[intent];
        applied++;
      }
    }
    for (const m of out.moments) if (m.intent === intent) moments.push(m);
  }
  return { score, moments, alreadyApplied: enrichedCount - applied };
}
