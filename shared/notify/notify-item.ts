/**
 * The customer's NOTIFY item (sort key `NOTIFY`): everything notify keeps between decisions, in
 * one item that the decision's one Query already reads (`NOTIFY` sorts after every `N#…` audit
 * item and before `PROFILE`, `STATE` and `TOMBSTONE`, so `NOTIFY`..`TOMBSTONE` is the range), and
 * that one conditional write changes (`v`, a version number: written only if still the version
 * read; a refused write means another invocation decided in between, and this one decides again
 * on a fresh read). No transaction: dynalite has none, and one item needs none.
 *
 * It holds:
 * - `decisions`: per decision (key: the first 16 hex of the notification id, which is a digest of
 *   moment id and channel), `pending` with a lease, or `done`; when it was decided (the audit
 *   item's key) and how many attempts claimed it. The audit item `N#<decidedAt>#<id>` is the
 *   evidence that a pending decision was recorded (sent or suppressed); `done` is written only
 *   when a later delivery finished a record (notify-store.ts, decide.ts).
 * - `reservations`: cap slots per local day and cooldowns per intent (guardrails/reservations.ts).
 *
 * Bounded: a decision is kept for the redelivery horizon (`redeliveryHorizonMs`), cap days for
 * the current ISO week (and yesterday), cooldowns until they run out; each write prunes.
 *
 * Stored as `v` (number) and `b` (a compact JSON string, short keys, numbers not strings):
 * `{"d":{"<key16>":[state,decidedAtMs,leaseSecondsAfterDecidedAt,attempt]},"c":{"2026-11-24":["<key16>"]},"k":{"go":["<key16>",untilMs]}}`.
 */
import type { MicroMomentsConfig } from '../config/types';
import { emptyReservations, type Reservations } from '../guardrails/reservations';

export interface NotifyDecision {
  state: 'pending' | 'done';
  decidedAtMs: number;
  /** Until when the invocation that claimed it holds it (epoch ms); 0 once released. */
  leaseUntilMs: number;
  attempt: number;
}

export interface NotifyItem {
  /** 0: there is no item yet. */
  version: number;
  decisions: Map<string, NotifyDecision>;
  reservations: Reservations;
}

/** The stored attributes (besides the keys, `kind` and the TTL). */
export type NotifyAttributes = { v: number; b: string };

export const emptyNotifyItem = (): NotifyItem => ({ version: 0, decisions: new Map(), reservations: emptyReservations() });

/** A decision's key in the item: 64 bits of its notification id, unique enough among one customer's decisions of a day. */
export const decisionKeyOf = (notificationId: string): string => notificationId.slice(0, 16);

const STATE_CODE = { pending: 0, done: 1 } as const;

export function encodeNotifyItem(item: Omit<NotifyItem, 'version'>, version: number): NotifyAttributes {
  const d: Record<string, number[]> = {};
  for (const [k, x] of item.decisions) {
    const leaseS = x.leaseUntilMs > x.decidedAtMs ? Math.ceil((x.leaseUntilMs - x.decidedAtMs) / 1000) : 0;
    d[k] = [STATE_CODE[x.state], x.decidedAtMs, leaseS, x.attempt];
  }
  const body: Record<string, unknown> = { d };
  if (item.reservations.capDays.size > 0) body.c = Object.fromEntries(item.reservations.capDays);
  if (item.reservations.cooldowns.size > 0) {
    body.k = Object.fromEntries([...item.reservations.cooldowns].map(([intent, c]) => [intent, [c.holder, c.untilMs]]));
  }
  return { v: version, b: JSON.stringify(body) };
}

const isNumArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((n) => typeof n === 'number');

/** Reads what encodeNotifyItem wrote; anything it does not recognise is left out, never guessed. */
export function decodeNotifyItem(attrs: Record<string, unknown> | undefined): NotifyItem {
  if (!attrs || typeof attrs.v !== 'number' || typeof attrs.b !== 'string') return emptyNotifyItem();
  const body = JSON.parse(attrs.b) as { d?: Record<string, unknown>; c?: Record<string, unknown>; k?: Record<string, unknown> };
  const decisions = new Map<string, NotifyDecision>();
  for (const [k, x] of Object.entries(body.d ?? {})) {
    if (!isNumArray(x) || x.length < 4) continue;
    const [state, decidedAtMs, leaseS, attempt] = x as [number, number, number, number];
    decisions.set(k, { state: state === STATE_CODE.done ? 'done' : 'pending', decidedAtMs, leaseUntilMs: leaseS > 0 ? decidedAtMs + leaseS * 1000 : 0, attempt });
  }
  const capDays = new Map<string, string[]>();
  for (const [day, holders] of Object.entries(body.c ?? {})) {
    if (Array.isArray(holders)) capDays.set(day, holders.map(String));
  }
  const cooldowns = new Map<string, { holder: string; untilMs: number }>();
  for (const [intent, c] of Object.entries(body.k ?? {})) {
    if (Array.isArray(c) && typeof c[1] === 'number') cooldowns.set(intent, { holder: String(c[0]), untilMs: c[1] });
  }
  return { version: attrs.v, decisions, reservations: { capDays, cooldowns } };
}

/**
 * How long a decision is remembered in the item. Automatic redeliveries (EventBridge's retries,
 * Lambda's asynchronous retries) end `maxMomentAgeMinutes` after the event (infra caps their
 * event age there), so twice that, at least an hour, plus the lease. A redelivery after it (a
 * redrive of the failure queue, an archive replay) is of a moment older than this, and finds
 * its decision by the audit item instead (decide.ts).
 */
export function redeliveryHorizonMs(config: MicroMomentsConfig, leaseMs: number): number {
  return Math.max(60, 2 * config.guardrails.maxMomentAgeMinutes) * 60_000 + leaseMs;
}

/** Decisions decided before `decidedBeforeMs` are forgotten (their audit items remain). */
export function pruneDecisions(decisions: Map<string, NotifyDecision>, decidedBeforeMs: number): Map<string, NotifyDecision> {
  return new Map([...decisions].filter(([, d]) => d.decidedAtMs >= decidedBeforeMs));
}

/** When DynamoDB may delete the item (epoch seconds): after everything in it has lapsed. */
export function notifyItemExpiresAt(item: Omit<NotifyItem, 'version'>, horizonMs: number, nowMs: number): number {
  let last = nowMs + horizonMs;
  for (const d of item.decisions.values()) last = Math.max(last, d.decidedAtMs + horizonMs);
  for (const c of item.reservations.cooldowns.values()) last = Math.max(last, c.untilMs);
  // Cap days count for at most their ISO week plus a day.
  if (item.reservations.capDays.size > 0) last = Math.max(last, nowMs + 8 * 86_400_000);
  return Math.ceil(last / 1000) + 86_400;
}
