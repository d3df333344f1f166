/**
 * How a signal becomes a Kinesis record: UTF-8 JSON, partitioned by the customer (userId, else
 * anonymousId) so that one customer's signals stay in order on one shard.
 */
import { SIGNAL_LIMITS, validateSignal, type Signal } from '../contracts';

/** Kinesis accepts partition keys of 1 to 256 Unicode characters. */
export const MAX_PARTITION_KEY_LENGTH = 256;

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/**
 * userId ?? anonymousId. A signal with neither (only sendable with validation off) falls back to
 * its messageId, then to a constant, so that even a deliberately broken signal can be written
 * and reach the quarantine instead of failing the whole PutRecords call.
 */
export function partitionKeyOf(signal: Partial<Signal> | Record<string, unknown>): string {
  const key = [signal.userId, signal.anonymousId, signal.messageId].find(nonEmpty) ?? 'unidentified';
  return Array.from(key).slice(0, MAX_PARTITION_KEY_LENGTH).join('');
}

const utf8 = new TextEncoder();

export function encodeSignal(signal: unknown): Uint8Array {
  return utf8.encode(JSON.stringify(signal));
}

export type Checked = { ok: true; data: Uint8Array } | { ok: false; reason: string };

/**
 * The contract check a consumer will apply, done before sending: the same validator, plus the
 * record size, which only the encoded bytes can tell.
 */
export function checkSignal(signal: unknown): Checked {
  const v = validateSignal(signal);
  if (!v.ok) return { ok: false, reason: v.error };
  const data = encodeSignal(signal);
  if (data.byteLength > SIGNAL_LIMITS.maxRecordBytes) {
    return {
      ok: false,
      reason: `Signal: record is ${data.byteLength} bytes, more than ${SIGNAL_LIMITS.maxRecordBytes} (maxRecordBytes)`,
    };
  }
  return { ok: true, data };
}
