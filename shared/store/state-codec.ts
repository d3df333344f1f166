/**
 * The STATE item's encoding (version 2): what the scorer remembers per customer, in under 1 KB so
 * that every state write costs one write unit. DynamoDB bills 1 WRU per KB of item, attribute
 * names included, and the state is rewritten on most batches; version 1 stored the ScoreState as
 * a JSON-shaped map with long names, ISO strings and full message ids (0.9–9.6 KB measured).
 *
 * What makes it small:
 * - short attribute names, and times as numbers: epoch ms for the watermark (`w`), every other
 *   time as an offset back from it (a few digits instead of thirteen);
 * - the dedupe memory (`r`) packed as binary: 6 bytes of message key (recentKey) and 5 bytes of
 *   offset per entry, at most `scoring.recentMessageIds` (16) entries;
 * - contributions packed as binary, 4 bytes each (kind, and indexes into a table of feature names
 *   `x`, of message ids `m` (16 bytes each, their times in `z`) and of weights `y`, shared by
 *   every intent), and bounded per intent (compile.ts);
 * - behaviour's viewed products packed as binary (4 + 4 + 6 bytes each).
 *
 * Adding a field to ScoreState: give it a short attribute name not used below, write it in
 * `encodeState` only when it differs from its default, and read it in `decodeState` with that
 * default when absent (older items do not have it). No version bump is needed for an added
 * field; a change of meaning of an existing one needs a new version and a case in `decodeState`.
 * A version 1 item (`state` attribute) is still read: `stateFromItem` converts it.
 */
import { DAYPARTS, INTENTS, type Intent } from '../contracts/enriched';
import type { ReasonKind } from '../contracts/events';
import { PATTERN_FEATURES, type BehaviourState } from '../scoring/behaviour';
import { RECENT_KEY_HEX, recentKey } from '../scoring/recent-key';
import type { Contribution, IntentState, ScoreState } from '../scoring/state';

export const STATE_VERSION = 2;

/** Reason kinds by byte: append only (the byte is stored). */
const KINDS: readonly ReasonKind[] = ['event', 'lexicon', 'content', 'context', 'behaviour', 'life-event'];
const INTENT_ATTR: Record<Intent, string> = { know: 'k', go: 'g', do: 'd', buy: 'b' };
/**
 * Feature names the code itself gives (context and behaviour, not configuration), stored as a
 * byte of 128 or more instead of in the string table: append only (the byte is stored).
 */
const CODE_FEATURES: readonly string[] = ['mobile', 'near-open-location', ...DAYPARTS.map((d) => `daypart:${d}`), ...PATTERN_FEATURES];
const CODE_BASE = 128;

/** The attributes of a version 2 STATE item besides the table keys and TTL. */
export type EncodedState = Record<string, unknown>;

const toBytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
const fromBytes = (v: unknown): Buffer => (v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : Buffer.alloc(0));

/** A recent entry: the key (recentKey) and its signal time as an offset, in 5 bytes (34 years of ms). */
const KEY_BYTES = RECENT_KEY_HEX / 2;
const OFFSET_BYTES = 5;
const RECENT_BYTES = KEY_BYTES + OFFSET_BYTES;

/** An offset back from the watermark. */
const offsetOf = (w: number, t: number): number => Math.max(0, w - t);

/** Distinct values, each stored once and referred to by a one-byte index. */
class Table<T> {
  readonly values: T[] = [];
  private readonly index = new Map<T, number>();
  constructor(
    private readonly what: string,
    private readonly max = 256,
  ) {}
  of(v: T): number {
    let i = this.index.get(v);
    if (i === undefined) {
      i = this.values.push(v) - 1;
      // Indexes are stored in one byte: the bounded lists keep a state far below this.
      if (i >= this.max) throw new RangeError(`state encoding: more than ${this.max} distinct ${this.what}`);
      this.index.set(v, i);
    }
    return i;
  }
}

class Tables {
  /** Below CODE_BASE: the bytes above name CODE_FEATURES. */
  readonly strings = new Table<string>('feature names', CODE_BASE);
  readonly messages = new Table<string>('message ids');
  readonly weights = new Table<number>('weights');
  /** Message index → its time as an offset (a contribution's time is its signal's). */
  readonly times = new Map<number, number>();
  string(v: string): number {
    return this.strings.of(v);
  }
  message(v: string): number {
    return this.messages.of(v);
  }
  weight(v: number): number {
    return this.weights.of(v);
  }
}

