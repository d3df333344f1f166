/**
 * The customer a raw record names, when it parses that far, keyed exactly as enrich keys a valid
 * signal. Used for records enrich cannot accept: their quarantine entry carries the key, so an
 * erasure can find them (shared/privacy/quarantine-purge.ts); one that does not parse to a
 * customer cannot be attributed to anyone.
 */
import type { Signal } from '../contracts';
import { identityOf, type Identity } from './pseudonymise';

/** Keys an id of a kind as enrich does: pseudonymise.ts's keyer(pepper). */
export type KeyOf = (identity: Identity, id: string) => string;

const named = (x: unknown): boolean => typeof x === 'string' && x.length > 0;

export interface RecordIdentity {
  customerKey: string;
  /** The record's own `timestamp`, when it is a string (it may not parse). */
  timestamp?: string;
}

export function customerKeyOfRecord(data: Uint8Array | string, keyOf: KeyOf): string | undefined {
  return identityOfRecord(data, keyOf)?.customerKey;
}

export function identityOfRecord(data: Uint8Array | string, keyOf: KeyOf): RecordIdentity | undefined {
  let value: unknown;
  try {
    value = JSON.parse(typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  if (!named(v.userId) && !named(v.anonymousId)) return undefined;
  // Only the ids are read, as from a valid signal.
  const { id, identity } = identityOf(v as unknown as Signal);
  return { customerKey: keyOf(identity, id), ...(typeof v.timestamp === 'string' ? { timestamp: v.timestamp } : {}) };
}
