/**
 * Recorded Segment history, read for evaluation: each line's customer, time, event and (when
 * asked for) session id, in time order, and the slices the pipeline takes it in.
 *
 * Raw ids stay in memory: they group a customer's events into sessions and are never written
 * to a report.
 */

export interface HistoryEvent {
  /** Position in the time-ordered history. */
  index: number;
  line: string;
  messageId: string;
  /** `userId`, else `anonymousId` (enrich's rule): the customer the scorer keys on. */
  customerId: string;
  timeMs: number;
  event: string;
  /** The value at `sessionIdPath`, when one was given and the message has it. */
  sessionId?: string;
}

export interface History {
  events: HistoryEvent[];
  /** Lines that are not a message with a customer, a time and an event name (enrich quarantines them too). */
  unreadable: number;
}

type Bag = Record<string, unknown>;

function at(value: unknown, path: readonly string[]): unknown {
  let cur = value;
  for (const key of path) {
    if (!cur || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Bag)[key];
  }
  return cur;
}

function eventOf(m: Bag): string | undefined {
  if (m.type === 'track') return typeof m.event === 'string' ? m.event : undefined;
  if (m.type === 'page') return 'Page Viewed';
  if (m.type === 'screen') return 'Screen Viewed';
  if (m.type === 'identify') return 'Identify';
  return undefined;
}

/**
 * Reads the lines, in timestamp order (stable: equal times keep file order).
 * `sessionIdPath` is a dotted path in the message, e.g. `properties.session_id`.
 */
export function readHistory(lines: readonly string[], opts: { sessionIdPath?: string } = {}): History {
  const path = opts.sessionIdPath?.split('.');
  const events: Omit<HistoryEvent, 'index'>[] = [];
  const order: number[] = [];
  let unreadable = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    let m: unknown;
    try {
      m = JSON.parse(line);
    } catch {
      unreadable++;
      continue;
    }
    if (!m || typeof m !== 'object' || Array.isArray(m)) {
      unreadable++;
      continue;
    }
    const bag = m as Bag;
    const id = typeof bag.userId === 'string' && bag.userId !== '' ? bag.userId : bag.anonymousId;
    const timeMs = typeof bag.timestamp === 'string' ? Date.parse(bag.timestamp) : Number.NaN;
    const event = eventOf(bag);
    if (typeof id !== 'string' || id === '' || Number.isNaN(timeMs) || !event || typeof bag.messageId !== 'string') {
      unreadable++;
      continue;
    }
    const session = path ? at(bag, path) : undefined;
    events.push({
      line,
      messageId: bag.messageId,
      customerId: id,
      timeMs,
      event,
      ...(typeof session === 'string' || typeof session === 'number' ? { sessionId: String(session) } : {}),
    });
    order.push(order.length);
  }
  order.sort((a, b) => events[a].timeMs - events[b].timeMs || a - b);
  return { events: order.map((i, index) => ({ ...events[i], index })), unreadable };
}

/**
 * The pipeline takes history in slices of consecutive events, at most SLICE_SIZE spanning at most
 * SLICE_SPAN_MS, as the deployed functions take a Kinesis batch. The slice's clock is its latest
 * event time: every signal is within a minute of "now", as it was when it was recorded, so
 * enrich's time window (which quarantines signals far from now) judges it as it would have then.
 */
export const SLICE_SIZE = 500;
export const SLICE_SPAN_MS = 60_000;

export function* slicesOf<T extends { timeMs: number }>(events: readonly T[]): Generator<{ events: T[]; nowMs: number }> {
  let current: T[] = [];
  for (const e of events) {
    if (current.length > 0 && (current.length >= SLICE_SIZE || e.timeMs - current[0].timeMs > SLICE_SPAN_MS)) {
      yield { events: current, nowMs: current[current.length - 1].timeMs };
      current = [];
    }
    current.push(e);
  }
  if (current.length > 0) yield { events: current, nowMs: current[current.length - 1].timeMs };
}
