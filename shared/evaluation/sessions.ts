/**
 * Sessions, the unit evaluation judges: a customer's events with no gap longer than
 * `gapMinutes` (or the history's own session id). A session is positive when it contains an
 * outcome event (`Order Completed` for buy); only the signals strictly before its first outcome
 * may predict it, so a positive session with no event before its outcome cannot be predicted and
 * is left out, and so is a session of which enrich let no signal through (nothing to score).
 */
import type { EnrichedHistory } from './run-pipeline';

export interface Session {
  /** Index of the customer (in order of first appearance); raw ids never leave memory. */
  customer: number;
  startMs: number;
  label: boolean;
  /** Time of the first outcome (positive sessions). */
  outcomeMs?: number;
  /** Event indices of every event of the session. */
  events: number[];
  /** Event indices of the signals that may predict it: enriched, first of their message id, before the outcome. */
  usable: number[];
}

export const LEFT_OUT_REASONS = ['outcome-first', 'nothing-enriched'] as const;
export type LeftOutReason = (typeof LEFT_OUT_REASONS)[number];

export interface LeftOutSession {
  customer: number;
  label: boolean;
  reason: LeftOutReason;
}

export interface Sessions {
  sessions: Session[];
  customers: number;
  leftOut: LeftOutSession[];
}

/** Left-out sessions by reason (of the customers `include` accepts). */
export function leftOutCounts(list: readonly LeftOutSession[], include: (customer: number) => boolean = () => true) {
  const out = Object.fromEntries(LEFT_OUT_REASONS.map((r) => [r, { sessions: 0, positives: 0 }])) as Record<LeftOutReason, { sessions: number; positives: number }>;
  for (const l of list) {
    if (!include(l.customer)) continue;
    out[l.reason].sessions++;
    if (l.label) out[l.reason].positives++;
  }
  return out;
}

export interface SessionOptions {
  gapMinutes: number;
  outcomeEvents: readonly string[];
}

/** Each customer's event indices, in time order; customers numbered in order of first appearance. */
export function eventsByCustomer(h: EnrichedHistory): number[][] {
  const byCustomer = new Map<string, number[]>();
  for (const e of h.history.events) {
    const list = byCustomer.get(e.customerId);
    if (list) list.push(e.index);
    else byCustomer.set(e.customerId, [e.index]);
  }
  return [...byCustomer.values()];
}

/** The events the scorer applies for a customer: enriched, each message id once. */
export function appliedEvents(h: EnrichedHistory, indices: readonly number[]): number[] {
  const seen = new Set<string>();
  return indices.filter((i) => {
    const id = h.history.events[i].messageId;
    if (h.status[i].kind !== 'enriched' || seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

export function sessionise(h: EnrichedHistory, opts: SessionOptions): Sessions {
  const outcomes = new Set(opts.outcomeEvents);
  const gapMs = opts.gapMinutes * 60_000;
  const sessions: Session[] = [];
  const leftOut: LeftOutSession[] = [];
  let customer = 0;
  for (const indices of eventsByCustomer(h)) {
    const applied = new Set(appliedEvents(h, indices));
    for (const group of split(indices, h, gapMs)) {
      const events = h.history.events;
      const first = group.find((i) => outcomes.has(events[i].event));
      const outcomeMs = first === undefined ? undefined : events[first].timeMs;
      const usable: number[] = [];
      for (const i of group) {
        const e = events[i];
        if (outcomeMs !== undefined && e.timeMs >= outcomeMs) continue;
        if (!outcomes.has(e.event) && applied.has(i)) usable.push(i);
      }
      const label = outcomeMs !== undefined;
      const reason: LeftOutReason | undefined =
        label && events[group[0]].timeMs >= (outcomeMs as number) ? 'outcome-first' : usable.length === 0 ? 'nothing-enriched' : undefined;
      if (reason) {
        leftOut.push({ customer, label, reason });
        continue;
      }
      sessions.push({ customer, startMs: events[group[0]].timeMs, label, ...(label ? { outcomeMs } : {}), events: group, usable });
    }
    customer++;
  }
  return { sessions, customers: customer, leftOut };
}

/** A customer's events (in time order) cut into sessions: by session id where given, else by the gap. */
function split(indices: readonly number[], h: EnrichedHistory, gapMs: number): number[][] {
  const events = h.history.events;
  const byId = new Map<string, number[]>();
  const out: number[][] = [];
  let current: number[] = [];
  let lastMs = Number.NEGATIVE_INFINITY;
  for (const i of indices) {
    const id = events[i].sessionId;
    if (id !== undefined) {
      const list = byId.get(id);
      if (list) list.push(i);
      else {
        const fresh = [i];
        byId.set(id, fresh);
        out.push(fresh);
      }
      continue;
    }
    if (current.length > 0 && events[i].timeMs - lastMs > gapMs) current = [];
    if (current.length === 0) out.push(current);
    current.push(i);
    lastMs = events[i].timeMs;
  }
  // Sessions in order of their start, whichever rule made them.
  return out.sort((a, b) => events[a[0]].timeMs - events[b[0]].timeMs || a[0] - b[0]);
}
