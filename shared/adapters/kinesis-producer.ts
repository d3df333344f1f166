/**
 * The producer library for apps and backends writing signals to the `signals` stream.
 *
 * - `send(signals)` writes a list now; `put(signal)` buffers and writes when `maxBatchRecords`
 *   signals wait or `lingerMs` has passed since the first, whichever comes first; `flush()`
 *   writes what waits and resolves once every earlier write has finished.
 * - Each signal is checked against the contract first (the validator enrich uses, and the
 *   record size); an invalid one is returned with the reason and never sent. `validate: false`
 *   turns this off, and `sendRaw(records)` writes bytes as they are: both exist for the journey
 *   simulator, which sends malformed records on purpose.
 * - PutRecords in chunks of 500 records / 5 MiB; only the entries that failed are sent again,
 *   with backoff (kinesis.ts). What still fails is reported per signal, never
 *   thrown away silently.
 * - Writes run one after another, so two flushes cannot overtake each other, and within a write
 *   a customer's signals reach the shard in the order they were given, retries included (one
 *   record per partition key per PutRecords call: kinesis.ts).
 * - `onPut(messageId, timeMs)` is called for each accepted record with the time its PutRecords
 *   call returned: the start of the put-to-moment latency that local mode reports.
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { putRecords, type StreamRecord } from './kinesis';
import { RequestCounter } from './request-counter';
import { DEFAULT_RETRY, type RetryPolicy } from './retry';
import { checkSignal, encodeSignal, partitionKeyOf } from '../producer/encode';

/** PutRecords takes at most 500 records a call. */
export const MAX_BATCH_RECORDS = 500;
export const DEFAULT_LINGER_MS = 50;

export interface ProducerOptions {
  kinesis: KinesisClient;
  streamName: string;
  /** Buffered mode: write as soon as this many signals wait (1..500, default 500). */
  maxBatchRecords?: number;
  /** Buffered mode: the longest a signal waits before a write starts (default 50 ms). */
  lingerMs?: number;
  /** Entry-level retries of failed records (default: shared/adapters/retry DEFAULT_RETRY). */
  retry?: RetryPolicy;
  /** Check each signal against the contract before sending (default true). */
  validate?: boolean;
  /** Counts PutRecords calls and retried records, for benchmarks and tests. */
  counter?: RequestCounter;
  /** Called for each accepted record that has a messageId, with the time it was accepted. */
  onPut?: (messageId: string, timeMs: number) => void;
  /** The clock for put times (default Date.now). */
  now?: () => number;
}

/** A record as it goes to the stream, for `sendRaw`. */
export interface RawRecord {
  partitionKey: string;
  data: Uint8Array;
  /** Passed to `onPut` and reported in the outcome; the bytes are not parsed to find it. */
  messageId?: string;
}

export type SignalOutcome =
  | { status: 'sent'; messageId?: string; putAtMs: number }
  | { status: 'invalid'; messageId?: string; reason: string }
  | { status: 'failed'; messageId?: string; error: string };

export interface SendResult {
  /** Records accepted by the stream. */
  sent: number;
  /** One outcome per input, in input order. */
  outcomes: SignalOutcome[];
  /** The inputs that were not sent because they break the contract, with the reason. */
  invalid: { index: number; signal: unknown; reason: string }[];
  /** The inputs still failing after the retries (or when the call itself failed). */
  failed: { index: number; messageId?: string; error: string }[];
  /** PutRecords calls made, retries included. */
  calls: number;
  /** Records sent again after a partial failure. */
  retriedEntries: number;
}

interface Entry extends StreamRecord {
  index: number;
  messageId?: string;
}

type Prepared = { ok: true; entry: Omit<Entry, 'index'> } | { ok: false; messageId?: string; reason: string };

interface Waiting {
  entry: Omit<Entry, 'index'>;
  resolve: (outcome: SignalOutcome) => void;
  reject: (err: unknown) => void;
}

const messageIdOf = (signal: unknown): string | undefined => {
  const id = signal && typeof signal === 'object' ? (signal as Record<string, unknown>).messageId : undefined;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
};

