/**
 * The fault tests tolerate exactly one difference between a faulty and a fault-free run (a moment
 * keeping a channel that a revocation in its original batch withdrew, after a bisection). The
 * tolerance must not hide anything else: a delivery on that channel, a different score, a
 * narrower moment.
 */
import { withdrawnLater, type Outcome } from '../../fixtures/faults/outcome';
import type { TableItem } from '../../fixtures/faults/inspect';

const moment = (channels: string[], score = 0.8): TableItem => ({
  pk: 'C#user:abc',
  sk: 'M#2026-03-10T09:59:00.039Z#m1',
  momentId: 'm1',
  score,
  consent: { channels, locationOffers: false },
});
const audit = (channel: string, outcome: string, reason?: string): TableItem => ({
  pk: 'C#user:abc',
  sk: `N#2026-03-10T09:59:01.000Z#n-${channel}`,
  momentId: 'm1',
  channel,
  outcome,
  ...(reason ? { reason } : {}),
});
const outcomeOf = (moments: TableItem[], decisionItems: TableItem[]): Outcome =>
  ({ moments, decisionItems, decisions: decisionItems.map((d) => `${String(d.momentId)}/${String(d.channel)}`) }) as unknown as Outcome;

const clean = outcomeOf([moment(['push'])], [audit('push', 'sent')]);

test('a channel withdrawn later, its decision suppressed for want of consent: reconciled', () => {
  const faulty = outcomeOf([moment(['push', 'email'])], [audit('push', 'sent'), audit('email', 'suppressed', 'NO_CHANNEL_CONSENT')]);
  const { moments, extraDecisions } = withdrawnLater(faulty, clean);
  expect(moments).toEqual(clean.moments);
  expect([...extraDecisions]).toEqual(['m1/email']);
});

test('a delivery on the withdrawn channel is not tolerated', () => {
  const faulty = outcomeOf([moment(['push', 'email'])], [audit('push', 'sent'), audit('email', 'sent')]);
  expect(() => withdrawnLater(faulty, clean)).toThrow(/NO_CHANNEL_CONSENT/);
});

test('any other difference is left for the comparison to report', () => {
  for (const faultyMoment of [moment(['push', 'email'], 0.7), moment([]), moment(['email'])]) {
    const { moments, extraDecisions } = withdrawnLater(outcomeOf([faultyMoment], []), clean);
    expect(moments).toEqual([faultyMoment]);
    expect(extraDecisions.size).toBe(0);
  }
});
