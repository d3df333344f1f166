/**
 * The message Lambda sends to a Kinesis event source's on-failure destination (SQS here), read
 * back for a redrive. It carries the coordinates of the batch Lambda gave up on, never the data:
 *
 *   { "requestContext": { "requestId", "functionArn", "condition": "RetryAttemptsExhausted" |
 *       "RecordAgeExceeded" | …, "approximateInvokeCount" },
 *     "responseContext": { "statusCode", "executedVersion", "functionError"? },
 *     "version": "1.0", "timestamp": ISO-8601,
 *     "KinesisBatchInfo": { "shardId", "startSequenceNumber", "endSequenceNumber",
 *       "approximateArrivalOfFirstRecord", "approximateArrivalOfLastRecord", "batchSize",
 *       "streamArn" } }
 *
 * Shape as AWS documents it in "Retain discarded batch records for a Kinesis Data Streams event
 * source in Lambda" (https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html,
 * "Example Kinesis invocation record"), the same shape local mode writes (local/poller/on-failure.ts).
 * Only what a redrive needs is required; the rest is kept when present, for the report.
 */

export interface RedriveRange {
  /** `arn:aws:kinesis:REGION:ACCOUNT:stream/NAME` of the stream the batch was read from. */
  streamArn: string;
  streamName: string;
  /** The region in the ARN, when it has one. */
  region?: string;
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
  /** Records Lambda counted in the batch (absent if the message did not say). */
  batchSize?: number;
  /** ISO-8601, when given: how old the first record is, to explain an expired range. */
  approximateArrivalOfFirstRecord?: string;
  /** Why Lambda gave up (RetryAttemptsExhausted, RecordAgeExceeded...), when given. */
  condition?: string;
}

export type ParsedMessage = { ok: true; range: RedriveRange } | { ok: false; reason: string };

const SEQUENCE_NUMBER = /^\d{1,128}$/;

/** `arn:aws:kinesis:eu-west-1:123456789012:stream/name` → { name, region }; undefined if not a stream ARN. */
export function parseStreamArn(arn: string): { name: string; region?: string } | undefined {
  const m = /^arn:[^:]+:kinesis:([^:]*):[^:]*:stream\/(.+)$/.exec(arn);
  if (!m) return undefined;
  return { name: m[2], ...(m[1] ? { region: m[1] } : {}) };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads one message body; says what is missing rather than guessing a range. */
export function parseOnFailureMessage(body: string): ParsedMessage {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  if (!isObject(value)) return { ok: false, reason: 'body is not a JSON object' };
  const info = value.KinesisBatchInfo;
  if (!isObject(info)) {
    // A DynamoDB Streams source says DDBStreamBatchInfo; anything else is not ours to redrive.
    return { ok: false, reason: 'no KinesisBatchInfo: not an on-failure record of a Kinesis event source' };
  }
  const { shardId, startSequenceNumber, endSequenceNumber, streamArn } = info;
  if (typeof streamArn !== 'string') return { ok: false, reason: 'KinesisBatchInfo.streamArn: missing' };
  const stream = parseStreamArn(streamArn);
  if (!stream) return { ok: false, reason: 'KinesisBatchInfo.streamArn: not a Kinesis stream ARN' };
  if (typeof shardId !== 'string' || shardId === '') return { ok: false, reason: 'KinesisBatchInfo.shardId: missing' };
  for (const [field, seq] of [
    ['startSequenceNumber', startSequenceNumber],
    ['endSequenceNumber', endSequenceNumber],
  ] as const) {
    if (typeof seq !== 'string' || !SEQUENCE_NUMBER.test(seq)) return { ok: false, reason: `KinesisBatchInfo.${field}: not a sequence number` };
  }
  if (BigInt(startSequenceNumber as string) > BigInt(endSequenceNumber as string)) {
    return { ok: false, reason: 'KinesisBatchInfo: startSequenceNumber is after endSequenceNumber' };
  }
  const range: RedriveRange = {
    streamArn,
    streamName: stream.name,
    ...(stream.region ? { region: stream.region } : {}),
    shardId,
    startSequenceNumber: startSequenceNumber as string,
    endSequenceNumber: endSequenceNumber as string,
  };
  if (typeof info.batchSize === 'number' && Number.isInteger(info.batchSize) && info.batchSize > 0) range.batchSize = info.batchSize;
  if (typeof info.approximateArrivalOfFirstRecord === 'string') range.approximateArrivalOfFirstRecord = info.approximateArrivalOfFirstRecord;
  const ctx = value.requestContext;
  if (isObject(ctx) && typeof ctx.condition === 'string') range.condition = ctx.condition;
  return { ok: true, range };
}