function describe(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

const emptyResult = (): SendResult => ({ sent: 0, outcomes: [], invalid: [], failed: [], calls: 0, retriedEntries: 0 });

export class Producer {
  private readonly opts: Required<Pick<ProducerOptions, 'maxBatchRecords' | 'lingerMs' | 'retry' | 'validate' | 'now'>> &
    ProducerOptions;
  private buffer: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The last write; the next one starts after it, so writes never overtake each other. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(opts: ProducerOptions) {
    const maxBatchRecords = opts.maxBatchRecords ?? MAX_BATCH_RECORDS;
    if (!Number.isInteger(maxBatchRecords) || maxBatchRecords < 1 || maxBatchRecords > MAX_BATCH_RECORDS) {
      throw new RangeError(`Producer.maxBatchRecords: must be an integer from 1 to ${MAX_BATCH_RECORDS}, got ${maxBatchRecords}`);
    }
    const lingerMs = opts.lingerMs ?? DEFAULT_LINGER_MS;
    if (!Number.isFinite(lingerMs) || lingerMs < 0) {
      throw new RangeError(`Producer.lingerMs: must be a number of milliseconds >= 0, got ${lingerMs}`);
    }
    if (!opts.streamName) throw new RangeError('Producer.streamName: is required');
    this.opts = {
      ...opts,
      maxBatchRecords,
      lingerMs,
      retry: opts.retry ?? DEFAULT_RETRY,
      validate: opts.validate ?? true,
      now: opts.now ?? Date.now,
    };
  }

  /** Signals waiting in the buffer. */
  get pending(): number {
    return this.buffer.length;
  }

  /** Writes `signals` now (after any earlier write), validating each unless `validate: false`. */
  async send(signals: readonly unknown[]): Promise<SendResult> {
    const prepared = signals.map((s) => this.prepare(s));
    const entries: Entry[] = [];
    prepared.forEach((p, index) => {
      if (p.ok) entries.push({ ...p.entry, index });
    });
    const written = await this.enqueueWrite(entries);
    const result: SendResult = { ...written, outcomes: new Array<SignalOutcome>(signals.length) };
    entries.forEach((e, i) => (result.outcomes[e.index] = written.outcomes[i]));
    result.failed = written.failed.map((f) => ({ ...f, index: entries[f.index].index }));
    prepared.forEach((p, index) => {
      if (p.ok) return;
      result.outcomes[index] = { status: 'invalid', messageId: p.messageId, reason: p.reason };
      result.invalid.push({ index, signal: signals[index], reason: p.reason });
    });
    return result;
  }

  /** Writes records as they are: no parsing, no validation (the simulator's malformed ones). */
  async sendRaw(records: readonly RawRecord[]): Promise<SendResult> {
    return this.enqueueWrite(records.map((r, index) => ({ ...r, index })));
  }

  /**
   * Buffers one signal; resolves with its outcome once the write that carries it has finished.
   * An invalid signal resolves at once with the reason and is not buffered.
   */
  put(signal: unknown): Promise<SignalOutcome> {
    const p = this.prepare(signal);
    if (!p.ok) return Promise.resolve({ status: 'invalid', messageId: p.messageId, reason: p.reason });
    return new Promise<SignalOutcome>((resolve, reject) => {
      this.buffer.push({ entry: p.entry, resolve, reject });
      if (this.buffer.length >= this.opts.maxBatchRecords) this.flushInBackground();
      else this.timer ??= setTimeout(() => this.flushInBackground(), this.opts.lingerMs);
    });
  }

  /** Writes what waits in the buffer; resolves after it and every earlier write has finished. */
  flush(): Promise<SendResult> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const waiting = this.buffer.splice(0, this.buffer.length);
    return this.enqueueWrite(waiting.map((w, index) => ({ ...w.entry, index }))).then(
      (result) => {
        waiting.forEach((w, i) => w.resolve(result.outcomes[i]));
        return result;
      },
      (err: unknown) => {
        waiting.forEach((w) => w.reject(err));
        throw err;
      },
    );
  }

  private flushInBackground(): void {
    // The outcome (or error) reaches every put() caller through its own promise.
    this.flush().catch(() => undefined);
  }

  private prepare(signal: unknown): Prepared {
    const messageId = messageIdOf(signal);
    const partitionKey = partitionKeyOf(signal && typeof signal === 'object' ? (signal as Record<string, unknown>) : {});
    if (!this.opts.validate) return { ok: true, entry: { partitionKey, data: encodeSignal(signal), messageId } };
    const checked = checkSignal(signal);
    if (!checked.ok) return { ok: false, messageId, reason: checked.reason };
    return { ok: true, entry: { partitionKey, data: checked.data, messageId } };
  }

  private enqueueWrite(entries: Entry[]): Promise<SendResult> {
    const run = this.chain.then(() => this.write(entries));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async write(entries: Entry[]): Promise<SendResult> {
    const result = emptyResult();
    if (entries.length === 0) return result;
    const acceptedAt = new Map<Entry, number>();
    const calls = new RequestCounter();
    let failures = new Map<Entry, string>();
    let callError: string | undefined;
    try {
      const put = await putRecords(this.opts.kinesis, this.opts.streamName, entries, {
        retry: this.opts.retry,
        counter: calls,
        onAccepted: (batch) => {
          const t = this.opts.now();
          for (const e of batch) acceptedAt.set(e, t);
          // At once, not after the whole write: with several calls, later calls take time, and a
          // record's moment can be detected before the write ends.
          if (this.opts.onPut) for (const e of batch) if (e.messageId) this.opts.onPut(e.messageId, t);
        },
      });
      failures = new Map(put.failed.map((f) => [f.entry, f.error]));
    } catch (err) {
      // A whole call failed (stream missing, access denied, network): the records not yet
      // accepted are reported failed with that error, the ones accepted before stay sent.
      callError = describe(err);
    }
    result.calls = calls.get('kinesis.PutRecords');
    result.retriedEntries = calls.get('kinesis.retriedRecords');
    this.opts.counter?.add('kinesis.PutRecords', result.calls);
    if (result.retriedEntries > 0) this.opts.counter?.add('kinesis.retriedRecords', result.retriedEntries);

    entries.forEach((e, i) => {
      const at = acceptedAt.get(e);
      if (at !== undefined) {
        result.sent++;
        result.outcomes.push({ status: 'sent', messageId: e.messageId, putAtMs: at });
        return;
      }
      const error = failures.get(e) ?? callError ?? 'record was not accepted';
      result.outcomes.push({ status: 'failed', messageId: e.messageId, error });
      result.failed.push({ index: i, messageId: e.messageId, error });
    });
    return result;
  }
}
