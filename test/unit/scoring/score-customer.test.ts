import { createHash } from 'node:crypto';
import { priorScoring } from '../../../shared/config/defaults';
import type { ScoringConfig } from '../../../shared/config/types';
import { validateMomentDetected } from '../../../shared/contracts/validate';
import { momentIdOf } from '../../../shared/scoring/moment';
import { scoreCustomer, scoresAt } from '../../../shared/scoring/score-customer';
import { emptyState } from '../../../shared/scoring/state';
import { recentKey } from '../../../shared/scoring/recent-key';
import { at, enriched, KEY, OTHER_KEY } from './builders';

// The mechanics, on the hand-set priors, whose round numbers the tests can spell out (the shipped
// buy weights are fitted: test/unit/evaluation and the journeys cover them).
const cfg = priorScoring;
const withScoring = (patch: Partial<ScoringConfig>): ScoringConfig => ({ ...structuredClone(priorScoring), ...patch });

const coffee = (minutes = 0, messageId?: string) =>
  enriched({
    messageId,
    event: 'Products Searched',
    timestamp: at(minutes),
    features: { query: 'coffee near me' },
    context: { deviceClass: 'mobile', daypart: 'morning' },
  });

describe('scoreCustomer', () => {
  it('opens a go moment when "coffee near me" on a phone in the morning crosses the threshold', () => {
    const s = coffee(0, 'm-coffee');
    const { moments, state } = scoreCustomer(undefined, [s], cfg);
    expect(moments.map((m) => m.intent)).toEqual(['go']);
    const m = moments[0];
    // 0.8 (near me) + 0.15 (mobile) + 0.1 (morning)
    expect(m.score).toBeCloseTo(1 - Math.exp(-1.05), 12);
    expect(m.threshold).toBe(0.6);
    expect(m.trigger).toEqual({ messageId: 'm-coffee', event: 'Products Searched', time: s.timestamp });
    expect(m.detectedAt).toBe(s.timestamp);
    expect(m.consumerInitiated).toBe(true);
    expect(m.consent).toEqual({ channels: ['push', 'webhook'], locationOffers: false });
    expect(m.context).toEqual({ localTime: '2026-11-23T08:00', daypart: 'morning', timezone: 'Europe/London', weekend: false, device: 'mobile' });
    expect(m.reasons.map((r) => [r.kind, r.feature, r.weight, r.contribution])).toEqual([
      ['lexicon', 'near me', 0.8, 0.8],
      ['context', 'mobile', 0.15, 0.15],
      ['context', 'daypart:morning', 0.1, 0.1],
    ]);
    expect(state.intents.go?.open?.momentId).toBe(m.momentId);
    const v = validateMomentDetected(m);
    expect(v.ok ? 'valid' : v.error).toBe('valid');
  });

  it('derives the moment id from customer, intent and trigger: the first 128 bits of SHA-256, hex', () => {
    const { moments } = scoreCustomer(undefined, [coffee(0, 'm-1')], cfg);
    const expected = createHash('sha256').update(`${KEY}|go|m-1`).digest('hex').slice(0, 32);
    expect(moments[0].momentId).toBe(expected);
    expect(momentIdOf(KEY, 'go', 'm-1')).toBe(expected);
    expect(momentIdOf(KEY, 'know', 'm-1')).not.toBe(expected);
    expect(momentIdOf(OTHER_KEY, 'go', 'm-1')).not.toBe(expected);
  });

  it('opens nothing below the threshold', () => {
    const { moments, state } = scoreCustomer(undefined, [enriched({ event: 'Product Viewed' })], cfg);
    expect(moments).toEqual([]);
    expect(state.intents.buy?.evidence).toBeCloseTo(0.3, 12);
  });

  it('accumulates decayed evidence: two views an hour apart weigh less than two at once', () => {
    const together = scoreCustomer(undefined, [enriched({ event: 'Product Viewed', timestamp: at(0) }), enriched({ event: 'Product Viewed', timestamp: at(0) })], cfg);
    const apart = scoreCustomer(undefined, [enriched({ event: 'Product Viewed', timestamp: at(0) }), enriched({ event: 'Product Viewed', timestamp: at(180) })], cfg);
    expect(together.state.intents.buy?.evidence).toBeCloseTo(0.6, 12);
    // buy half-life is 180 minutes: the first view is worth half.
    expect(apart.state.intents.buy?.evidence).toBeCloseTo(0.45, 12);
  });

  it('does not open a second moment of an intent within its cooldown, and does after it', () => {
    const cooldown = cfg.intents.go.cooldownMinutes;
    const { moments } = scoreCustomer(undefined, [coffee(0), coffee(10), coffee(cooldown - 1), coffee(cooldown + 5)], cfg);
    expect(moments.map((m) => m.trigger.time)).toEqual([at(0), at(cooldown + 5)]);
  });

  it('lets only a signal that adds evidence to an intent trigger it', () => {
    const weak = withScoring({ intents: { ...cfg.intents, go: { halfLifeMinutes: 30, threshold: 0.6, cooldownMinutes: 0 } } });
    // Evidence is above the threshold after the search, but a page view adds no go evidence.
    const { moments } = scoreCustomer(undefined, [coffee(0), enriched({ event: 'Page Viewed', timestamp: at(1) })], weak);
    expect(moments).toHaveLength(1);
  });

  it('takes consumerInitiated and consent from the triggering signal', () => {
    const passive = enriched({
      event: 'Directions Requested',
      context: { deviceClass: 'mobile' },
      consumerInitiated: false,
      consent: { personalization: true, channels: ['sms'], locationOffers: true },
    });
    const { moments } = scoreCustomer(undefined, [passive], cfg);
    expect(moments[0].consumerInitiated).toBe(false);
    expect(moments[0].consent).toEqual({ channels: ['sms'], locationOffers: true });
  });

  describe('closers', () => {
    const journey = [
      enriched({ event: 'Product Viewed', timestamp: at(0) }),
      enriched({ event: 'Product Added', timestamp: at(1) }),
      enriched({ event: 'Checkout Started', timestamp: at(2) }),
    ];

    it('Order Completed resets buy evidence, forgets its reasons and closes the open moment', () => {
      const first = scoreCustomer(undefined, journey, cfg);
      expect(first.moments.map((m) => m.intent)).toEqual(['buy']);
      const closed = scoreCustomer(first.state, [enriched({ event: 'Order Completed', timestamp: at(3) })], cfg);
      expect(closed.state.intents.buy).toEqual({ evidence: 0, atMs: Date.parse(at(3)), closedAtMs: Date.parse(at(3)), contributions: [] });
      // Nothing of the journey is left: only the customer's new prior purchase (a level) counts.
      expect(scoresAt(closed.state, Date.parse(at(3)), cfg).buy).toBeCloseTo(1 - Math.exp(-(cfg.behaviour.priorPurchases.weights.buy ?? 0)), 12);
    });

    it('ignores buy evidence from a late signal dated before the order', () => {
      const closed = scoreCustomer(undefined, [...journey, enriched({ event: 'Order Completed', timestamp: at(3) })], cfg);
      const late = scoreCustomer(closed.state, [enriched({ event: 'Checkout Started', timestamp: at(2.5) })], cfg);
      expect(late.state.intents.buy?.evidence).toBe(0);
      expect(late.moments).toEqual([]);
    });

    it('lets a new journey after the order open a new buy moment: the closed one no longer blocks', () => {
      const again = [3, 4, 5, 6].map((m, i) => enriched({ event: ['Order Completed', 'Product Viewed', 'Product Added', 'Checkout Started'][i], timestamp: at(m) }));
      const { moments } = scoreCustomer(undefined, [...journey, ...again], cfg);
      expect(moments.map((m) => [m.intent, m.trigger.time])).toEqual([
        ['buy', at(2)],
        ['buy', at(6)],
      ]);
    });

    it('keeps evidence dated after a late closer', () => {
      const after = scoreCustomer(undefined, [enriched({ event: 'Product Viewed', timestamp: at(10) })], cfg);
      const closed = scoreCustomer(after.state, [enriched({ event: 'Order Completed', timestamp: at(5) })], cfg);
      expect(closed.state.intents.buy?.evidence).toBeCloseTo(0.3, 12);
    });
  });

  describe('life events', () => {
    const life = (type: string, minutes = 0) => enriched({ event: 'Life Event', timestamp: at(minutes), features: { lifeEventType: type } });

    it('opens a life-event moment at once for an allowed type, with the type as its reason', () => {
      const { moments } = scoreCustomer(undefined, [life('moved')], cfg);
      expect(moments).toHaveLength(1);
      const m = moments[0];
      expect(m).toMatchObject({ intent: 'life-event', lifeEventType: 'moved', score: 1, threshold: 0 });
      expect(m.reasons).toEqual([{ kind: 'life-event', feature: 'moved', messageId: m.trigger.messageId, weight: 1, contribution: 1 }]);
      const v = validateMomentDetected(m);
      expect(v.ok ? 'valid' : v.error).toBe('valid');
    });

    it('refuses a type that is not allowed, sensitive ones included', () => {
      expect(scoreCustomer(undefined, [life('pregnancy'), life('divorce'), life('unknown-thing')], cfg).moments).toEqual([]);
      expect(scoreCustomer(undefined, [enriched({ event: 'Life Event' })], cfg).moments).toEqual([]);
    });

    it('announces a type once per cooldownDays, other types independently', () => {
      const day = 24 * 60;
      const { moments } = scoreCustomer(undefined, [life('moved', 0), life('new-job', 1), life('moved', 10 * day), life('moved', 31 * day)], cfg);
      expect(moments.map((m) => [m.lifeEventType, m.trigger.time])).toEqual([
        ['moved', at(0)],
        ['new-job', at(1)],
        ['moved', at(31 * day)],
      ]);
    });
  });

  describe('idempotency', () => {
    it('skips a message id it has already applied, in the same batch or a later one', () => {
      const a = coffee(0, 'dup');
      const first = scoreCustomer(undefined, [a, a], cfg);
      expect(first.skipped).toEqual([{ messageId: 'dup', reason: 'already-applied' }]);
      const again = scoreCustomer(first.state, [a], cfg);
      expect(again.moments).toEqual([]);
      expect(again.state).toEqual(first.state);
    });

    it('keeps at most recentMessageIds ids and skips anything at or before what it forgot', () => {
      const small = withScoring({ recentMessageIds: 3 });
      const signals = [0, 1, 2, 3, 4].map((m) => enriched({ event: 'Product Viewed', timestamp: at(m), messageId: `v${m}` }));
      const { state } = scoreCustomer(undefined, signals, small);
      expect(state.recent.map(([id]) => id)).toEqual(['v2', 'v3', 'v4'].map(recentKey));
      expect(state.forgottenUpToMs).toBe(Date.parse(at(1)));
      const late = scoreCustomer(state, [signals[0], enriched({ event: 'Product Viewed', timestamp: at(1), messageId: 'never-seen' })], small);
      expect(late.skipped).toEqual([
        { messageId: 'v0', reason: 'beyond-horizon' },
        { messageId: 'never-seen', reason: 'beyond-horizon' },
      ]);
      expect(late.state).toEqual(state);
    });

    it('applies a late signal it has not seen with decay from its own time: same evidence as in order', () => {
      const a = enriched({ event: 'Product Viewed', timestamp: at(0) });
      const b = enriched({ event: 'Product Added', timestamp: at(60) });
      const inOrder = scoreCustomer(undefined, [a, b], cfg).state;
      const reversed = scoreCustomer(undefined, [b, a], cfg).state;
      expect(reversed.intents.buy?.evidence).toBeCloseTo(inOrder.intents.buy!.evidence, 12);
      expect(reversed.intents.buy?.atMs).toBe(inOrder.intents.buy?.atMs);
      expect(reversed.watermarkMs).toBe(Date.parse(at(60)));
      expect(reversed.recent.map(([id]) => id)).toEqual([a.messageId, b.messageId].map(recentKey));
    });

    it('detects a moment triggered by a late signal at the evidence time, not before it', () => {
      const cartViewed = withScoring({ eventWeights: { ...cfg.eventWeights, 'Cart Viewed': { buy: 0.3 } } });
      const late = scoreCustomer(undefined, [enriched({ event: 'Product Added', timestamp: at(9) }), enriched({ event: 'Cart Viewed', timestamp: at(10) }), enriched({ event: 'Checkout Started', timestamp: at(5) })], cartViewed);
      expect(late.moments).toHaveLength(1);
      expect(late.moments[0].trigger.time).toBe(at(5));
      expect(late.moments[0].detectedAt).toBe(at(10));
    });
  });

  it('keeps the strongest reasons first and at most maxReasons', () => {
    const two = withScoring({ maxReasons: 2 });
    const signals = [
      enriched({ event: 'Product Viewed', timestamp: at(0) }),
      enriched({ event: 'Cart Viewed', timestamp: at(1) }),
      enriched({ event: 'Product Added', timestamp: at(2) }),
      enriched({ event: 'Checkout Started', timestamp: at(3) }),
    ];
    const { moments } = scoreCustomer(undefined, signals, two);
    expect(moments[0].reasons.map((r) => r.feature)).toEqual(['Checkout Started', 'Product Added']);
    expect(moments[0].reasons[1].contribution).toBeLessThan(0.5);
    expect(moments[0].reasons[1].contribution).toBeGreaterThan(0.49);
  });

  it('sums negative evidence with the rest and floors only the score at zero', () => {
    const neg = withScoring({ eventWeights: { ...cfg.eventWeights, 'Product Viewed': { buy: 0.3 }, 'Return Requested': { buy: -2 } } });
    const signals = [enriched({ event: 'Product Viewed' }), enriched({ event: 'Return Requested' })];
    const { state, scores } = scoreCustomer(undefined, signals, neg, { withScores: true });
    expect(state.intents.buy?.evidence).toBeCloseTo(-1.7, 12);
    expect(scores?.map((s) => s.scores.buy)).toEqual([1 - Math.exp(-0.3), 0]);
    // The debt is remembered: another view right after it does not make the score positive.
    const after = scoreCustomer(state, [enriched({ event: 'Product Viewed' })], neg, { withScores: true });
    expect(after.state.intents.buy?.evidence).toBeCloseTo(-1.4, 12);
    expect(after.scores?.[0].scores.buy).toBe(0);
  });

  it('leaves contributions that faded to nothing out of the reasons', () => {
    const day = 24 * 60;
    const { moments } = scoreCustomer(undefined, [enriched({ event: 'Store Locator Viewed', timestamp: at(0) }), coffee(3 * day)], cfg);
    expect(moments).toHaveLength(1);
    expect(moments[0].reasons.map((r) => r.messageId)).not.toContain(moments[0].reasons.find((r) => r.feature === 'Store Locator Viewed')?.messageId ?? 'none');
    expect(moments[0].reasons.every((r) => r.contribution !== 0)).toBe(true);
  });

  it('stores no number DynamoDB could not hold (nothing between 0 and 1e-9 in magnitude)', () => {
    const day = 24 * 60;
    const neg = withScoring({ eventWeights: { ...cfg.eventWeights, 'Return Requested': { go: -1e-12 } } });
    const { state } = scoreCustomer(undefined, [enriched({ event: 'Directions Requested', timestamp: at(0) }), enriched({ event: 'Return Requested', timestamp: at(14 * day) })], neg);
    const numbers: number[] = [];
    JSON.stringify(state, (_k, v: unknown) => (typeof v === 'number' ? (numbers.push(v), v) : v));
    expect(numbers.filter((n) => n !== 0 && Math.abs(n) < 1e-9 && n !== -1e-12)).toEqual([]);
    expect(state.intents.go?.evidence).toBe(0);
  });

  it('never mutates the state it is given and gives the same answer twice', () => {
    const first = scoreCustomer(undefined, [coffee(0)], cfg);
    const frozen = structuredClone(first.state);
    const later = [coffee(5, 'x'), enriched({ event: 'Order Completed', timestamp: at(6), messageId: 'y' })];
    const a = scoreCustomer(first.state, later, cfg);
    const b = scoreCustomer(first.state, later, cfg);
    expect(first.state).toEqual(frozen);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('refuses a signal of another customer, naming the message', () => {
    expect(() => scoreCustomer(emptyState(KEY), [enriched({ customerKey: OTHER_KEY, messageId: 'stray' })], cfg)).toThrow(
      /signal stray has customerKey b{64}, the state is for a{64}/,
    );
  });

  it('returns every applied signal scores at the watermark with withScores', () => {
    const { scores } = scoreCustomer(undefined, [coffee(0, 's1'), enriched({ event: 'Product Viewed', timestamp: at(30), messageId: 's2' })], cfg, { withScores: true });
    expect(scores?.map((s) => s.messageId)).toEqual(['s1', 's2']);
    expect(scores?.[0].scores.go).toBeCloseTo(1 - Math.exp(-1.05), 12);
    expect(scores?.[1].scores.go).toBeCloseTo(1 - Math.exp(-1.05 / 2), 12);
    expect(scoreCustomer(undefined, [coffee(0)], cfg).scores).toBeUndefined();
  });
});
