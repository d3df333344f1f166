import { decideAndSend, DecisionInProgressError, InvalidMomentError, notificationIdOf, type DecideDeps } from '../../../shared/notify/decide';
import { InMemoryNotifyStore } from '../../../shared/notify/in-memory-notify-store';
import { decisionKeyOf, emptyNotifyItem } from '../../../shared/notify/notify-item';
import { validateNotificationSent, validateNotificationSuppressed } from '../../../shared/contracts/validate';
import type { NotificationSentDetail, NotificationSuppressedDetail } from '../../../shared/contracts/events';
import { config, CUSTOMER, moment, NOW, profile } from '../../fixtures/notify';
import { RecordingChannel, RecordingPublisher } from '../../fixtures/notify-doubles';

function setup() {
  const store = new InMemoryNotifyStore();
  store.profiles.set(CUSTOMER, profile());
  const adapter = new RecordingChannel('push');
  const publisher = new RecordingPublisher();
  let now = NOW;
  const deps: DecideDeps = { config: config(), store, adapter, publisher, now: () => now };
  return { store, adapter, publisher, deps, setNow: (d: Date) => (now = d) };
}

describe('decideAndSend', () => {
  it('sends once, records the audit item and publishes a valid Notification Sent', async () => {
    const { store, adapter, publisher, deps } = setup();
    const out = await decideAndSend(moment(), 'push', deps);
    expect(out).toMatchObject({ status: 'sent', templateId: 'go-near-store' });
    expect(out.notificationId).toBe(notificationIdOf(moment().momentId, 'push'));
    expect(out.notificationId).toMatch(/^[0-9a-f]{32}$/);
    expect(adapter.sent).toHaveLength(1);
    expect(adapter.sent[0].recipient).toEqual({ customerKey: CUSTOMER, externalId: 'brand-user-42' });
    expect(publisher.events).toHaveLength(1);
    expect(publisher.events[0].detailType).toBe('Notification Sent');
    expect(validateNotificationSent(publisher.events[0].detail).ok).toBe(true);
    const audit = [...store.audit.values()];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ outcome: 'sent', momentId: moment().momentId, channel: 'push', templateId: 'go-near-store', message: { title: 'Soho store is open' } });
    expect(audit[0].expiresAt).toBe(Math.floor(NOW.getTime() / 1000) + 90 * 86400);
  });

  it('a redelivered event within the lease sends nothing, publishes nothing and is told to retry later', async () => {
    const { adapter, publisher, deps } = setup();
    await decideAndSend(moment(), 'push', deps);
    await expect(decideAndSend(moment(), 'push', deps)).rejects.toBeInstanceOf(DecisionInProgressError);
    expect(adapter.sent).toHaveLength(1);
    expect(publisher.events).toHaveLength(1);
  });

  it('records a suppression with its reason and a valid Notification Suppressed', async () => {
    const { store, adapter, publisher, deps } = setup();
    store.profiles.set(CUSTOMER, profile({ consent: { personalization: true, push: false } }));
    const out = await decideAndSend(moment(), 'push', deps);
    expect(out).toMatchObject({ status: 'suppressed', reason: 'NO_CHANNEL_CONSENT' });
    expect(adapter.sent).toHaveLength(0);
    const detail = publisher.events[0].detail as NotificationSuppressedDetail;
    expect(validateNotificationSuppressed(detail).ok).toBe(true);
    expect(detail.reason).toBe('NO_CHANNEL_CONSENT');
    expect([...store.audit.values()][0]).toMatchObject({ outcome: 'suppressed', reason: 'NO_CHANNEL_CONSENT' });
  });

  it('a channel down after retries throws; the retry of the event can still send, once, with one cap slot', async () => {
    const { store, adapter, publisher, deps } = setup();
    adapter.script.push('unavailable');
    await expect(decideAndSend(moment(), 'push', deps)).rejects.toThrow('not delivered');
    expect(publisher.events).toHaveLength(0);
    const out = await decideAndSend(moment(), 'push', deps);
    expect(out.status).toBe('sent');
    expect(adapter.sent).toHaveLength(1);
    expect(store.capCount(CUSTOMER, 'D#2026-11-24')).toBe(1);
    expect(store.audit.size).toBe(1);
  });

  it('after a send whose recording failed, the retry records it without sending again', async () => {
    const { adapter, publisher, deps } = setup();
    publisher.failNext = 1;
    await expect(decideAndSend(moment(), 'push', deps)).rejects.toThrow('PutEvents');
    const out = await decideAndSend(moment(), 'push', deps);
    expect(out.status).toBe('sent');
    expect(adapter.sent).toHaveLength(1);
    expect((publisher.events[0].detail as NotificationSentDetail).templateId).toBe('go-near-store');
  });

  it('a 4xx rejection is CHANNEL_REJECTED and gives the cap slot and the cooldown back', async () => {
    const { store, adapter, deps } = setup();
    adapter.script.push('rejected');
    const out = await decideAndSend(moment(), 'push', deps);
    expect(out).toMatchObject({ status: 'suppressed', reason: 'CHANNEL_REJECTED' });
    expect(store.capCount(CUSTOMER, 'D#2026-11-24')).toBe(0);
    // Another go moment right away is not held back by a cooldown nothing used.
    const other = await decideAndSend(moment({ momentId: 'b'.repeat(32) }), 'push', deps);
    expect(other.status).toBe('sent');
  });

  it('a second moment of the same intent within the cooldown is suppressed COOLDOWN without a cap slot', async () => {
    const { store, deps } = setup();
    await decideAndSend(moment(), 'push', deps);
    const out = await decideAndSend(moment({ momentId: 'c'.repeat(32) }), 'push', deps);
    expect(out).toMatchObject({ status: 'suppressed', reason: 'COOLDOWN' });
    expect(store.capCount(CUSTOMER, 'D#2026-11-24')).toBe(1);
  });

  it('a moment too old is suppressed MOMENT_TOO_OLD and holds nothing', async () => {
    const { store, deps } = setup();
    const old = moment({ detectedAt: new Date(NOW.getTime() - 20 * 60_000).toISOString() });
    expect(await decideAndSend(old, 'push', deps)).toMatchObject({ status: 'suppressed', reason: 'MOMENT_TOO_OLD' });
    expect(store.capCount(CUSTOMER, 'D#2026-11-24')).toBe(0);
  });

  it('does not store the message of a moment refused as sensitive', async () => {
    const { store, deps } = setup();
    const m = moment({ intent: 'life-event', lifeEventType: 'pregnancy' });
    expect(await decideAndSend(m, 'push', deps)).toMatchObject({ status: 'suppressed', reason: 'SENSITIVE_CATEGORY' });
    expect([...store.audit.values()][0].message).toBeUndefined();
  });

  it('another invocation holding the decision makes this one retry later', async () => {
    const { store, deps } = setup();
    const held = emptyNotifyItem();
    held.decisions.set(decisionKeyOf(notificationIdOf(moment().momentId, 'push')), { state: 'pending', decidedAtMs: NOW.getTime(), leaseUntilMs: NOW.getTime() + 60_000, attempt: 1 });
    expect(await store.writeNotify(CUSTOMER, held, 0)).toBe(true);
    await expect(decideAndSend(moment(), 'push', deps)).rejects.toBeInstanceOf(DecisionInProgressError);
  });

  it('a redelivery after the lease has run out publishes the recorded event once more and marks the decision done', async () => {
    const { store, adapter, publisher, deps, setNow } = setup();
    await decideAndSend(moment(), 'push', deps);
    expect(store.notifyOf(CUSTOMER).decisions.get(decisionKeyOf(notificationIdOf(moment().momentId, 'push')))?.state).toBe('pending');
    setNow(new Date(NOW.getTime() + 2 * 60_000));
    expect(await decideAndSend(moment(), 'push', deps)).toMatchObject({ status: 'sent', attempts: 0 });
    expect(publisher.events.map((e) => JSON.stringify(e.detail))).toEqual([JSON.stringify(publisher.events[0].detail), JSON.stringify(publisher.events[0].detail)]);
    expect(store.notifyOf(CUSTOMER).decisions.get(decisionKeyOf(notificationIdOf(moment().momentId, 'push')))?.state).toBe('done');
    expect(await decideAndSend(moment(), 'push', deps)).toMatchObject({ status: 'duplicate' });
    expect(publisher.events).toHaveLength(2);
    expect(adapter.sent).toHaveLength(1);
  });

  it('a replay of an old moment whose decision was pruned from NOTIFY finds it by its audit item', async () => {
    const { store, adapter, publisher, deps, setNow } = setup();
    await decideAndSend(moment(), 'push', deps);
    // Two days on, another decision prunes the first one from the item.
    setNow(new Date(NOW.getTime() + 2 * 86_400_000));
    const at = new Date(NOW.getTime() + 2 * 86_400_000 - 60_000).toISOString();
    const later = moment({ momentId: 'd'.repeat(32), detectedAt: at, trigger: { ...moment().trigger, time: at } });
    expect(await decideAndSend(later, 'push', deps)).toMatchObject({ status: 'sent' });
    expect(store.notifyOf(CUSTOMER).decisions.has(decisionKeyOf(notificationIdOf(moment().momentId, 'push')))).toBe(false);
    expect(await decideAndSend(moment(), 'push', deps)).toMatchObject({ status: 'duplicate' });
    expect(adapter.sent).toHaveLength(2);
    expect(publisher.events).toHaveLength(2);
  });

  it('a write refused because another invocation wrote first is decided again on a fresh read', async () => {
    const { store, adapter, deps } = setup();
    store.failNextWrites = 3;
    expect(await decideAndSend(moment(), 'push', deps)).toMatchObject({ status: 'sent' });
    expect(adapter.sent).toHaveLength(1);
    expect(store.capCount(CUSTOMER, 'D#2026-11-24')).toBe(1);
    expect(store.notifyOf(CUSTOMER).version).toBe(1);
  });

  it('refuses a detail that is not a moment, naming the field', async () => {
    const { deps } = setup();
    const bad = { ...moment(), customerKey: 'not-a-key' };
    await expect(decideAndSend(bad, 'push', deps)).rejects.toThrow(InvalidMomentError);
    await expect(decideAndSend(bad, 'push', deps)).rejects.toThrow(/customerKey/);
  });
});
