/**
 * The scoring model, pure: one customer's state and signals in, the new state, the moments it
 * opened and the signals it skipped out. No clock, no I/O: times come from the signals.
 *
 * Out-of-order signals: evidence decays exponentially, which is linear, so a signal older than the
 * intent's evidence time adds its weight decayed from its own time to that time; the result is the
 * same as if it had arrived in order. Negative evidence (a removal) is summed like the rest and
 * fades like the rest; only the score floors the total at zero. What depends on arrival order: a
 * closer removes evidence at or before its own time (a late signal before an order is ignored for
 * buy), behaviour features judge a signal against the state when it arrives (behaviour.ts), and a
 * moment is only ever detected when a signal arrives (at the later of its own time and the
 * intent's evidence time).
 */
import { INTENTS, type EnrichedSignal, type Intent } from '../contracts/enriched';
import type { MomentDetectedDetail, MomentReason } from '../contracts/events';
import type { ScoringConfig } from '../config/types';
import { applyBehaviour, cloneBehaviour, emptyBehaviour, levelEvidence, levelsAt, patternFeatures, type BehaviourState, type LevelValue } from './behaviour';
import { compileScoring, type CompiledScoring } from './compile';
import { decayFactor, NEGLIGIBLE, scoreOf } from './decay';
import { featuresOf, type Feature } from './evidence';
import { recentKey } from './recent-key';
import { buildMoment } from './moment';
import { cloneState, emptyState, type Contribution, type IntentState, type ScoreState } from './state';
import { parseIsoMs } from '../time/parse-iso';

export const LIFE_EVENT = 'Life Event';

export type SkipReason = 'already-applied' | 'beyond-horizon';
export interface SkippedSignal {
  messageId: string;
  reason: SkipReason;
}

export interface SignalScores {
  messageId: string;
  customerKey: string;
  timestamp: string;
  event: string;
  /** Each intent's score at the watermark, after the signal was applied. */
  scores: Record<Intent, number>;
}

export interface ScoreResult {
  /** The new state; the input state itself (never changed) when `changed` is false. */
  state: ScoreState;
  /**
   * Whether the state differs from the input: false when every signal was skipped or could
   * change nothing, and then the state need not be written.
   */
  changed: boolean;
  moments: MomentDetectedDetail[];
  skipped: SkippedSignal[];
  /** Only with `withScores`. */
  scores?: SignalScores[];
}

