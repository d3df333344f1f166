/**
 * Where a record stands in its stream, the one clock a producer cannot set. Kinesis gives every
 * record a sequence number and an approximate arrival time; within a shard (and so for one
 * partition key: the producer library partitions by customer) sequence numbers grow with arrival,
 * and a redelivered record keeps its own. Consent choices are ordered by it
 * (shared/enrich/consent.ts), and erasure compares arrival times with the erasure
 * (shared/privacy/tombstone.ts).
 */

/** Kinesis sequence numbers are decimal strings of up to 128 bits: compare by length, then text. */
export function compareSequenceNumbers(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The time a consent choice is taken at: its own timestamp, unless that is more than `skewMs`
 * after the record reached the stream. A device clock running fast must not date a choice into
 * the future, where it would outlive the choices that really come after it.
 */
export function choiceTimeMs(timestampMs: number, arrivedAtMs: number, skewMs: number): number {
  return timestampMs > arrivedAtMs + skewMs ? arrivedAtMs : timestampMs;
}
