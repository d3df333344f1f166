/**
 * Step 3: the pseudonymous customer key. HMAC-SHA256 keyed with a secret pepper, so the key
 * cannot be recomputed from a user id without the secret (a plain hash could be, by anyone).
 * A Segment message with both ids is the identified user's: userId wins.
 */
import { createHmac } from 'node:crypto';
import type { Signal } from '../contracts';

export type Identity = 'user' | 'anonymous';

export function customerKeyOf(pepper: string, id: string): string {
  return createHmac('sha256', pepper).update(id, 'utf8').digest('hex');
}

export function identityOf(signal: Signal): { id: string; identity: Identity } {
  if (typeof signal.userId === 'string' && signal.userId.length > 0) return { id: signal.userId, identity: 'user' };
  return { id: signal.anonymousId as string, identity: 'anonymous' };
}

const MAX_CACHED_KEYS = 50_000;
const caches = new Map<string, Map<string, string>>();

/**
 * Memoises keys per pepper across batches of a container (or a replay): one customer sends many
 * signals. Bounded; the cache lives in process memory only, like the batch being handled.
 */
export function keyer(pepper: string): (id: string) => string {
  let cache = caches.get(pepper);
  if (!cache) {
    // A rotated pepper makes the old cache useless: keep only the current one.
    caches.clear();
    cache = new Map();
    caches.set(pepper, cache);
  }
  const c = cache;
  return (id) => {
    let key = c.get(id);
    if (key === undefined) {
      key = customerKeyOf(pepper, id);
      if (c.size >= MAX_CACHED_KEYS) c.clear();
      c.set(id, key);
    }
    return key;
  };
}
