/**
 * The local bus with the real routing rules (config.routing, as CDK deploys them): which notify
 * target each moment reaches, the EventBridge envelope, asynchronous delivery, retries and the
 * dead-letter list.
 */
import type { Channel } from '../../../shared/contracts/enriched';
import { DETAIL_TYPES, type MomentDetectedDetail } from '../../../shared/contracts/events';
import { loadConfig } from '../../../shared/config';
import { LocalEventBus, type BusEvent } from '../../../local/bus';

const config = loadConfig({ stage: 'test' });

function moment(over: Partial<MomentDetectedDetail> & { device?: string; channels?: Channel[] }): MomentDetectedDetail {
  const { device, channels, ...rest } = over;
  return {
    version: 1,
    momentId: 'm-1',
    customerKey: 'k-1',
    intent: 'go',
    score: 0.8,
    threshold: 0.6,
    reasons: [],
    trigger: { messageId: 'msg-1', event: 'Products Searched', time: '2026-11-23T10:00:00.000Z' },
    context: { localTime: '10:00', daypart: 'morning', timezone: 'Europe/Paris', weekend: false, device: (device ?? 'mobile') as MomentDetectedDetail['context']['device'] },
    consent: { channels: channels ?? ['push', 'webhook', 'sms'], locationOffers: false },
    consumerInitiated: true,
    detectedAt: '2026-11-23T10:00:01.000Z',
    scoringVersion: 'v',
    ...rest,
  };
}

function busWithRecorders(opts: { failing?: Channel; maxAttempts?: number } = {}) {
  const bus = new LocalEventBus({ busName: 'test-bus', rules: config.routing, retryDelayMs: 1, maxAttempts: opts.maxAttempts ?? 3 });
  const received: Record<string, BusEvent[]> = { push: [], webhook: [], sms: [] };
  const calls: Record<string, number> = { push: 0, webhook: 0, sms: 0 };
  for (const channel of ['push', 'webhook', 'sms'] as Channel[]) {
    bus.setTarget(channel, async (event) => {
      calls[channel]++;
      if (channel === opts.failing) throw new Error(`${channel} is down`);
      received[channel].push(event);
    });
  }
  return { bus, received, calls };
}

const route = async (detail: MomentDetectedDetail) => {
  const { bus, received } = busWithRecorders();
  await bus.publish([{ detailType: DETAIL_TYPES.momentDetected, detail }]);
  await bus.idle();
  return Object.fromEntries(Object.entries(received).map(([k, v]) => [k, v.length]));
};

test('routes moments to the channels of the rules that match, with EventBridge semantics', async () => {
  expect(await route(moment({ intent: 'go', device: 'mobile' }))).toEqual({ push: 1, webhook: 0, sms: 0 });
  // go on a desktop: the push rule wants a phone or tablet.
  expect(await route(moment({ intent: 'go', device: 'desktop' }))).toEqual({ push: 0, webhook: 0, sms: 0 });
  // go without push consent.
  expect(await route(moment({ intent: 'go', channels: ['webhook'] }))).toEqual({ push: 0, webhook: 0, sms: 0 });
  expect(await route(moment({ intent: 'buy', score: 0.35 }))).toEqual({ push: 0, webhook: 1, sms: 0 });
  // buy below the rule's numeric bound (0.3).
  expect(await route(moment({ intent: 'buy', score: 0.25 }))).toEqual({ push: 0, webhook: 0, sms: 0 });
  expect(await route(moment({ intent: 'know', device: 'desktop' }))).toEqual({ push: 0, webhook: 1, sms: 0 });
  // anything-but tv.
  expect(await route(moment({ intent: 'do', device: 'tv' }))).toEqual({ push: 0, webhook: 0, sms: 0 });
  expect(await route(moment({ intent: 'life-event', lifeEventType: 'moving-home' }))).toEqual({ push: 0, webhook: 0, sms: 1 });
  expect(await route(moment({ intent: 'life-event', channels: ['push'] }))).toEqual({ push: 0, webhook: 0, sms: 0 });
});

test('targets receive a real EventBridge event, asynchronously, and listeners see every event', async () => {
  const { bus, received } = busWithRecorders();
  const seen: string[] = [];
  bus.on('*', (e) => seen.push(e['detail-type']));
  bus.on(DETAIL_TYPES.notificationSent, () => seen.push('sent-listener'));
  await bus.publish([
    { detailType: DETAIL_TYPES.momentDetected, detail: moment({}), time: new Date('2026-11-23T10:00:01.250Z') },
    { detailType: DETAIL_TYPES.notificationSent, detail: { version: 1 } },
  ]);
  expect(received.push).toHaveLength(0); // not yet: delivery is asynchronous
  await bus.idle();
  expect(seen).toEqual([DETAIL_TYPES.momentDetected, DETAIL_TYPES.notificationSent, 'sent-listener']);
  const event = received.push[0];
  expect(event).toMatchObject({
    version: '0',
    source: 'micro-moments',
    'detail-type': 'Moment Detected',
    time: '2026-11-23T10:00:01Z',
    resources: [],
    detail: { momentId: 'm-1', intent: 'go' },
  });
  expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
  expect(event.account).toMatch(/^\d{12}$/);
  expect(typeof event.region).toBe('string');
  expect(bus.stats.matchedByRule['go-nearby-push']).toBe(1);
});

test('a target that throws is retried, then the event goes to the dead-letter list with the rule and the error', async () => {
  const { bus, calls } = busWithRecorders({ failing: 'webhook', maxAttempts: 3 });
  await bus.publish([{ detailType: DETAIL_TYPES.momentDetected, detail: moment({ intent: 'buy', momentId: 'm-dead' }) }]);
  await bus.idle();
  expect(calls.webhook).toBe(3);
  expect(bus.deadLetters.messages).toHaveLength(1);
  const dl = bus.deadLetters.messages[0];
  expect(dl).toMatchObject({ rule: 'buy-webhook', target: 'webhook', attempts: 3, error: 'Error: webhook is down' });
  expect((dl.event.detail as MomentDetectedDetail).momentId).toBe('m-dead');
});

test('a pattern EventBridge would reject is refused when the bus is built', () => {
  expect(
    () =>
      new LocalEventBus({
        busName: 'bad',
        rules: [{ name: 'bad-rule', description: '', pattern: { detail: { score: [{ numeric: ['>', 'x'] }] } }, target: 'push' }],
      }),
  ).toThrow(/bad-rule/);
});
