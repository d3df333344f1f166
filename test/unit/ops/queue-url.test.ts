import { isLoopbackEndpoint, regionOfQueueUrl } from '../../../shared/ops/queue-url';

test('the region of an SQS queue URL', () => {
  expect(regionOfQueueUrl('https://sqs.eu-west-1.amazonaws.com/123456789012/micro-moments-prod-enrich-failures')).toBe('eu-west-1');
  expect(regionOfQueueUrl('https://sqs.cn-north-1.amazonaws.com.cn/1/q')).toBe('cn-north-1');
  expect(regionOfQueueUrl('http://127.0.0.1:4566/000000000000/q')).toBeUndefined();
  expect(regionOfQueueUrl('not a url')).toBeUndefined();
});

test('only an endpoint on this machine counts as an emulator', () => {
  expect(isLoopbackEndpoint('http://127.0.0.1:4567')).toBe(true);
  expect(isLoopbackEndpoint('http://localhost:4566')).toBe(true);
  expect(isLoopbackEndpoint('https://vpce-0abc.kinesis.eu-west-1.vpce.amazonaws.com')).toBe(false);
  expect(isLoopbackEndpoint('nonsense')).toBe(false);
});
