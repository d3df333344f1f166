/**
 * The journey simulator: the producer of local mode and of `npm run simulate`.
 *
 * It yields `ratePerSecond × durationSeconds` records, the i-th at `at = floor(i × 1000 / rate)`
 * milliseconds from the start. Each slot holds, by a seeded draw, a malformed record (share
 * `malformedShare`), a sensitive signal (share `sensitiveShare`) or the next step of a journey:
 * the earliest step that is due, else the first step of a new journey for an idle customer, else
 * (all customers busy) the earliest step even if early. A customer walks one journey at a time,
 * so their signals come in order.
 *
 * Determinism, precisely: the same options give the same sequence of records, byte for byte.
 * Timestamps are `startTime + at` (ISO, millisecond precision), or, with `clock`, the clock's
 * time when the record is generated (pull each record when it is due). Nothing else depends on
 * either: with another start time or clock, every record is the same once each ISO timestamp in
 * it is replaced by a fixed string (a truncated record is cut before its timestamp, so it holds
 * none). test/unit/simulator checks both.
 */
import type { MicroMomentsConfig } from '../../shared/config/types';
import type { Signal } from '../../shared/contracts';
import { SENSITIVE_SAMPLES, type SensitiveTopic } from './catalogue';
import { createCustomers, deviceContext, isApp, randomNear, type SimCustomer } from './customers';
import { buildJourney, chooseJourney, type Draft, type Journey, type JourneyKind } from './journeys';
import { MALFORMATIONS, malform, type Malformation } from './malformed';
import { createRng, type Rng } from './prng';

export type RecordKind = 'valid' | 'malformed' | 'sensitive';

export interface SimulatorOptions {
  seed: number;
  customers: number;
  ratePerSecond: number;
  /** Infinity for a stream without end (local mode's --keep-running). */
  durationSeconds: number;
  config: MicroMomentsConfig;
  /** Share of records that break the contract, in [0, 1] (default 0.02). */
  malformedShare?: number;
  /** Share of signals about a sensitive category, in [0, 1] (default 0.03). */
  sensitiveShare?: number;
  /** Time of `at = 0`; timestamps are startTime + at (default: now). */
  startTime?: Date;
  /** When given, each record is stamped with the clock's time when it is generated. */
  clock?: () => number | Date;
}

export interface SimulatedRecord {
  /** 0, 1, 2, ... */
  seq: number;
  /** Milliseconds from the start at which the record is due. */
  at: number;
  /** The bytes to put on the stream. */
  record: Uint8Array;
  partitionKey: string;
  kind: RecordKind;
  /** The journey kind (valid), the malformation (malformed) or the sensitive topic (sensitive). */
  label: JourneyKind | Malformation | SensitiveTopic;
  /** The signal's messageId, when the record has a usable one. */
  messageId?: string;
  /** The signal, for valid and sensitive records. */
  signal?: Signal;
  /** Index of the simulated customer (not an identifier: for counting per customer). */
  customer: number;
}

export const SIMULATOR_DEFAULTS = { malformedShare: 0.02, sensitiveShare: 0.03 } as const;

function check(opts: SimulatorOptions): Required<Pick<SimulatorOptions, 'malformedShare' | 'sensitiveShare'>> {
  const fail = (field: string, rule: string, got: unknown) => {
    throw new RangeError(`Simulator.${field}: ${rule}, got ${String(got)}`);
  };
  if (!Number.isInteger(opts.seed)) fail('seed', 'must be an integer', opts.seed);
  if (!Number.isInteger(opts.customers) || opts.customers < 1) fail('customers', 'must be an integer >= 1', opts.customers);
  if (!Number.isFinite(opts.ratePerSecond) || opts.ratePerSecond <= 0) fail('ratePerSecond', 'must be a number > 0', opts.ratePerSecond);
  if (!(opts.durationSeconds > 0)) fail('durationSeconds', 'must be > 0 (Infinity for no end)', opts.durationSeconds);
  const malformedShare = opts.malformedShare ?? SIMULATOR_DEFAULTS.malformedShare;
  const sensitiveShare = opts.sensitiveShare ?? SIMULATOR_DEFAULTS.sensitiveShare;
  if (!(malformedShare >= 0 && malformedShare <= 1)) fail('malformedShare', 'must be in [0, 1]', malformedShare);
  if (!(sensitiveShare >= 0 && sensitiveShare <= 1)) fail('sensitiveShare', 'must be in [0, 1]', sensitiveShare);
  if (malformedShare + sensitiveShare > 1) fail('malformedShare + sensitiveShare', 'must be at most 1', malformedShare + sensitiveShare);
  if (opts.startTime && Number.isNaN(opts.startTime.getTime())) fail('startTime', 'must be a valid date', opts.startTime);
  return { malformedShare, sensitiveShare };
}

/** How many records a simulation yields (Infinity for an endless one). */
export function plannedRecords(opts: Pick<SimulatorOptions, 'ratePerSecond' | 'durationSeconds'>): number {
  return opts.durationSeconds === Infinity ? Infinity : Math.floor(opts.ratePerSecond * opts.durationSeconds);
}

interface Active {
  due: number;
  /** Tie-break for equal due times, so the order never depends on the heap's internals. */
  order: number;
  customer: SimCustomer;
  journey: Journey;
  next: number;
}

