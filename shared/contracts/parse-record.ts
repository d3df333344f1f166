/**
 * The one parser of stream records, for every stage: bytes → UTF-8 → JSON → contract. Never
 * throws; a failure is a stable code and a reason for the quarantine.
 *
 * A reason never quotes the record. It is read by operators and kept for days beside the
 * payload, and a record can hold anything a producer sent (or an attacker wrote): so a JSON error
 * gives the position, not `JSON.parse`'s message (which quotes the text around it), and a field
 * path keeps only the contract's own words (declared field names and enum values, the keys it
 * forbids, short array indices); any other key came from the data and is masked as `*`.
 */
import { declaredFields } from './generated/validators';
import { SIGNAL_LIMITS, type Signal } from './signal';
import { FORBIDDEN_KEYS, formatIssue, signalContract, type Contract, type ContractIssue, type Validation } from './validate';

export const RECORD_FAILURE_CODES = ['encoding', 'too-large', 'invalid-json', 'schema'] as const;
export type RecordFailureCode = (typeof RECORD_FAILURE_CODES)[number];

export type RecordParse<T> = { ok: true; value: T } | { ok: false; code: RecordFailureCode; reason: string };

export interface ParseOptions {
  /** Refuse records larger than this, before decoding them. */
  maxBytes?: number;
  /** Set when the transport could not decode the record (not base64): quarantined as `encoding`. */
  decodeError?: string;
}

/** A masked key: the path still shows where the rule broke, not what the key was. */
export const MASKED_KEY = '*';

const KNOWN = new Set(declaredFields);
/** Arrays in the contracts are capped well below 1000 items. */
const INDEX = /^\d{1,3}$/;

/** The issue's path with every key the contract does not declare masked. */
export function safePath(path: readonly string[]): string[] {
  return path.map((segment) => (KNOWN.has(segment) || FORBIDDEN_KEYS.has(segment) || INDEX.test(segment) ? segment : MASKED_KEY));
}

/** The issue as a reason safe to store and show: the field path masked, the rule in the schema's words. */
export function safeReason(issue: ContractIssue): string {
  return formatIssue(issue, safePath(issue.path));
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function jsonReason(title: string, err: unknown): string {
  // V8's messages quote the input around the error; only the position is kept.
  const position = /position (\d+)/.exec((err as Error).message);
  return `${title}: record is not JSON${position ? ` (syntax error at position ${position[1]})` : ''} (json)`;
}

export function parseRecord<T>(data: Uint8Array, contract: Contract<T>, opts: ParseOptions = {}): RecordParse<T> {
  const { title } = contract;
  if (opts.decodeError) return { ok: false, code: 'encoding', reason: opts.decodeError };
  if (opts.maxBytes !== undefined && data.byteLength > opts.maxBytes) {
    return { ok: false, code: 'too-large', reason: `${title}: record is ${data.byteLength} bytes, more than ${opts.maxBytes} (maxRecordBytes)` };
  }
  let text: string;
  try {
    text = utf8.decode(data);
  } catch {
    return { ok: false, code: 'encoding', reason: `${title}: record is not valid UTF-8 (encoding)` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, code: 'invalid-json', reason: jsonReason(title, err) };
  }
  const checked = contract.check(value);
  return checked.ok ? checked : { ok: false, code: 'schema', reason: safeReason(checked.issue) };
}

/** Decodes and validates one raw signal (the bytes of a Kinesis record's data). */
export function parseSignal(bytes: Uint8Array): Validation<Signal> {
  const parsed = parseRecord(bytes, signalContract, { maxBytes: SIGNAL_LIMITS.maxRecordBytes });
  return parsed.ok ? parsed : { ok: false, error: parsed.reason };
}