export interface ScoreOptions {
  /** Also return every applied signal's per-intent scores (replay's `--scores`). */
  withScores?: boolean;
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/** Each intent's score at `atMs` (not before the evidence time), without new evidence. */
export function scoresAt(state: ScoreState, atMs: number, config: ScoringConfig): Record<Intent, number> {
  const c = compileScoring(config);
  const out = { know: 0, go: 0, do: 0, buy: 0 };
  const levels = c.behaviour ? levelsAt(state.behaviour, atMs, c.behaviour) : [];
  for (const intent of INTENTS) {
    const s = state.intents[intent];
    let evidence = s ? s.evidence * decayFactor(atMs - s.atMs, c.halfLife[intent]) : 0;
    // Levels describe the customer now (right after an order too: prior purchases count from it on).
    if (c.behaviour && levels.length > 0) evidence += levelEvidence(levels, intent, c.behaviour);
    out[intent] = scoreOf(evidence, config.evidenceScale, c.baseLogOdds[intent]);
  }
  return out;
}

/** The behaviour state before and after a signal: a moment's trigger must raise the levels or add evidence. */
interface LevelChange {
  before: BehaviourState | undefined;
  after: BehaviourState;
}

export function scoreCustomer(
  state: ScoreState | undefined,
  signals: readonly EnrichedSignal[],
  config: ScoringConfig,
  opts: ScoreOptions = {},
): ScoreResult {
  const c = compileScoring(config);
  const customerKey = state?.customerKey ?? signals[0]?.customerKey ?? '';
  // Copied on the first signal that changes it, not before: a customer whose signals are all
  // redeliveries or carry no evidence costs no copy (the input is only read until then).
  let s = state ?? emptyState(customerKey);
  let owned = state === undefined;
  const moments: MomentDetectedDetail[] = [];
  const skipped: SkippedSignal[] = [];
  const scores: SignalScores[] | undefined = opts.withScores ? [] : undefined;
  let changed = false;

  for (const signal of signals) {
    if (signal.customerKey !== customerKey) {
      throw new Error(`scoreCustomer: signal ${signal.messageId} has customerKey ${signal.customerKey}, the state is for ${customerKey}`);
    }
    const t = parseIsoMs(signal.timestamp);
    if (Number.isNaN(t)) throw new Error(`scoreCustomer: signal ${signal.messageId} timestamp is not a date-time: ${signal.timestamp}`);
    const key = recentKey(signal.messageId);
    if (wasApplied(s.recent, key, t)) {
      skipped.push({ messageId: signal.messageId, reason: 'already-applied' });
      continue;
    }
    if (s.forgottenUpToMs !== undefined && t <= s.forgottenUpToMs) {
      skipped.push({ messageId: signal.messageId, reason: 'beyond-horizon' });
      continue;
    }
    const closes = c.closers.get(signal.event);
    const features = featuresOf(signal, c);
    const touches = !!c.behaviour && touchesBehaviour(signal.event, c);
    // A signal that can change nothing (no feature, not a closer, not a life event, no behaviour)
    // is not remembered: applying it again is as harmless as the first time, so the state need
    // not be written for it (most of a stream's page views and screens).
    // Nor does it move the watermark: the state depends on the signals that changed it only, so
    // it is the same however the stream was cut into batches (the fault tests compare them).
    if (!closes && signal.event !== LIFE_EVENT && features.length === 0 && !touches) {
      if (scores) scores.push({ messageId: signal.messageId, customerKey, timestamp: signal.timestamp, event: signal.event, scores: scoresAt(s, Math.max(s.watermarkMs, t), config) });
      continue;
    }
    changed = true;
    if (!owned) {
      s = cloneState(s);
      owned = true;
    }
    remember(s, key, t, config.recentMessageIds);
    if (t > s.watermarkMs) s.watermarkMs = t;

    if (closes) for (const intent of closes) closeIntent(s, intent, t, c);

    if (signal.event === LIFE_EVENT) {
      const moment = lifeEventMoment(s, signal, t, c);
      if (moment) moments.push(moment);
    }

    let levels: LevelChange | undefined;
    if (c.behaviour && (s.behaviour || touches)) {
      const before = s.behaviour ? cloneBehaviour(s.behaviour) : undefined;
      const after = s.behaviour ?? emptyBehaviour();
      features.push(...patternFeatures(applyBehaviour(after, signal, t, c.behaviour), c.behaviour));
      s.behaviour = after;
      levels = { before, after };
    }
    const byIntent = groupByIntent(features);
    if (levels && c.behaviour) for (const intent of c.behaviour.levelIntents) if (!byIntent.has(intent)) byIntent.set(intent, []);
    for (const intent of INTENTS) {
      const list = byIntent.get(intent);
      if (!list) continue;
      const moment = applyEvidence(s, intent, list, signal, t, c, levels);
      if (moment) moments.push(moment);
    }

    if (scores) {
      scores.push({
        messageId: signal.messageId,
        customerKey,
        timestamp: signal.timestamp,
        event: signal.event,
        scores: scoresAt(s, s.watermarkMs, config),
      });
    }
  }
  return { state: s, changed, moments, skipped, ...(scores ? { scores } : {}) };
}

/**
 * Whether this message was applied: `recent` is sorted by signal time and a redelivered record
 * carries its original timestamp, so only the entries of that exact time need looking at
 * (a binary search, not a set built per call: most calls score one or two signals).
 */
function wasApplied(recent: ScoreState['recent'], key: string, t: number): boolean {
  let lo = 0;
  let hi = recent.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (recent[mid][1] < t) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < recent.length && recent[i][1] === t; i++) if (recent[i][0] === key) return true;
  return false;
}

/** Keeps `recent` sorted by signal time; when full, forgets the oldest and moves the horizon. */
function remember(s: ScoreState, key: string, t: number, cap: number): void {
  let i = s.recent.length;
  while (i > 0 && s.recent[i - 1][1] > t) i--;
  s.recent.splice(i, 0, [key, t]);
  while (s.recent.length > cap) {
    const at = s.recent.shift()![1];
    s.forgottenUpToMs = Math.max(s.forgottenUpToMs ?? at, at);
  }
}

