/**
 * The score stage as evaluation drives it: one slice of enriched signals at a time, the states
 * kept between slices, the moments and each applied signal's scores out.
 *
 * INTERIM: until the score stage is one shared function (`shared/scoring/pipeline.ts`,
 * `scoreBatch`), this calls the pure model per customer with states in memory; evaluation will
 * drive `scoreBatch` with in-memory ports instead, so that it runs the very code the handler runs.
 */
import type { ScoringConfig } from '../config/types';
import type { EnrichedSignal } from '../contracts/enriched';
import type { MomentDetectedDetail } from '../contracts/events';
import { groupByCustomer } from '../scoring/group';
import { scoreCustomer, type SignalScores } from '../scoring/score-customer';
import type { ScoreState } from '../scoring/state';

export interface ScoreStage {
  score(signals: readonly EnrichedSignal[]): Promise<{ moments: MomentDetectedDetail[]; scores: SignalScores[] }>;
}

export function inMemoryScoreStage(scoring: ScoringConfig): ScoreStage {
  const states = new Map<string, ScoreState>();
  return {
    async score(signals) {
      const moments: MomentDetectedDetail[] = [];
      const scores: SignalScores[] = [];
      for (const [key, list] of groupByCustomer(signals, (s) => s.customerKey)) {
        const r = scoreCustomer(states.get(key), list, scoring, { withScores: true });
        states.set(key, r.state);
        moments.push(...r.moments);
        scores.push(...(r.scores ?? []));
      }
      return { moments, scores };
    },
  };
}
