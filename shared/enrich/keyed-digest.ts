/**
 * HMAC-SHA256 (RFC 2104) with the key's pads worked out once per key: `createHmac` per call
 * prepares the key again each time (a KeyObject, its checks, a native context), which was most of
 * the cost of the one to three digests enrich makes per signal. Here a digest is two one-shot
 * `crypto.hash` calls over buffers reused from call to call: H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)).
 * The result is byte for byte `createHmac('sha256', key).update(m, 'utf8').digest('hex')`
 * (test/property/keyed-digest.property.test.ts checks it on generated keys and messages).
 *
 * Synchronous and single-threaded: the reused buffers are never shared across an await.
 */
import { createHash, createHmac, hash } from 'node:crypto';

const BLOCK = 64;
/** Messages up to this many UTF-8 bytes use the reused buffer; longer ones (none in the pipeline) go through createHmac. */
const MAX_MESSAGE_BYTES = 1024;

interface Pads {
  /** K ⊕ ipad, then room for the message. */
  inner: Buffer;
  /** K ⊕ opad, then the inner digest. */
  outer: Buffer;
}

function padsOf(key: string): Pads {
  let k = Buffer.from(key, 'utf8');
  if (k.length > BLOCK) k = createHash('sha256').update(k).digest();
  const inner = Buffer.alloc(BLOCK + MAX_MESSAGE_BYTES);
  const outer = Buffer.alloc(BLOCK + 32);
  for (let i = 0; i < BLOCK; i++) {
    const b = i < k.length ? k[i] : 0;
    inner[i] = b ^ 0x36;
    outer[i] = b ^ 0x5c;
  }
  return { inner, outer };
}

/** One key at a time (the pepper; a rotation replaces it). */
let cachedKey: string | undefined;
let cachedPads: Pads | undefined;

/** `createHmac('sha256', key).update(message, 'utf8').digest('hex')`, faster for a key used again and again. */
export function hmacSha256Hex(key: string, message: string): string {
  // Three bytes per UTF-16 unit at most: anything that may not fit takes the general path.
  if (message.length * 3 > MAX_MESSAGE_BYTES) return createHmac('sha256', key).update(message, 'utf8').digest('hex');
  if (key !== cachedKey || !cachedPads) {
    cachedPads = padsOf(key);
    cachedKey = key;
  }
  const { inner, outer } = cachedPads;
  const n = inner.write(message, BLOCK, 'utf8');
  // The inner digest as 'binary' (latin1: one character per byte) written straight into the outer
  // block: about half the cost of a 'buffer' digest and a copy (a Buffer is made per call that way).
  outer.write(hash('sha256', inner.subarray(0, BLOCK + n), 'binary'), BLOCK, 'binary');
  return hash('sha256', outer, 'hex');
}
