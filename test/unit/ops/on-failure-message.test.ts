/** Reading an on-failure record back: the range a redrive needs, or why there is none. */
import { onFailureRecord } from '../../../local/poller';
import { parseOnFailureMessage, parseStreamArn } from '../../../shared/ops/on-failure-message';

const STREAM_ARN = 'arn:aws:kinesis:eu-west-1:123456789012:stream/micro-moments-prod-signals';
const START = '49590338271490256608559692538361571095921575989136588898';
const END = '49590338271490256608559692540925702759324208523137515618';

/** The example AWS documents, with this project's names. */
const awsExample = {
  requestContext: {
    requestId: 'c9b8fa9f-5a7f-xmpl-af9c-0c604cde93a5',
    functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:micro-moments-prod-enrich',
    condition: 'RetryAttemptsExhausted',
    approximateInvokeCount: 1,
  },
  responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
  version: '1.0',
  timestamp: '2019-11-14T00:38:06.021Z',
  KinesisBatchInfo: {
    shardId: 'shardId-000000000001',
    startSequenceNumber: START,
    endSequenceNumber: END,
    approximateArrivalOfFirstRecord: '2019-11-14T00:38:04.835Z',
    approximateArrivalOfLastRecord: '2019-11-14T00:38:05.580Z',
    batchSize: 500,
    streamArn: STREAM_ARN,
  },
};

describe('parseOnFailureMessage', () => {
  test('the record AWS documents gives the stream, region, shard, range, size and condition', () => {
    expect(parseOnFailureMessage(JSON.stringify(awsExample))).toEqual({
      ok: true,
      range: {
        streamArn: STREAM_ARN,
        streamName: 'micro-moments-prod-signals',
        region: 'eu-west-1',
        shardId: 'shardId-000000000001',
        startSequenceNumber: START,
        endSequenceNumber: END,
        batchSize: 500,
        approximateArrivalOfFirstRecord: '2019-11-14T00:38:04.835Z',
        condition: 'RetryAttemptsExhausted',
      },
    });
  });

  test('the record local mode writes reads the same way', () => {
    const record = onFailureRecord(
      [
        { sequenceNumber: START, partitionKey: 'k', data: new Uint8Array([1]), arrivedAtMs: 0 },
        { sequenceNumber: END, partitionKey: 'k', data: new Uint8Array([2]), arrivedAtMs: 1000 },
      ],
      { requestId: 'r', functionArn: 'f', condition: 'RecordAgeExceeded', invokeCount: 1, shardId: 'shardId-000000000000', streamArn: STREAM_ARN, now: new Date(0) },
    );
    const parsed = parseOnFailureMessage(JSON.stringify(record));
    expect(parsed).toMatchObject({ ok: true, range: { startSequenceNumber: START, endSequenceNumber: END, batchSize: 2, condition: 'RecordAgeExceeded' } });
  });

  test.each([
    ['not json', 'body is not JSON'],
    ['[1,2]', 'not a JSON object'],
    [JSON.stringify({ DDBStreamBatchInfo: {} }), 'no KinesisBatchInfo'],
    [JSON.stringify({ KinesisBatchInfo: { ...awsExample.KinesisBatchInfo, streamArn: undefined } }), 'streamArn: missing'],
    [JSON.stringify({ KinesisBatchInfo: { ...awsExample.KinesisBatchInfo, streamArn: 'arn:aws:sqs:eu-west-1:1:q' } }), 'not a Kinesis stream ARN'],
    [JSON.stringify({ KinesisBatchInfo: { ...awsExample.KinesisBatchInfo, shardId: '' } }), 'shardId: missing'],
    [JSON.stringify({ KinesisBatchInfo: { ...awsExample.KinesisBatchInfo, startSequenceNumber: 12 } }), 'startSequenceNumber: not a sequence number'],
    [JSON.stringify({ KinesisBatchInfo: { ...awsExample.KinesisBatchInfo, endSequenceNumber: '12a' } }), 'endSequenceNumber: not a sequence number'],
    [JSON.stringify({ KinesisBatchInfo: { ...awsExample.KinesisBatchInfo, startSequenceNumber: END, endSequenceNumber: START } }), 'after endSequenceNumber'],
  ])('%s → not redrivable (%s)', (body, reason) => {
    const parsed = parseOnFailureMessage(body);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });

  test('a batch size that is not a positive integer is left out rather than trusted', () => {
    const parsed = parseOnFailureMessage(JSON.stringify({ KinesisBatchInfo: { ...awsExample.KinesisBatchInfo, batchSize: -3 } }));
    expect(parsed.ok && parsed.range.batchSize).toBeUndefined();
  });
});

describe('parseStreamArn', () => {
  test('name and region; names may contain dots and dashes', () => {
    expect(parseStreamArn('arn:aws:kinesis:us-east-1:000000000000:stream/a.b-c_d')).toEqual({ name: 'a.b-c_d', region: 'us-east-1' });
    expect(parseStreamArn('arn:aws-cn:kinesis:cn-north-1:1:stream/s')).toEqual({ name: 's', region: 'cn-north-1' });
    expect(parseStreamArn('micro-moments-prod-signals')).toBeUndefined();
  });
});
