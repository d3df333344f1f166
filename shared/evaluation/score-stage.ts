/**
 * The score stage as evaluation drives it: the very `scoreBatch` the Lambda handler runs, with
 * its ports in memory, one slice of enriched signals at a time (each as its record on the
 * enriched stream); the states carry over between slices like the STATE items in DynamoDB.
 */
import type { MicroMomentsConfig } from '../config/types';
import type { EnrichedSignal } from '../contracts/enriched';
import type { MomentDetectedDetail } from '../contracts/events';
import { scoreBatch, type ScorePorts } from '../scoring/pipeline';
import type { SignalScores } from '../scoring/score-customer';
import { InMemoryStateStore } from '../store/in-memory-state-store';
import { NOTHING_WITHDRAWN } from '../privacy/customer-guard';
import { defaultConfig } from '../config/defaults';
import { MemoryQuarantine } from '../stream/quarantine';
import type { StreamRecord } from '../stream/record';

export interface ScoreStage {
  score(signals: readonly EnrichedSignal[], nowMs: number): Promise<{ moments: MomentDetectedDetail[]; scores: SignalScores[] }>;
}

export function inMemoryScoreStage(config: Pick<MicroMomentsConfig, 'scoring' | 'sensitive'>): ScoreStage {
  let nowMs = 0;
  let sequence = 0;
  const quarantine = new MemoryQuarantine();
  const ports: ScorePorts = {
    scoring: config.scoring,
    // Recorded history: no profiles, no erasures (so the erasure rule's window is never read).
    window: { signalTimeWindow: defaultConfig.signalTimeWindow },
    guards: NOTHING_WITHDRAWN,
    sensitive: config.sensitive,
    states: new InMemoryStateStore(),
    // Evaluation reads the moments from the result; nothing is announced.
    publisher: { publish: async () => undefined },
    quarantine,
    now: () => new Date(nowMs),
  };
  return {
    async score(signals, now) {
      nowMs = now;
      const records: StreamRecord[] = signals.map((s) => ({ data: Buffer.from(JSON.stringify(s)), sequenceNumber: String(++sequence), stream: 'history#enriched' }));
      const result = await scoreBatch(records, ports, { withScores: true });
      // In memory nothing fails; a refused enriched record is a contract bug between the stages.
      if (quarantine.entries.length > 0 || result.failed.size > 0) {
        throw new Error(`score refused what enrich wrote: ${quarantine.entries[0]?.reason ?? `${result.failed.size} record(s) failed`}`);
      }
      return { moments: result.moments, scores: result.scores };
    },
  };
}
