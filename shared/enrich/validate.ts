/**
 * Step 1: decode and validate one record. Every failure is a quarantine reason that names the
 * field and the rule, with a stable code for metrics and alarms.
 */
import { RECORD_FAILURE_CODES, parseRecord, signalContract, SIGNAL_LIMITS, type Signal } from '../contracts';
import type { MicroMomentsConfig } from '../config/types';
import { isValidTimeZone } from '../time/local-time';
import { parseIsoMs } from '../time/parse-iso';

export const QUARANTINE_CODES = [...RECORD_FAILURE_CODES, 'timestamp-out-of-range', 'invalid-timezone'] as const;
export type QuarantineCode = (typeof QUARANTINE_CODES)[number];

export type RecordValidation = { ok: true; signal: Signal } | { ok: false; code: QuarantineCode; reason: string };

export function validateRecord(
  data: Uint8Array,
  opts: { config: MicroMomentsConfig; nowMs: number; decodeError?: string },
): RecordValidation {
  const parsed = parseRecord(data, signalContract, { maxBytes: SIGNAL_LIMITS.maxRecordBytes, decodeError: opts.decodeError });
  if (!parsed.ok) return parsed;
  const signal = parsed.value;

  const ts = parseIsoMs(signal.timestamp);
  const { maxFutureMinutes, maxPastDays } = opts.config.signalTimeWindow;
  if (ts > opts.nowMs + maxFutureMinutes * 60_000) {
    return {
      ok: false,
      code: 'timestamp-out-of-range',
      reason: `Signal.timestamp: more than ${maxFutureMinutes} minutes in the future (signalTimeWindow.maxFutureMinutes)`,
    };
  }
  if (ts < opts.nowMs - maxPastDays * 86_400_000) {
    return {
      ok: false,
      code: 'timestamp-out-of-range',
      reason: `Signal.timestamp: more than ${maxPastDays} days in the past (signalTimeWindow.maxPastDays)`,
    };
  }

  const tz = signal.context?.timezone;
  if (tz !== undefined && !isValidTimeZone(tz)) {
    return { ok: false, code: 'invalid-timezone', reason: 'Signal.context.timezone: must be an IANA time zone such as Europe/London (timezone)' };
  }
  const traitTz = signal.traits?.timezone;
  if (traitTz !== undefined && (typeof traitTz !== 'string' || !isValidTimeZone(traitTz))) {
    return { ok: false, code: 'invalid-timezone', reason: 'Signal.traits.timezone: must be an IANA time zone such as Europe/London (timezone)' };
  }
  return { ok: true, signal };
}

/** The messageId of a record that failed validation, if it has a usable one (for the log line). */
export function messageIdOf(data: Uint8Array): string | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const id = (value as Record<string, unknown>).messageId;
      if (typeof id === 'string' && id.length > 0 && id.length <= 128) return id;
    }
  } catch {
    // not JSON: no messageId to report
  }
  return undefined;
}
