/**
 * `npm run evaluate` without the command line: history text in, report out.
 */
import { createHash } from 'node:crypto';
import type { MicroMomentsConfig } from '../config/types';
import type { Intent } from '../contracts/enriched';
import { convertHistory, type HistoryFormat } from './datasets';
import { evaluateSessions, type EvaluationReport } from './evaluate';
import { readHistory } from './history';
import { enrichHistory, scoreHistory, type EnrichedHistory } from './run-pipeline';
import { inMemoryScoreStage } from './score-stage';
import { sessionise, type Sessions } from './sessions';
import { splitCustomers } from './split';

export interface HistoryInput {
  name: string;
  text: string;
  format: HistoryFormat;
}

export interface SessionSettings {
  gapMinutes: number;
  sessionIdPath?: string;
}

export interface PreparedHistory {
  input: { name: string; sha256: string; lines: number };
  enriched: EnrichedHistory;
  /** Conversion notes (rows skipped by reason) for the CSV formats. */
  skipped: Record<string, number>;
}

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Converts, reads and enriches a history once (enrich does not depend on the scoring weights). */
export async function prepareHistory(input: HistoryInput, config: MicroMomentsConfig, sessions: SessionSettings): Promise<PreparedHistory> {
  const converted = convertHistory(input.text, input.format);
  const history = readHistory(converted.lines, { sessionIdPath: sessions.sessionIdPath });
  const enriched = await enrichHistory(history, config);
  return { input: { name: input.name, sha256: sha256(input.text), lines: converted.lines.length }, enriched, skipped: converted.skipped };
}

export function outcomeEventsOf(config: MicroMomentsConfig, intent: Intent): string[] {
  const events = config.scoring.intents[intent].outcomeEvents ?? [];
  if (events.length === 0) {
    throw new Error(`no outcome event for intent ${intent}: set scoring.intents.${intent}.outcomeEvents in the configuration (e.g. ["Order Completed"] for buy)`);
  }
  return events;
}

export function sessionsOf(prepared: PreparedHistory, config: MicroMomentsConfig, intent: Intent, s: SessionSettings): Sessions {
  return sessionise(prepared.enriched, { gapMinutes: s.gapMinutes, outcomeEvents: outcomeEventsOf(config, intent) });
}

export interface EvaluateRun {
  intent: Intent;
  seed: number;
  replicates: number;
  session: SessionSettings;
  /** Evaluate the held-out customers of the configuration's provenance (its split), not everyone. */
  heldOut?: boolean;
}

export async function evaluatePrepared(prepared: PreparedHistory, config: MicroMomentsConfig, run: EvaluateRun): Promise<EvaluationReport> {
  const sessions = sessionsOf(prepared, config, run.intent, run.session);
  let train: Uint8Array | undefined;
  if (run.heldOut) {
    const p = config.scoring.provenance?.[run.intent];
    if (!p) throw new Error(`--held-out needs a configuration fitted by npm run fit (scoring.provenance.${run.intent} is missing)`);
    if (p.input.sha256 !== prepared.input.sha256) {
      throw new Error(`--held-out: this input (sha256 ${prepared.input.sha256.slice(0, 12)}…) is not the one the configuration was fitted on (${p.input.sha256.slice(0, 12)}…)`);
    }
    train = splitCustomers(sessions.customers, p.split.trainFraction, p.split.seed);
  }
  const scored = await scoreHistory(prepared.enriched, config, run.intent, inMemoryScoreStage);
  const report = evaluateSessions(config, prepared.enriched, scored, sessions, {
    intent: run.intent,
    seed: run.seed,
    replicates: run.replicates,
    sessionGapMinutes: run.session.gapMinutes,
    ...(run.session.sessionIdPath ? { sessionIdPath: run.session.sessionIdPath } : {}),
    ...(train ? { train } : {}),
  });
  return { ...report, input: prepared.input };
}
