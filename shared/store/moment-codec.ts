/**
 * The moment item's encoding (version 2), and the one place it is decoded (`momentOfItem`).
 *
 * Version 1 stored the `Moment Detected` detail as it is published, beside `kind: 'moment'`:
 * 1,089 bytes at p50 and 1,259 at p95 on the simulator mix (2026-12-01), so most moments cost
 * 2 write units (DynamoDB bills 1 WRU per KB, attribute names included). Version 2 keeps every
 * value and drops only what the item says already or can be rebuilt exactly:
 * - the customer key is the partition key's, the detection time and moment id the sort key's,
 *   `kind` the sort key's prefix, the detail's `version` is 1 for both item versions;
 * - short attribute names; times as epoch ms (the detail's ISO strings are `toISOString`'s, so
 *   they round-trip exactly; a time that would not is kept as its string);
 * - a reason's message id only when it is not the trigger's, its contribution only when it is
 *   not its weight (no decay), a boolean only when true.
 * A version 1 item (no `v`) is still read, as it was.
 */
import { TABLE_KEYS } from './keys';
import type { MomentContext, MomentDetectedDetail, MomentReason } from '../contracts/events';

export const MOMENT_ITEM_VERSION = 2;

type Attrs = Record<string, unknown>;

/** An ISO time as epoch ms when that rebuilds the same string, else the string itself. */
const packTime = (iso: string): number | string => {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) && new Date(ms).toISOString() === iso ? ms : iso;
};
const unpackTime = (v: unknown): string => (typeof v === 'number' ? new Date(v).toISOString() : String(v));

function packReason(r: MomentReason, triggerId: string): Attrs {
  return {
    k: r.kind,
    f: r.feature,
    ...(r.messageId !== triggerId ? { m: r.messageId } : {}),
    w: r.weight,
    ...(r.contribution !== r.weight ? { c: r.contribution } : {}),
  };
}

function unpackReason(a: Attrs, triggerId: string): MomentReason {
  const weight = a.w as number;
  return {
    kind: a.k as MomentReason['kind'],
    feature: String(a.f),
    messageId: typeof a.m === 'string' ? a.m : triggerId,
    weight,
    contribution: typeof a.c === 'number' ? a.c : weight,
  };
}

function packContext(c: MomentContext): Attrs {
  const n = c.nearestLocation;
  return {
    l: c.localTime,
    d: c.daypart,
    z: c.timezone,
    ...(c.weekend ? { w: true } : {}),
    v: c.device,
    ...(c.area !== undefined ? { a: c.area } : {}),
    ...(n !== undefined ? { n: { i: n.id, n: n.name, m: n.distanceMeters, ...(n.open ? { o: true } : {}) } } : {}),
  };
}

function unpackContext(a: Attrs): MomentContext {
  const n = a.n as Attrs | undefined;
  return {
    localTime: String(a.l),
    daypart: a.d as MomentContext['daypart'],
    timezone: String(a.z),
    weekend: a.w === true,
    device: a.v as MomentContext['device'],
    ...(a.a !== undefined ? { area: String(a.a) } : {}),
    ...(n !== undefined ? { nearestLocation: { id: String(n.i), name: String(n.n), distanceMeters: n.m as number, open: n.o === true } } : {}),
  };
}

/** The attributes of a version 2 moment item besides the table keys and TTL. */
export function encodeMoment(m: MomentDetectedDetail): Attrs {
  const triggerId = m.trigger.messageId;
  return {
    v: MOMENT_ITEM_VERSION,
    i: m.intent,
    s: m.score,
    h: m.threshold,
    r: m.reasons.map((r) => packReason(r, triggerId)),
    t: { m: triggerId, e: m.trigger.event, t: packTime(m.trigger.time) },
    c: packContext(m.context),
    g: [...m.consent.channels],
    ...(m.consent.locationOffers ? { lo: true } : {}),
    ...(m.consumerInitiated ? { ci: true } : {}),
    ...(m.lifeEventType !== undefined ? { le: m.lifeEventType } : {}),
    sv: m.scoringVersion,
  };
}

/** The fields of the published detail, in its key order (shared/scoring/moment.ts). */
const DETAIL_FIELDS: readonly (keyof MomentDetectedDetail)[] = [
  'version', 'momentId', 'customerKey', 'intent', 'score', 'threshold', 'reasons', 'trigger', 'context', 'consent', 'consumerInitiated', 'lifeEventType', 'detectedAt', 'scoringVersion',
];

/**
 * The detail of a moment item of either version, with `pk` and `sk` read for what they hold
 * (undefined: not a moment item). Every reader of moment items goes through this.
 */
export function momentOfItem(item: Attrs): MomentDetectedDetail | undefined {
  const sk = String(item[TABLE_KEYS.sortKey] ?? '');
  if (!sk.startsWith('M#')) return undefined;
  if (item.v !== MOMENT_ITEM_VERSION) {
    const out: Attrs = {};
    for (const f of DETAIL_FIELDS) if (item[f] !== undefined) out[f] = item[f];
    return out as unknown as MomentDetectedDetail;
  }
  // M#<detectedAt>#<momentId>: an ISO time holds no '#', a moment id is hex.
  const cut = sk.lastIndexOf('#');
  const t = item.t as Attrs;
  const triggerId = String(t.m);
  return {
    version: 1,
    momentId: sk.slice(cut + 1),
    customerKey: String(item[TABLE_KEYS.partitionKey]).slice(2),
    intent: item.i as MomentDetectedDetail['intent'],
    score: item.s as number,
    threshold: item.h as number,
    reasons: (item.r as Attrs[]).map((r) => unpackReason(r, triggerId)),
    trigger: { messageId: triggerId, event: String(t.e), time: unpackTime(t.t) },
    context: unpackContext(item.c as Attrs),
    consent: { channels: [...(item.g as MomentDetectedDetail['consent']['channels'])], locationOffers: item.lo === true },
    consumerInitiated: item.ci === true,
    ...(item.le !== undefined ? { lifeEventType: String(item.le) } : {}),
    detectedAt: sk.slice(2, cut),
    scoringVersion: String(item.sv),
  };
}

/**
 * A moment item as the access export shows it: the table keys and TTL as stored, the detail
 * decoded (the same document as for a version 1 item).
 */
export function momentItemForAccess(item: Attrs): Attrs {
  const m = momentOfItem(item);
  if (!m || item.v !== MOMENT_ITEM_VERSION) return item;
  return {
    [TABLE_KEYS.partitionKey]: item[TABLE_KEYS.partitionKey],
    [TABLE_KEYS.sortKey]: item[TABLE_KEYS.sortKey],
    kind: 'moment',
    ...m,
    ...(item[TABLE_KEYS.ttl] !== undefined ? { [TABLE_KEYS.ttl]: item[TABLE_KEYS.ttl] } : {}),
  };
}