/** A binary min-heap of active journeys by (due, order). */
class JourneyQueue {
  private items: Active[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Active | undefined {
    return this.items[0];
  }
  private less(a: Active, b: Active): boolean {
    return a.due < b.due || (a.due === b.due && a.order < b.order);
  }
  push(item: Active): void {
    const h = this.items;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }
  pop(): Active | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

const partitionKeyOf = (c: SimCustomer) => (c.identified ? c.userId : c.anonymousId);

/** Fills in a draft: ids, the timestamp, the device, position and consent context. */
function complete(draft: Draft, c: SimCustomer, rng: Rng, timestamp: string): Signal {
  draft.effect?.(c);
  const context: Record<string, unknown> = { timezone: c.timezone, locale: c.locale, ...deviceContext(c.device) };
  if (isApp(c.device)) context.location = draft.location ?? randomNear(rng, c.home, 0, 300);
  if (draft.background) context.background = true;
  context.consent = { categoryPreferences: { ...c.consent } };
  const signal: Record<string, unknown> = { type: draft.type };
  if (draft.event !== undefined) signal.event = draft.event;
  if (draft.name !== undefined) signal.name = draft.name;
  if (draft.category !== undefined) signal.category = draft.category;
  signal.messageId = rng.uuid();
  if (c.identified) signal.userId = c.userId;
  signal.anonymousId = c.anonymousId;
  if (draft.properties !== undefined) signal.properties = draft.properties;
  if (draft.traits !== undefined) signal.traits = draft.traits;
  signal.context = context;
  signal.timestamp = timestamp;
  return signal as Signal;
}

const encode = (value: unknown) => new Uint8Array(Buffer.from(JSON.stringify(value), 'utf8'));

/** A random single step of a journey, as the base of a malformed record. */
function anyDraft(rng: Rng, c: SimCustomer, lifeEventTypes: readonly string[]): Draft {
  return buildJourney(rng.pick(['go', 'do', 'know', 'buy', 'browse'] as const), rng, c, { lifeEventTypes }).steps[0].draft;
}

export function* createSimulator(opts: SimulatorOptions): Generator<SimulatedRecord, void, undefined> {
  const { malformedShare, sensitiveShare } = check(opts);
  const rng = createRng(opts.seed);
  const customers = createCustomers(rng, opts.customers, opts.config.locations);
  const journeyOpts = { lifeEventTypes: opts.config.scoring.lifeEvents.allowedTypes };
  const start = (opts.startTime ?? new Date()).getTime();
  const stamp = (at: number) => new Date(opts.clock ? opts.clock() : start + at).toISOString();

  const idle = customers.map((c) => c);
  const queue = new JourneyQueue();
  let order = 0;
  const total = plannedRecords(opts);

  for (let seq = 0; seq < total; seq++) {
    const at = Math.floor((seq * 1000) / opts.ratePerSecond);
    const u = rng.next();

    if (u < malformedShare) {
      const c = rng.pick(customers);
      const kind = rng.pick(MALFORMATIONS);
      const base = complete(anyDraft(rng, c, journeyOpts.lifeEventTypes), c, rng, stamp(at));
      const record = malform(kind, base as Record<string, unknown>, rng);
      const keepsId = kind !== 'missing-message-id' && kind !== 'truncated-json' && kind !== 'not-an-object';
      yield { seq, at, record, partitionKey: partitionKeyOf(c), kind: 'malformed', label: kind, messageId: keepsId ? base.messageId : undefined, customer: c.index };
      continue;
    }

    if (u < malformedShare + sensitiveShare) {
      const c = rng.pick(customers);
      const sample = rng.pick(SENSITIVE_SAMPLES);
      const { topic, ...draft } = sample;
      const signal = complete({ ...draft, properties: draft.properties ? { ...draft.properties } : undefined }, c, rng, stamp(at));
      yield { seq, at, record: encode(signal), partitionKey: partitionKeyOf(c), kind: 'sensitive', label: topic, messageId: signal.messageId, signal, customer: c.index };
      continue;
    }

    let active = queue.peek();
    if ((!active || active.due > at) && idle.length > 0) {
      const i = Math.floor(rng.next() * idle.length);
      const c = idle[i];
      idle[i] = idle[idle.length - 1];
      idle.pop();
      const journey = buildJourney(chooseJourney(rng, c), rng, c, journeyOpts);
      active = { due: at, order: order++, customer: c, journey, next: 0 };
    } else {
      active = queue.pop();
    }
    // There is always an idle customer or an active journey: customers >= 1.
    const a = active as Active;
    const c = a.customer;
    const step = a.journey.steps[a.next];
    const signal = complete(step.draft, c, rng, stamp(at));
    const partitionKey = partitionKeyOf(c);
    a.next++;
    if (a.next < a.journey.steps.length) {
      a.due = at + a.journey.steps[a.next].delayMs;
      a.order = order++;
      queue.push(a);
    } else {
      c.journeysDone++;
      idle.push(c);
    }
    yield { seq, at, record: encode(signal), partitionKey, kind: 'valid', label: a.journey.kind, messageId: signal.messageId, signal, customer: c.index };
  }
}
