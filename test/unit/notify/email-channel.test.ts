/**
 * The email channel (the ses kind) through the notify handler as deployed: the descriptor builds
 * the SES v2 adapter from the configuration and the environment its construct part sets; SES is
 * mocked (aws-sdk-client-mock), the decisions are in memory. The guardrails hold for email as for
 * every channel, and an attacker who controls the external id (or an SES error that quotes the
 * address) gets it into no log line and no event.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import fc from 'fast-check';
import type { Context } from 'aws-lambda';
import { createNotifyHandler } from '../../../functions/notify/handler';
import type { Runtime } from '../../../shared/adapters/runtime';
import { NOTIFICATION_ID_HEADER, SesChannel } from '../../../shared/adapters/ses-channel';
import { relayAddress, SES_CONFIGURATION_SET_ENV, type SesChannelSettings } from '../../../shared/channels/ses';
import type { MomentDetectedDetail } from '../../../shared/contracts/events';
import { notificationIdOf } from '../../../shared/notify/decide';
import { InMemoryNotifyStore } from '../../../shared/notify/in-memory-notify-store';
import { busEvent, testRuntime } from '../../fixtures/lambda-kit';
import { config, CUSTOMER, moment, NOW, profile } from '../../fixtures/notify';
import { RecordingPublisher } from '../../fixtures/notify-doubles';
import { captureOutput } from '../../fixtures/capture-output';

const ses = mockClient(SESv2Client);
const EMAIL: SesChannelSettings = { kind: 'ses', enabled: true, fromAddress: 'moments@mail.brand.test', relayDomain: 'relay.brand.test' };
const CONFIGURATION_SET = 'micro-moments-test-email';
const context = { functionName: 'micro-moments-test-notify-email', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;
const event = (detail: MomentDetectedDetail) => busEvent('Moment Detected', detail, NOW);

let store: InMemoryNotifyStore;
let output: string[];
const runtime = (publisher: RecordingPublisher, settings: SesChannelSettings = EMAIL): Runtime =>
  testRuntime({
    config: config({ channels: { ...config().channels, email: settings } }),
    channel: 'email',
    resources: { channel: { [SES_CONFIGURATION_SET_ENV]: CONFIGURATION_SET } },
    publisher,
    stores: { notify: store },
    now: () => NOW,
  });

beforeEach(() => {
  ses.reset();
  ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
  store = new InMemoryNotifyStore();
  store.profiles.set(CUSTOMER, profile({ externalId: 'brand-user-42' }));
  output = captureOutput();
});
afterEach(() => jest.restoreAllMocks());

describe('email over SES v2 (the ses kind)', () => {
  it('sends one SendEmail: from the configured address to the relay address, through the configuration set, the template as subject and text, the notification id in a header and a tag', async () => {
    const publisher = new RecordingPublisher();
    const out = await createNotifyHandler(runtime(publisher))(event(moment()), context);
    expect(out).toMatchObject({ status: 'sent', templateId: 'go-near-store' });
    const calls = ses.commandCalls(SendEmailCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0].args[0].input;
    const notificationId = notificationIdOf(moment().momentId, 'email');
    expect(input).toEqual({
      FromEmailAddress: 'moments@mail.brand.test',
      Destination: { ToAddresses: ['brand-user-42@relay.brand.test'] },
      Content: {
        Simple: {
          Subject: { Data: 'Soho store is open', Charset: 'UTF-8' },
          Body: { Text: { Data: 'Soho store is 350 m away and open now.', Charset: 'UTF-8' } },
          Headers: [{ Name: NOTIFICATION_ID_HEADER, Value: notificationId }],
        },
      },
      ConfigurationSetName: CONFIGURATION_SET,
      EmailTags: [
        { Name: 'channel', Value: 'email' },
        { Name: 'intent', Value: 'go' },
        { Name: 'notificationId', Value: notificationId },
      ],
    });
    expect(publisher.events.map((e) => e.detailType)).toEqual(['Notification Sent']);
    expect(output.join('')).toContain('"channel":"email"');
  });

  it('sends as the configured identity (sending authorization) when one is named', async () => {
    const identityArn = 'arn:aws:ses:eu-west-1:111122223333:identity/brand.test';
    await createNotifyHandler(runtime(new RecordingPublisher(), { ...EMAIL, identityArn }))(event(moment()), context);
    expect(ses.commandCalls(SendEmailCommand)[0].args[0].input.FromEmailAddressIdentityArn).toBe(identityArn);
  });

  it('no email consent, nothing is sent (NO_CHANNEL_CONSENT)', async () => {
    store.profiles.set(CUSTOMER, profile({ externalId: 'brand-user-42', consent: { ...profile().consent, email: false } }));
    const out = await createNotifyHandler(runtime(new RecordingPublisher()))(event(moment()), context);
    expect(out).toMatchObject({ status: 'suppressed', reason: 'NO_CHANNEL_CONSENT' });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('the send guard (consent and erasure, shared/notify/decide.ts) is asked right before the SendEmail, and a stop sends nothing', async () => {
    const order: string[] = [];
    const sender = { send: async () => (order.push('SendEmail'), { MessageId: 'm' }) };
    const adapter = new SesChannel({ channel: 'email', ses: sender, settings: EMAIL, configurationSet: CONFIGURATION_SET });
    const message = { version: 1 as const, notificationId: 'a'.repeat(32), momentId: 'b'.repeat(32), customerKey: CUSTOMER, channel: 'email' as const, intent: 'go' as const, templateId: 't', title: 'T', body: 'B', decidedAt: NOW.toISOString() };
    const stop = await adapter.send(message, { customerKey: CUSTOMER, externalId: 'brand-user-42' }, async (n) => (order.push(`guard ${n}`), 'NO_CHANNEL_CONSENT'));
    expect(stop).toEqual({ status: 'withdrawn', attempts: 0, reason: 'NO_CHANNEL_CONSENT' });
    expect(order).toEqual(['guard 1']);
    const go = await adapter.send(message, { customerKey: CUSTOMER, externalId: 'brand-user-42' }, async (n) => (order.push(`guard ${n}`), undefined));
    expect(go.status).toBe('delivered');
    expect(order).toEqual(['guard 1', 'guard 1', 'SendEmail']);
  });

  it('a sensitive moment never reaches SES', async () => {
    const out = await createNotifyHandler(runtime(new RecordingPublisher()))(event(moment({ intent: 'life-event', lifeEventType: 'pregnancy' })), context);
    expect(out).toMatchObject({ status: 'suppressed', reason: 'SENSITIVE_CATEGORY' });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('a customer without an external id is not emailed: CHANNEL_REJECTED, no call', async () => {
    store.profiles.set(CUSTOMER, profile({ externalId: undefined }));
    const out = await createNotifyHandler(runtime(new RecordingPublisher()))(event(moment()), context);
    expect(out).toMatchObject({ status: 'suppressed', reason: 'CHANNEL_REJECTED' });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('SES refusing the message is CHANNEL_REJECTED; SES unavailable throws, so the event is retried', async () => {
    ses.reset();
    ses.on(SendEmailCommand).rejects(Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' }));
    const handler = createNotifyHandler(runtime(new RecordingPublisher()));
    expect(await handler(event(moment()), context)).toMatchObject({ status: 'suppressed', reason: 'CHANNEL_REJECTED' });
    ses.reset();
    ses.on(SendEmailCommand).rejectsOnce(Object.assign(new Error('Sending paused'), { name: 'SendingPausedException' })).resolves({ MessageId: 'ses-2' });
    const other = moment({ momentId: 'b'.repeat(32) });
    await expect(handler(event(other), context)).rejects.toThrow('email: not delivered after 1 attempt(s): SendingPausedException');
    expect((await handler(event(other), context)).status).toBe('sent');
  });

  it('the relay address is the external id as a mailbox name, or none', () => {
    expect(relayAddress('brand-user-42', 'relay.brand.test')).toBe('brand-user-42@relay.brand.test');
    for (const bad of [undefined, '', 'a b', 'x@y.test', '.lead', 'trail.', 'two..dots', 'a'.repeat(65), 'naïve', 'a\nBcc: x@y.test']) {
      expect(relayAddress(bad, 'relay.brand.test')).toBeUndefined();
    }
  });

  it('an external id chosen by an attacker, or an SES error quoting the address, reaches no log line and no event', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.stringMatching(/^[a-z0-9]([a-z0-9._+-]{0,30}[a-z0-9])?$/), fc.emailAddress(), fc.string({ minLength: 6, maxLength: 40 })),
        fc.constantFrom('MessageRejected', 'BadRequestException', 'TooManyRequestsException', 'AccountSuspendedException', 'InternalFailure'),
        fc.boolean(),
        async (externalId, errorName, fails) => {
          // Long enough to be found if it leaked, and not a word the logs use anyway.
          fc.pre(externalId.length >= 6 && !/^(channel|notification|suppressed|rejected)/.test(externalId));
          ses.reset();
          const address = relayAddress(externalId, EMAIL.relayDomain) ?? `${externalId}@${EMAIL.relayDomain}`;
          if (fails) ses.on(SendEmailCommand).rejects(Object.assign(new Error(`Address ${address} rejected for ${externalId}`), { name: errorName }));
          else ses.on(SendEmailCommand).resolves({ MessageId: 'ses-3' });
          store = new InMemoryNotifyStore();
          store.profiles.set(CUSTOMER, profile({ externalId }));
          output.length = 0;
          const publisher = new RecordingPublisher();
          await createNotifyHandler(runtime(publisher))(event(moment()), context).catch(() => undefined);
          const everything = output.join('') + JSON.stringify(publisher.events) + JSON.stringify([...store.audit.values()]);
          expect(everything).not.toContain(externalId);
          expect(everything).not.toContain(address);
        },
      ),
      { numRuns: 40 },
    );
  });
});
