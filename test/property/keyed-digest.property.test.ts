/**
 * The pseudonymiser's HMAC (shared/enrich/keyed-digest.ts: the key's pads worked out once, two
 * one-shot hashes) against Node's createHmac, which it replaces on the hot path: generated keys
 * (empty, short, exactly a block, longer than a block, non-ASCII) and messages (every Unicode
 * plane, lone surrogates, the size where the reused buffer ends), alternating keys (the pads are
 * cached for one key: a rotation must not reuse the old ones).
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { hmacSha256Hex } from '../../shared/enrich/keyed-digest';

const reference = (key: string, message: string) => createHmac('sha256', key).update(message, 'utf8').digest('hex');

const keyArb = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', 'k'.repeat(63), 'k'.repeat(64), 'k'.repeat(65), 'é'.repeat(32), 'é'.repeat(33), 'x'.repeat(500)),
);
const messageArb = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.constantFrom('a'.repeat(341), 'a'.repeat(342), '€'.repeat(341), '\ud800x', 'x\udfff', '🙂'.repeat(170), `msg:${'9'.repeat(128)}`),
);

describe('hmacSha256Hex', () => {
  it('is createHmac(sha256) for any key and message, keys alternating', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(keyArb, messageArb), { minLength: 1, maxLength: 6 }), (pairs) => {
        for (const [key, message] of pairs) expect(hmacSha256Hex(key, message)).toBe(reference(key, message));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same digest again for the same key after another key was used', () => {
    const before = hmacSha256Hex('pepper-a', 'msg:1');
    hmacSha256Hex('pepper-b', 'msg:1');
    expect(hmacSha256Hex('pepper-a', 'msg:1')).toBe(before);
    expect(before).toBe(reference('pepper-a', 'msg:1'));
  });
});