function touchesBehaviour(event: string, c: CompiledScoring): boolean {
  const b = c.behaviour;
  return !!b && (b.view.has(event) || b.add.has(event) || b.remove.has(event) || b.purchase.has(event) || b.strong.has(event));
}

function groupByIntent(features: Feature[]): Map<Intent, Feature[]> {
  const out = new Map<Intent, Feature[]>();
  for (const f of features) {
    const list = out.get(f.intent);
    if (list) list.push(f);
    else out.set(f.intent, [f]);
  }
  return out;
}

/**
 * A closer at time t removes everything at or before t: the evidence, its contributions and a
 * moment opened by then. Evidence after t (a late closer) is rebuilt from the contributions kept.
 */
function closeIntent(s: ScoreState, intent: Intent, t: number, c: CompiledScoring): void {
  const cur = s.intents[intent];
  const closedAtMs = Math.max(cur?.closedAtMs ?? t, t);
  if (!cur) {
    s.intents[intent] = { evidence: 0, atMs: t, closedAtMs, contributions: [] };
    return;
  }
  const kept = cur.contributions.filter((k) => k.atMs > t);
  let evidence = 0;
  for (const k of kept) evidence += k.weight * decayFactor(cur.atMs - k.atMs, c.halfLife[intent]);
  const next: IntentState = {
    evidence: Math.abs(evidence) > NEGLIGIBLE ? evidence : 0,
    atMs: Math.max(cur.atMs, t),
    closedAtMs,
    contributions: kept,
  };
  if (cur.open && cur.open.atMs > t) next.open = cur.open;
  s.intents[intent] = next;
}

function lifeEventMoment(s: ScoreState, signal: EnrichedSignal, t: number, c: CompiledScoring): MomentDetectedDetail | undefined {
  const type = signal.features.lifeEventType;
  // Allowlist only: a type that is not allowed (sensitive ones never are) opens nothing.
  if (!type || !c.lifeEventTypes.has(type)) return undefined;
  const last = s.lifeEvents[type];
  if (last !== undefined && Math.abs(t - last) < c.lifeEventCooldownMs) return undefined;
  s.lifeEvents[type] = Math.max(last ?? t, t);
  return buildMoment({
    intent: 'life-event',
    // Stated by the customer, not inferred: there is no score to cross.
    score: 1,
    threshold: 0,
    reasons: [{ kind: 'life-event', feature: type, messageId: signal.messageId, weight: 1, contribution: 1 }],
    trigger: signal,
    detectedAtMs: t,
    scoringVersion: c.config.version,
    lifeEventType: type,
  });
}

function applyEvidence(
  s: ScoreState,
  intent: Intent,
  features: Feature[],
  signal: EnrichedSignal,
  t: number,
  c: CompiledScoring,
  levels: LevelChange | undefined,
): MomentDetectedDetail | undefined {
  const halfLife = c.halfLife[intent];
  const beh = c.behaviour;
  const reads = !!levels && !!beh && beh.levelIntents.has(intent);
  // A signal that only moved levels this intent does not read leaves the intent untouched.
  if (features.length === 0 && !reads) return undefined;
  const existing = s.intents[intent];
  if (existing?.closedAtMs !== undefined && t <= existing.closedAtMs) return undefined;
  if (features.length === 0 && levels && beh) {
    // Nothing to add: only a change of the levels (at the signal's time) can make it a trigger.
    const at = Math.max(t, existing?.atMs ?? t);
    const change = levelEvidence(levelsAt(levels.after, at, beh), intent, beh) - levelEvidence(levelsAt(levels.before, at, beh), intent, beh);
    if (!(change > 0)) return undefined;
  }
  const cur = existing ?? { evidence: 0, atMs: t, contributions: [] };
  s.intents[intent] = cur;

  let factor = 1;
  if (t >= cur.atMs) {
    cur.evidence *= decayFactor(t - cur.atMs, halfLife);
    cur.atMs = t;
  } else {
    factor = decayFactor(cur.atMs - t, halfLife);
  }
  let delta = 0;
  for (const f of features) {
    delta += f.weight;
    cur.contributions.push({ kind: f.kind, feature: f.feature, messageId: signal.messageId, weight: f.weight, atMs: t });
  }
  cur.evidence += delta * factor;
  if (Math.abs(cur.evidence) < NEGLIGIBLE) cur.evidence = 0;
  pruneContributions(cur, halfLife, c.contributionCap);

  let level = 0;
  let levelValues: LevelValue[] = [];
  if (reads && levels && beh) {
    levelValues = levelsAt(levels.after, cur.atMs, beh);
    level = levelEvidence(levelValues, intent, beh);
    delta += level - levelEvidence(levelsAt(levels.before, cur.atMs, beh), intent, beh);
  }
  // Only a signal that adds evidence can trigger: it is the reason the moment is now.
  if (delta <= 0) return undefined;
  const score = scoreOf(cur.evidence + level, c.config.evidenceScale, c.baseLogOdds[intent]);
  const threshold = c.threshold[intent];
  if (score < threshold) return undefined;
  if (cur.open && cur.atMs - cur.open.atMs < c.cooldownMs[intent]) return undefined;

  const moment = buildMoment({
    intent,
    score,
    threshold,
    reasons: reasonsOf(cur.contributions, cur.atMs, halfLife, c.config.maxReasons, levelReasons(levelValues, intent, c)),
    trigger: signal,
    detectedAtMs: cur.atMs,
    scoringVersion: c.config.version,
  });
  cur.open = { momentId: moment.momentId, atMs: cur.atMs };
  return moment;
}

