/** The scorer's StateStore (shared/scoring/ports.ts) in memory: replay, benchmarks, evaluation and tests. */
import type { MomentDetectedDetail } from '../contracts/events';
import type { MomentWriteOutcome, StateStore } from '../scoring/ports';
import type { ScoreState } from '../scoring/state';
import { customerPk, SK } from './keys';

/**
 * In memory, with the same semantics (conditional moment writes, last state wins). States are
 * stored as given: scoreCustomer never mutates its input state, so no copy is needed.
 */
export class InMemoryStateStore implements StateStore {
  readonly states = new Map<string, ScoreState>();
  /** Keyed by `pk` + `sk`, like the table. */
  readonly moments = new Map<string, MomentDetectedDetail>();

  async getStates(customerKeys: readonly string[]): Promise<Map<string, ScoreState>> {
    return this.getStatesSync(customerKeys);
  }
  getStatesSync(customerKeys: readonly string[]): Map<string, ScoreState> {
    const out = new Map<string, ScoreState>();
    for (const k of customerKeys) {
      const s = this.states.get(k);
      if (s) out.set(k, s);
    }
    return out;
  }
  async putMoments(moments: readonly MomentDetectedDetail[]): Promise<MomentWriteOutcome[]> {
    return moments.map((m) => {
      const key = `${customerPk(m.customerKey)}|${SK.moment(m.detectedAt, m.momentId)}`;
      if (this.moments.has(key)) return { status: 'exists' as const };
      this.moments.set(key, m);
      return { status: 'written' as const };
    });
  }
  async putStates(states: readonly ScoreState[]): Promise<{ failed: string[] }> {
    for (const s of states) this.states.set(s.customerKey, s);
    return { failed: [] };
  }
}
