import { defaultConfig } from '../../../shared/config';
import type { MomentDetectedDetail } from '../../../shared/contracts/events';
import { describeOutcome, describeReasons } from '../../../local/report';
import { RunStats } from '../../../local/run-stats';

const T0 = Date.parse('2026-12-01T10:00:00.000Z');

function moment(over: Partial<MomentDetectedDetail> = {}): MomentDetectedDetail {
  return {
    version: 1,
    momentId: 'm-1',
    customerKey: 'a'.repeat(64),
    intent: 'do',
    score: 0.88,
    threshold: 0.6,
    reasons: [
      { kind: 'lexicon', feature: 'tutorial', messageId: 'd-1', weight: 0.5, contribution: 0.48 },
      { kind: 'lexicon', feature: 'tutorial', messageId: 'd-3', weight: 0.5, contribution: 0.5 },
      { kind: 'content', feature: 'how-to', messageId: 'd-3', weight: 0.4, contribution: 0.4 },
    ],
    trigger: { messageId: 'd-3', event: 'Video Playback Started', time: new Date(T0).toISOString() },
    context: { localTime: '10:00', daypart: 'morning', timezone: 'Europe/London', weekend: false, device: 'mobile' },
    consent: { channels: ['webhook'], locationOffers: false },
    consumerInitiated: true,
    detectedAt: new Date(T0).toISOString(),
    scoringVersion: 'v',
    ...over,
  } as MomentDetectedDetail;
}

/** RunStats whose "digest" is the identity, so put times are found under the ids the reasons carry. */
const stats = () => new RunStats((id) => id, defaultConfig.routing);

describe('the report tells moments apart', () => {
  test('two reasons with the same feature: the decayed contribution, and which signal, put how long before the trigger', () => {
    const s = stats();
    s.recordPut('d-1', T0 - 41_000);
    s.recordPut('d-2', T0 - 20_000);
    s.recordPut('d-3', T0);
    s.onMoment(moment(), T0 + 200);
    const seen = s.moments.get('m-1')!;
    expect(describeReasons(seen)).toBe(
      'lexicon "tutorial" 0.50 from the trigger; lexicon "tutorial" 0.48 (0.50 decayed) from signal 1 of 2, 41 s before it; content "how-to" 0.40 from the trigger',
    );
  });

  test('a moment no rule routes says which fields each rule of its intent failed', () => {
    const s = stats();
    // A go moment on a phone, but without push consent: go-nearby-push fails on consent.channels only.
    s.onMoment(moment({ momentId: 'g-1', intent: 'go', score: 0.8, consent: { channels: ['webhook'], locationOffers: false } }));
    const g = s.moments.get('g-1')!;
    expect(g.routedBy).toEqual([]);
    expect(g.notRoutedBecause).toBe('no rule matched (go-nearby-push: consent.channels)');
    expect(describeOutcome(g, [])).toBe('not routed: no rule matched (go-nearby-push: consent.channels)');
  });

  test('a routed moment names its rules, then its decisions', () => {
    const s = stats();
    s.onMoment(moment({ momentId: 'd-9' }));
    const d = s.moments.get('d-9')!;
    expect(d.routedBy).toEqual(['know-do-webhook']);
    expect(d.notRoutedBecause).toBeUndefined();
    expect(describeOutcome(d, [])).toBe('routed by know-do-webhook, no decision yet');
    const decision = { notificationId: 'n', momentId: 'd-9', customerKey: d.customerKey, channel: 'webhook', intent: 'do', outcome: 'suppressed' as const, reason: 'QUIET_HOURS' };
    expect(describeOutcome(d, [decision])).toBe('webhook suppressed: QUIET_HOURS');
  });
});