function decayedAt(k: Contribution, atMs: number, halfLife: number): number {
  return k.weight * decayFactor(atMs - k.atMs, halfLife);
}

/**
 * Beyond the cap, forgets contributions that decayed to nothing, then the weakest. Below it
 * nothing is done: a contribution holds its weight and time, not a decayed value, so keeping a
 * faded one costs a few bytes and no precision.
 */
function pruneContributions(cur: IntentState, halfLife: number, cap: number): void {
  if (cur.contributions.length <= cap) return;
  let list = cur.contributions.filter((k) => Math.abs(decayedAt(k, cur.atMs, halfLife)) >= NEGLIGIBLE);
  while (list.length > cap) {
    let weakest = 0;
    let weakestValue = Infinity;
    for (let i = 0; i < list.length; i++) {
      const v = Math.abs(decayedAt(list[i], cur.atMs, halfLife));
      if (v < weakestValue) {
        weakest = i;
        weakestValue = v;
      }
    }
    list = list.filter((_, i) => i !== weakest);
  }
  cur.contributions = list;
}

/** A reason before rounding: what it adds at detection time. */
interface ReasonValue {
  kind: MomentReason['kind'];
  feature: string;
  messageId: string;
  weight: number;
  value: number;
}

/** The level features of an intent as reasons: weight × level, already as of detection time. */
function levelReasons(levels: readonly LevelValue[], intent: Intent, c: CompiledScoring): ReasonValue[] {
  const out: ReasonValue[] = [];
  if (!c.behaviour) return out;
  for (const l of levels) {
    for (const [i, weight] of c.behaviour.level[l.feature]) {
      if (i === intent) out.push({ kind: 'behaviour', feature: l.feature, messageId: l.messageId, weight, value: weight * l.value });
    }
  }
  return out;
}

/**
 * The strongest contributions at detection time, strongest first, at most `max`, with the
 * behaviour levels read at that time (`levels`) among them.
 */
export function reasonsOf(
  contributions: readonly Contribution[],
  atMs: number,
  halfLife: number,
  max: number,
  levels: readonly ReasonValue[] = [],
): MomentReason[] {
  const decayed: ReasonValue[] = contributions.map((k) => ({ kind: k.kind, feature: k.feature, messageId: k.messageId, weight: k.weight, value: decayedAt(k, atMs, halfLife) }));
  return [...decayed, ...levels]
    .map((r, i) => ({ r, i }))
    .sort((a, b) => Math.abs(b.r.value) - Math.abs(a.r.value) || a.i - b.i)
    .map(({ r }) => ({ kind: r.kind, feature: r.feature, messageId: r.messageId, weight: r.weight, contribution: round4(r.value) }))
    .filter((r) => r.contribution !== 0)
    .slice(0, max);
}
