/**
 * What the dedupe memory of a state keeps of a message id: 6 bytes (12 hex characters). Enrich's
 * message digests are 32 hex characters of an HMAC, so their first half is already uniform; any
 * other id (replay of hand-written signals, tests) is hashed first. Two applied messages of one
 * customer share a key with a probability of about n² / 2^49 for n remembered ids: never in
 * practice, and the cost of a collision is one signal skipped, never one applied twice.
 */
import { hash } from 'node:crypto';

const DIGEST = /^[0-9a-f]{32}$/;
export const RECENT_KEY_HEX = 12;

export function recentKey(messageId: string): string {
  if (DIGEST.test(messageId)) return messageId.slice(0, RECENT_KEY_HEX);
  return hash('sha256', messageId, 'hex').slice(0, RECENT_KEY_HEX);
}
