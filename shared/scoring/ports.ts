/**
 * What the score stage needs from the world (shared/scoring/pipeline.ts), as pure types: DynamoDB,
 * EventBridge and SQS implement them in AWS (shared/adapters/), memory in replay, benchmarks,
 * evaluation and tests.
 */
import type { MomentDetectedDetail } from '../contracts/events';
import type { MicroMomentsConfig, ScoringConfig, SensitiveCategory } from '../config/types';
import type { EventPublisher } from '../events/publisher';
import type { QuarantineSink } from '../stream/quarantine';
import type { ScoreState } from './state';
import type { GuardReader } from '../privacy/customer-guard';

/** `written`: new; `exists`: written before (a redelivery); `failed`: could not be made durable. */
export type MomentWriteOutcome = { status: 'written' | 'exists' } | { status: 'failed'; error: string };

/** Per-customer intent state and the moments detected, in one store (the single table in AWS). */
export interface StateStore {
  /** The states of these customers (absent = never scored, or expired). Throws if they cannot be read. */
  getStates(customerKeys: readonly string[]): Promise<Map<string, ScoreState>>;
  /** Conditional writes; one outcome per moment, in order. Never throws for one moment's failure. */
  putMoments(moments: readonly MomentDetectedDetail[]): Promise<MomentWriteOutcome[]>;
  /** Writes the states; answers the customer keys whose state could not be confirmed written. */
  putStates(states: readonly ScoreState[]): Promise<{ failed: string[] }>;
}

/** Structured log lines; Powertools' Logger fits. Attributes carry keys and ids, never raw identifiers. */
export interface StageLogger {
  debug(message: string, attributes: Record<string, unknown>): void;
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

export interface ScorePorts {
  /** The model's settings (config.scoring). */
  scoring: ScoringConfig;
  /** The signal time window (config.signalTimeWindow): how far producer clocks may run ahead, for the erasure rule. */
  window: Pick<MicroMomentsConfig, 'signalTimeWindow'>;
  /** The sensitive categories (config.sensitive): a record enrich should have dropped is dropped here. */
  sensitive: Record<string, SensitiveCategory>;
  states: StateStore;
  /** Erasures and withdrawn consent, read again before scoring (shared/privacy/customer-guard.ts). */
  guards: GuardReader;
  publisher: EventPublisher;
  quarantine: QuarantineSink;
  /** When a record is quarantined (`quarantinedAt`); scoring itself reads no clock. */
  now: () => Date;
  /** Defaults to silence. */
  logger?: StageLogger;
}
