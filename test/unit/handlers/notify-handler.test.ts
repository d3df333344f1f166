/**
 * The notify handler's own logic: the channel from MM_CHANNEL (or the runtime), the default SNS
 * adapter (mocked SNS), metrics by channel and reason, errors that make EventBridge retry, and
 * logs, metrics and events free of identifiers.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { createNotifyHandler } from '../../../functions/notify/handler';
import type { Runtime, RuntimeOverrides } from '../../../shared/adapters/runtime';
import { ENV } from '../../../shared/names';
import { busEvent, invocationContext, testRuntime } from '../../fixtures/lambda-kit';
import { InMemoryNotifyStore } from '../../../shared/notify/in-memory-notify-store';
import type { MomentDetectedDetail } from '../../../shared/contracts/events';
import { config, CUSTOMER, moment, NOW, profile } from '../../fixtures/notify';
import { RecordingChannel, RecordingPublisher } from '../../fixtures/notify-doubles';
import { captureOutput } from '../../fixtures/capture-output';

const sns = mockClient(SNSClient);
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:micro-moments-test-notifications';
const EMAIL = 'bob@example.com';
const PHONE = '+44 7700 900123';
const USER_ID = 'user-secret-1';

/** The notify runtime of these tests: SNS as deployed (mocked), the decisions in memory (`store`). */
const runtime = (publisher: RecordingPublisher, extra: Partial<RuntimeOverrides> = {}): Runtime =>
  testRuntime({ config: config(), resources: { channel: { [ENV.notificationTopicArn]: TOPIC } }, publisher, stores: { notify: store }, now: () => NOW, ...extra });

/** The context of one invocation (its deadline starts now). */
const context = () => invocationContext('micro-moments-test-notify-push');

const event = (detail: MomentDetectedDetail | object, detailType = 'Moment Detected') => busEvent(detailType, detail, NOW);

let output: string[] = [];
let store: InMemoryNotifyStore;
const savedChannel = process.env.MM_CHANNEL;

beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
  store = new InMemoryNotifyStore();
  // The profile holds the brand's id for delivery: here an email, to prove it goes nowhere else.
  store.profiles.set(CUSTOMER, profile({ externalId: EMAIL }));
  output = captureOutput();
  process.env.MM_CHANNEL = 'push';
});
afterEach(() => {
  jest.restoreAllMocks();
  if (savedChannel === undefined) delete process.env.MM_CHANNEL;
  else process.env.MM_CHANNEL = savedChannel;
});

const logText = () => output.join('');

function assertNoIdentifiers(publisher: RecordingPublisher) {
  const everything = logText() + JSON.stringify(publisher.events);
  for (const raw of [EMAIL, PHONE, USER_ID, '51.5136', '-0.1365']) expect(everything).not.toContain(raw);
}

describe('notify handler', () => {
  it('sends through SNS for the channel in MM_CHANNEL, with attributes, and counts NotificationsSent by channel', async () => {
    const publisher = new RecordingPublisher();
    const handler = createNotifyHandler(runtime(publisher));
    const out = await handler(event(moment()), context());
    expect(out.status).toBe('sent');
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0].args[0].input;
    expect(input.TopicArn).toBe(TOPIC);
    expect(input.MessageAttributes).toEqual({
      channel: { DataType: 'String', StringValue: 'push' },
      intent: { DataType: 'String', StringValue: 'go' },
      momentId: { DataType: 'String', StringValue: moment().momentId },
    });
    // The delivery id goes to the channel, in the body, and nowhere else.
    expect(JSON.parse(input.Message as string)).toMatchObject({ externalId: EMAIL, title: 'Soho store is open' });
    expect(JSON.stringify(input.MessageAttributes)).not.toContain(EMAIL);
    expect(publisher.events.map((e) => e.detailType)).toEqual(['Notification Sent']);
    const emf = logText().split('\n').filter((l) => l.includes('"NotificationsSent"'));
    expect(emf.length).toBeGreaterThan(0);
    expect(emf.join('')).toContain('"channel":"push"');
    expect(logText()).toContain('notification sent');
    assertNoIdentifiers(publisher);
  });

  it('a suppression counts NotificationsSuppressed by reason, and sends nothing', async () => {
    store.profiles.set(CUSTOMER, profile({ externalId: EMAIL, consent: { personalization: true, push: false } }));
    const publisher = new RecordingPublisher();
    const out = await createNotifyHandler(runtime(publisher))(event(moment()), context());
    expect(out).toMatchObject({ status: 'suppressed', reason: 'NO_CHANNEL_CONSENT' });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    const emf = logText().split('\n').filter((l) => l.includes('"NotificationsSuppressed"'));
    expect(emf.join('')).toContain('"reason":"NO_CHANNEL_CONSENT"');
    assertNoIdentifiers(publisher);
  });

  it('uses the channel and adapter the runtime carries (local mode)', async () => {
    delete process.env.MM_CHANNEL;
    const webhook = new RecordingChannel('webhook');
    const publisher = new RecordingPublisher();
    const out = await createNotifyHandler(runtime(publisher, { channel: 'webhook', channels: { webhook } }))(event(moment({ intent: 'know' })), context());
    expect(out.status).toBe('sent');
    expect(webhook.sent).toHaveLength(1);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('throws when SNS is down, so EventBridge retries; the retry sends it once', async () => {
    sns.on(PublishCommand).rejectsOnce(Object.assign(new Error('Service Unavailable'), { name: 'InternalErrorException' })).resolves({ MessageId: 'sns-2' });
    const publisher = new RecordingPublisher();
    const handler = createNotifyHandler(runtime(publisher));
    await expect(handler(event(moment()), context())).rejects.toThrow('push: not delivered');
    expect(logText()).toContain('notification decision failed');
    expect((await handler(event(moment()), context())).status).toBe('sent');
    // A redelivery while the decision's lease runs is retried later; it sends and publishes nothing.
    await expect(handler(event(moment()), context())).rejects.toThrow('in progress in another invocation');
    expect(publisher.events).toHaveLength(1);
    assertNoIdentifiers(publisher);
  });

  it('refuses an event that is not a moment, naming the field', async () => {
    const handler = createNotifyHandler(runtime(new RecordingPublisher()));
    await expect(handler(event(moment(), 'Something Else'), context())).rejects.toThrow('detail-type');
    await expect(handler(event({ ...moment(), intent: 'sell' }), context())).rejects.toThrow('MomentDetected.intent');
  });

  it('refuses to run without a channel', async () => {
    delete process.env.MM_CHANNEL;
    const handler = createNotifyHandler(runtime(new RecordingPublisher()));
    await expect(handler(event(moment()), context())).rejects.toThrow('MM_CHANNEL');
  });
});
