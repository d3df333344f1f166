/**
 * The correlation id of the logs (functions/common/observability.ts): an EventBridge invocation
 * about a moment logs its triggering messageId on every line, and the next invocation does not
 * inherit it.
 */
import { lambdaContext } from '../../../local/lambda-context';
import { correlationIdOf, createObservability, withObservability } from '../../../functions/common/observability';
import { captureOutput } from '../../fixtures/capture-output';

let output: string[];
beforeEach(() => {
  output = captureOutput();
});
afterEach(() => jest.restoreAllMocks());

const logLines = () =>
  output
    .join('')
    .split('\n')
    .filter((l) => l.includes('"message":"handled"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const DIGEST = '0123456789abcdef0123456789abcdef';

test('correlationIdOf: the trigger messageId (a digest) of a moment event, nothing else', () => {
  expect(correlationIdOf({ 'detail-type': 'Moment Detected', detail: { trigger: { messageId: DIGEST } } })).toBe(DIGEST);
  // A raw messageId (an event from elsewhere) never becomes every log line's correlation id.
  expect(correlationIdOf({ detail: { trigger: { messageId: 'bob@example.com' } } })).toBeUndefined();
  expect(correlationIdOf({ detail: { trigger: { messageId: 42 } } })).toBeUndefined();
  expect(correlationIdOf({ detail: { userId: 'u-1' } })).toBeUndefined();
  expect(correlationIdOf({ Records: [] })).toBeUndefined();
  expect(correlationIdOf(null)).toBeUndefined();
});

test('every line of the invocation carries correlation_id; the next invocation starts without it', async () => {
  const obs = createObservability('notify-test', 'test');
  const handler = withObservability(async (_event: unknown) => {
    obs.logger.info('handled');
    return 'ok';
  }, obs);
  const ctx = lambdaContext('micro-moments-test-notify-push');
  await handler({ 'detail-type': 'Moment Detected', detail: { trigger: { messageId: DIGEST } } }, ctx);
  await handler({ 'detail-type': 'Something Else', detail: {} }, ctx);
  const [first, second] = logLines();
  expect(first).toMatchObject({ correlation_id: DIGEST, stage: 'test', service: 'notify-test' });
  expect(second).not.toHaveProperty('correlation_id');
  expect(second).toMatchObject({ stage: 'test' });
});