const HEX_ID = /^[0-9a-f]{32}$/;

/** Message ids are enrich's 32-hex digests: 16 bytes each; any other id keeps its string. */
function encodeMessages(out: EncodedState, t: Tables): void {
  const ids = t.messages.values;
  if (ids.length === 0) return;
  if (ids.every((id) => HEX_ID.test(id))) out.m = toBytes(Buffer.from(ids.join(''), 'hex'));
  else out.mx = ids;
  // One offset per message: its signal's time, -1 for a message only behaviour names.
  out.z = ids.map((_, i) => t.times.get(i) ?? -1);
}

function decodeMessages(item: EncodedState): string[] {
  if (Array.isArray(item.mx)) return (item.mx as unknown[]).map(String);
  const b = fromBytes(item.m);
  const out: string[] = [];
  for (let i = 0; i + 16 <= b.length; i += 16) out.push(b.toString('hex', i, i + 16));
  return out;
}

function packContributions(list: readonly Contribution[], w: number, t: Tables): Uint8Array {
  const b = Buffer.alloc(list.length * 4);
  list.forEach((k, i) => {
    const msg = t.message(k.messageId);
    t.times.set(msg, offsetOf(w, k.atMs));
    b[i * 4] = KINDS.indexOf(k.kind);
    const code = CODE_FEATURES.indexOf(k.feature);
    b[i * 4 + 1] = code >= 0 ? CODE_BASE + code : t.string(k.feature);
    b[i * 4 + 2] = msg;
    b[i * 4 + 3] = t.weight(k.weight);
  });
  return toBytes(b);
}
export function encodeState(s: ScoreState): EncodedState {
  const w = s.watermarkMs;
  const t = new Tables();
  const out: EncodedState = { v: STATE_VERSION, w };
  if (s.forgottenUpToMs !== undefined) out.f = offsetOf(w, s.forgottenUpToMs);
  if (s.recent.length > 0) {
    const b = Buffer.alloc(s.recent.length * RECENT_BYTES);
    s.recent.forEach(([key, at], i) => {
      Buffer.from(key, 'hex').copy(b, i * RECENT_BYTES, 0, KEY_BYTES);
      b.writeUIntBE(offsetOf(w, at), i * RECENT_BYTES + KEY_BYTES, OFFSET_BYTES);
    });
    out.r = toBytes(b);
  }
  for (const intent of INTENTS) {
    const st = s.intents[intent];
    if (!st) continue;
    const m: Record<string, unknown> = { e: st.evidence, t: offsetOf(w, st.atMs) };
    if (st.open) {
      // Moment ids are 32 hex characters (momentIdOf): 16 bytes.
      if (HEX_ID.test(st.open.momentId)) m.ob = toBytes(Buffer.from(st.open.momentId, 'hex'));
      else m.o = st.open.momentId;
      m.ot = offsetOf(w, st.open.atMs);
    }
    if (st.closedAtMs !== undefined) m.c = offsetOf(w, st.closedAtMs);
    if (st.contributions.length > 0) m.k = packContributions(st.contributions, w, t);
    out[INTENT_ATTR[intent]] = m;
  }
  const life = Object.entries(s.lifeEvents);
  if (life.length > 0) out.l = Object.fromEntries(life.map(([type, at]) => [type, offsetOf(w, at)]));
  if (s.behaviour) out.h = encodeBehaviour(s.behaviour, w, t);
  if (t.strings.values.length > 0) out.x = t.strings.values;
  encodeMessages(out, t);
  if (t.weights.values.length > 0) out.y = t.weights.values;
  return out;
}

function encodeBehaviour(b: BehaviourState, w: number, t: Tables): Record<string, unknown> {
  const m: Record<string, unknown> = { n: b.cart, a: offsetOf(w, b.cartAtMs), p: b.purchases };
  if (b.cartSinceMs !== undefined) m.s = offsetOf(w, b.cartSinceMs);
  if (b.cartMessageId !== undefined) m.cm = t.message(b.cartMessageId);
  if (b.purchaseMessageId !== undefined) m.pm = t.message(b.purchaseMessageId);
  if (b.strongAtMs !== undefined) m.st = offsetOf(w, b.strongAtMs);
  if (b.strongMessageId !== undefined) m.sm = t.message(b.strongMessageId);
  if (b.viewed.length > 0) {
    const v = Buffer.alloc(b.viewed.length * 14);
    b.viewed.forEach(([product, category, at], i) => {
      v.writeUInt32BE(product >>> 0, i * 14);
      v.writeUInt32BE(category >>> 0, i * 14 + 4);
      v.writeUIntBE(offsetOf(w, at), i * 14 + 8, 6);
    });
    m.v = toBytes(v);
  }
  return m;
}

