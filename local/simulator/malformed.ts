/**
 * Malformed records, the kinds a real producer gets wrong: each breaks the Signal contract in one
 * way, so enrich must quarantine it with a reason (test/unit/simulator checks every one against
 * parseSignal). They start from a well-formed signal, so the rest of the record looks real.
 */
import { SIGNAL_LIMITS } from '../../shared/contracts';
import type { Rng } from './prng';

export const MALFORMATIONS = [
  'truncated-json',
  'wrong-type',
  'missing-message-id',
  'invalid-timestamp',
  'unknown-type',
  'invalid-utf8',
  'over-size',
  'missing-ids',
  'track-without-event',
  'not-an-object',
] as const;
export type Malformation = (typeof MALFORMATIONS)[number];

type Json = Record<string, unknown>;

const encode = (value: unknown) => new Uint8Array(Buffer.from(JSON.stringify(value), 'utf8'));

/**
 * Moves `timestamp` to the end of the object, so that a record truncated before it reads the
 * same whatever clock stamped it (the simulator's determinism: same seed, same bytes apart from
 * the timestamps).
 */
function timestampLast(signal: Json): Json {
  const { timestamp, ...rest } = signal;
  return { ...rest, timestamp };
}

const WRONG_TYPES: readonly ((s: Json) => Json)[] = [
  (s) => ({ ...s, userId: 4_815_162_342 }),
  (s) => ({ ...s, timestamp: 1_764_000_000_000 }),
  (s) => ({ ...s, properties: 'query=coffee near me' }),
  (s) => ({ ...s, context: { ...(s.context as Json), timezone: 60 } }),
  (s) => ({ ...s, context: { ...(s.context as Json), location: { latitude: '51.5136', longitude: '-0.1365' } } }),
  (s) => ({ ...s, context: { ...(s.context as Json), consent: { categoryPreferences: { personalization: 'yes' } } } }),
  (s) => ({ ...s, context: { ...(s.context as Json), background: 'false' } }),
];

const BAD_TIMESTAMPS = ['yesterday', '2026-13-01T00:00:00Z', '23/11/2026 08:00', '', '2026-11-23T25:61:00Z', '2026-11-23'];

const UNKNOWN_TYPES = ['alias', 'group', 'click', 'event', 'TRACK'];

const UTF8_MARKER = 'XUTF8MARKERX';
/** Bytes that are not UTF-8: a lone continuation byte, an invalid lead byte, a cut sequence. */
const INVALID_UTF8 = [0x80, 0xff, 0xfe, 0xc3, 0x28];

function withInvalidUtf8(signal: Json): Uint8Array {
  const props = (signal.properties && typeof signal.properties === 'object' ? signal.properties : {}) as Json;
  const bytes = Buffer.from(JSON.stringify({ ...signal, properties: { ...props, note: `caf${UTF8_MARKER}` } }), 'utf8');
  const at = bytes.indexOf(UTF8_MARKER);
  return new Uint8Array(Buffer.concat([bytes.subarray(0, at), Buffer.from(INVALID_UTF8), bytes.subarray(at + UTF8_MARKER.length)]));
}

function overSize(signal: Json): Json {
  // Every string within its own limit, the whole record over the record limit.
  const per = SIGNAL_LIMITS.maxStringLength - 48;
  const count = Math.ceil(SIGNAL_LIMITS.maxRecordBytes / per) + 1;
  const properties: Json = { ...((signal.properties as Json) ?? {}) };
  for (let i = 0; i < count; i++) properties[`note_${i}`] = 'lorem ipsum '.repeat(Math.ceil(per / 12)).slice(0, per);
  return { ...signal, properties };
}

/** Breaks `signal` (a valid one) in the way `kind` says and encodes it. */
export function malform(kind: Malformation, signal: Json, rng: Rng): Uint8Array {
  switch (kind) {
    case 'truncated-json': {
      const text = JSON.stringify(timestampLast(signal));
      const end = text.lastIndexOf(',"timestamp"');
      return new Uint8Array(Buffer.from(text.slice(0, rng.int(1, end - 1)), 'utf8'));
    }
    case 'wrong-type':
      return encode(rng.pick(WRONG_TYPES)(signal));
    case 'missing-message-id': {
      const { messageId: _dropped, ...rest } = signal;
      return encode(rest);
    }
    case 'invalid-timestamp':
      return encode({ ...signal, timestamp: rng.pick(BAD_TIMESTAMPS) });
    case 'unknown-type':
      return encode({ ...signal, type: rng.pick(UNKNOWN_TYPES) });
    case 'invalid-utf8':
      return withInvalidUtf8(signal);
    case 'over-size':
      return encode(overSize(signal));
    case 'missing-ids': {
      const { userId: _u, anonymousId: _a, ...rest } = signal;
      return encode(rest);
    }
    case 'track-without-event': {
      const { event: _e, name: _n, category: _c, ...rest } = signal;
      return encode({ ...rest, type: 'track' });
    }
    case 'not-an-object':
      return encode(rng.pick([[signal], 'track', null, 42]));
  }
}
