/**
 * Kinesis records are decoded in one pass (functions/common/kinesis-batch.ts), with a faster test
 * of base64 than the pattern it replaced. Generated data, canonical or not, padded or not, with
 * characters outside the alphabet: what the pattern refused is still refused (and quarantined as
 * `encoding` with the same reason), what it accepted decodes to the same bytes.
 */
import fc from 'fast-check';
import type { KinesisStreamEvent } from 'aws-lambda';
import { streamRecordsOf } from '../../../functions/common/kinesis-batch';

const PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;
/** The decision before the change: length a multiple of 4 and the pattern. */
const acceptedBefore = (raw: string) => raw.length % 4 === 0 && PATTERN.test(raw);

const event = (data: string[]): KinesisStreamEvent => ({
  Records: data.map((d, i) => ({
    eventID: `shardId-000000000001:${1000 + i}`,
    eventSourceARN: 'arn:aws:kinesis:eu-west-1:123456789012:stream/mm-signals',
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::123456789012:role/x',
    awsRegion: 'eu-west-1',
    kinesis: { kinesisSchemaVersion: '1.0', partitionKey: `k${i}`, sequenceNumber: String(1000 + i), data: d, approximateArrivalTimestamp: 1_700_000_000.5 },
  })),
});

const alphabet = 'ABCXYZabcxyz0189+/=-_ .é\n';
const base64ish = fc.oneof(
  fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString('base64')),
  fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 24 }),
  // Canonical base64 with one character changed: padding bits set, padding moved, a stray character.
  fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 20 }), fc.nat(), fc.constantFrom(...alphabet)).map(([b, at, c]) => {
    const s = Buffer.from(b).toString('base64');
    const i = at % s.length;
    return s.slice(0, i) + c + s.slice(i + 1);
  }),
);

describe('streamRecordsOf', () => {
  it('decodes what the base64 pattern accepted to the same bytes and refuses what it refused', () => {
    fc.assert(
      fc.property(fc.array(base64ish, { minLength: 1, maxLength: 5 }), (data) => {
        const records = streamRecordsOf(event(data));
        records.forEach((r, i) => {
          const ok = acceptedBefore(data[i]);
          expect(r.decodeError).toBe(ok ? undefined : 'Record: data is not valid base64 (encoding)');
          expect(Buffer.from(r.data).equals(Buffer.from(data[i], ok ? 'base64' : 'utf8'))).toBe(true);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('keeps what the pipelines need of each record', () => {
    const [r] = streamRecordsOf(event([Buffer.from('{"a":1}').toString('base64')]));
    expect(r).toEqual({ data: Buffer.from('{"a":1}'), sequenceNumber: '1000', shardId: 'shardId-000000000001', partitionKey: 'k0', arrivedAtMs: 1_700_000_000_500, stream: 'mm-signals' });
  });
});
