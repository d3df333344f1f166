/**
 * Step 3: the pseudonymous customer key and the message digest. Both are HMAC-SHA256 keyed with
 * a secret pepper, so neither can be recomputed from an id without the secret (a plain hash
 * could be, by anyone who guesses the id).
 *
 * The input of every HMAC starts with a namespace, so that values of different kinds can never
 * meet: `user:<userId>` and `anon:<anonymousId>` (an anonymous id equal to someone's user id is a
 * different customer, docs/PRIVACY.md "Identity"), `msg:<messageId>` for the message digest.
 *
 * A Segment message with both ids is the identified user's: userId wins. Nothing about the
 * anonymous id is kept or linked (the merge rule in docs/PRIVACY.md).
 */
import type { Signal } from '../contracts';
import { hmacSha256Hex } from './keyed-digest';

export type Identity = 'user' | 'anonymous';

const NAMESPACE: Record<Identity, string> = { user: 'user:', anonymous: 'anon:' };
const MESSAGE_NAMESPACE = 'msg:';
/** Hex characters of a message digest: 128 bits, as many as a UUID messageId has. */
export const MESSAGE_DIGEST_LENGTH = 32;
export const MESSAGE_DIGEST_PATTERN = /^[0-9a-f]{32}$/;

const hmacHex = hmacSha256Hex;

/** The customer key of an id of the given kind: 64 hex characters. */
export function customerKeyOf(pepper: string, identity: Identity, id: string): string {
  return hmacHex(pepper, NAMESPACE[identity] + id);
}

/**
 * The key of the same id before keys were namespaced (HMAC of the bare id). Kept for the privacy
 * requests only: a table written before the upgrade holds partitions under these keys until they
 * expire, and access and erasure must still find them (docs/PRIVACY.md "Keys before 0.2").
 */
export function legacyCustomerKeyOf(pepper: string, id: string): string {
  return hmacHex(pepper, id);
}

/**
 * What is stored, published and logged instead of a messageId: the same id always gives the same
 * digest (dedupe, redeliveries and reasons still work), and nobody without the pepper can tell
 * which messageId it was, nor recover an email or phone number a producer put there.
 */
export function messageDigestOf(pepper: string, messageId: string): string {
  return hmacHex(pepper, MESSAGE_NAMESPACE + messageId).slice(0, MESSAGE_DIGEST_LENGTH);
}

/**
 * What enrich keeps of a product id or a product category: a digest of the same length as a
 * message digest (`product:` / `category:` namespaces). The scorer only compares them (focus
 * against breadth), and an id of seven digits or more would otherwise be masked by the scrubber
 * as a possible phone or account number, making every product look the same.
 */
export function catalogueDigestOf(pepper: string, kind: 'product' | 'category', value: string): string {
  // A catalogue repeats its ids: memoised per pepper with the customer keys (the namespaces keep them apart).
  const input = `${kind}:${value}`;
  return memoised(cacheFor(pepper), input, () => hmacHex(pepper, input).slice(0, MESSAGE_DIGEST_LENGTH));
}

export function identityOf(signal: Signal): { id: string; identity: Identity } {
  if (typeof signal.userId === 'string' && signal.userId.length > 0) return { id: signal.userId, identity: 'user' };
  return { id: signal.anonymousId as string, identity: 'anonymous' };
}

const MAX_CACHED = 50_000;
const caches = new Map<string, Map<string, string>>();

function cacheFor(pepper: string): Map<string, string> {
  let cache = caches.get(pepper);
  if (!cache) {
    // A rotated pepper makes the old cache useless: keep only the current one.
    caches.clear();
    cache = new Map();
    caches.set(pepper, cache);
  }
  return cache;
}

function memoised(cache: Map<string, string>, input: string, compute: () => string): string {
  let value = cache.get(input);
  if (value === undefined) {
    value = compute();
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(input, value);
  }
  return value;
}

/**
 * Memoises keys per pepper across batches of a container (or a replay): one customer sends many
 * signals. Bounded; the cache lives in process memory only, like the batch being handled. It is
 * keyed by the namespaced input, so a user id and an equal anonymous id stay apart here too.
 */
export function keyer(pepper: string): (identity: Identity, id: string) => string {
  const cache = cacheFor(pepper);
  return (identity, id) => {
    const input = NAMESPACE[identity] + id;
    return memoised(cache, input, () => hmacHex(pepper, input));
  };
}