const num = (v: unknown, fallback = 0): number => (typeof v === 'number' ? v : v === undefined ? fallback : Number(v));

export function decodeState(customerKey: string, item: EncodedState): ScoreState {
  const w = num(item.w);
  const back = (off: unknown) => w - num(off);
  const strings = Array.isArray(item.x) ? (item.x as unknown[]).map(String) : [];
  const messages = decodeMessages(item);
  const times = Array.isArray(item.z) ? (item.z as unknown[]).map((x) => num(x)) : [];
  const weights = Array.isArray(item.y) ? (item.y as unknown[]).map((x) => num(x)) : [];
  const s: ScoreState = { version: 1, customerKey, watermarkMs: w, recent: [], intents: {}, lifeEvents: {} };
  if (item.f !== undefined) s.forgottenUpToMs = back(item.f);
  const r = fromBytes(item.r);
  for (let i = 0; i + RECENT_BYTES <= r.length; i += RECENT_BYTES) s.recent.push([r.toString('hex', i, i + KEY_BYTES), w - r.readUIntBE(i + KEY_BYTES, OFFSET_BYTES)]);
  for (const intent of INTENTS) {
    const m = item[INTENT_ATTR[intent]] as Record<string, unknown> | undefined;
    if (!m) continue;
    const st: IntentState = { evidence: num(m.e), atMs: back(m.t), contributions: [] };
    if (m.ob !== undefined) st.open = { momentId: fromBytes(m.ob).toString('hex'), atMs: back(m.ot) };
    else if (m.o !== undefined) st.open = { momentId: String(m.o), atMs: back(m.ot) };
    if (m.c !== undefined) st.closedAtMs = back(m.c);
    const k = fromBytes(m.k);
    for (let i = 0; i + 4 <= k.length; i += 4) {
      const msg = k[i + 2];
      const f = k[i + 1];
      st.contributions.push({ kind: KINDS[k[i]], feature: f >= CODE_BASE ? CODE_FEATURES[f - CODE_BASE] : strings[f], messageId: messages[msg], weight: weights[k[i + 3]], atMs: w - times[msg] });
    }
    s.intents[intent] = st;
  }
  if (item.l && typeof item.l === 'object') {
    for (const [type, off] of Object.entries(item.l as Record<string, unknown>)) s.lifeEvents[type] = back(off);
  }
  if (item.h && typeof item.h === 'object') s.behaviour = decodeBehaviour(item.h as Record<string, unknown>, w, messages);
  return s;
}

function decodeBehaviour(m: Record<string, unknown>, w: number, messages: readonly string[]): BehaviourState {
  const b: BehaviourState = { cart: num(m.n), cartAtMs: w - num(m.a), purchases: num(m.p), viewed: [] };
  if (m.s !== undefined) b.cartSinceMs = w - num(m.s);
  if (m.cm !== undefined) b.cartMessageId = messages[num(m.cm)];
  if (m.pm !== undefined) b.purchaseMessageId = messages[num(m.pm)];
  if (m.st !== undefined) b.strongAtMs = w - num(m.st);
  if (m.sm !== undefined) b.strongMessageId = messages[num(m.sm)];
  const v = fromBytes(m.v);
  for (let i = 0; i + 14 <= v.length; i += 14) b.viewed.push([v.readUInt32BE(i), v.readUInt32BE(i + 4), w - v.readUIntBE(i + 8, 6)]);
  return b;
}

/**
 * The ScoreState of a STATE item of either version; undefined when the item holds none. A version
 * 1 item (the state as a map under `state`) is converted: its dedupe ids become recent keys.
 */
export function stateFromItem(customerKey: string, item: Record<string, unknown>): ScoreState | undefined {
  if (num(item.v, 0) === STATE_VERSION) return decodeState(customerKey, item);
  const legacy = item.state as ScoreState | undefined;
  if (!legacy || typeof legacy.customerKey !== 'string') return undefined;
  // Already a key (a state scored by this version and stored the old way) stays as it is.
  const asKey = (id: string) => (id.length === RECENT_KEY_HEX && /^[0-9a-f]+$/.test(id) ? id : recentKey(id));
  return { ...legacy, version: 1, recent: legacy.recent.map(([id, at]) => [asKey(id), at]) };
}
