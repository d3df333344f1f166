/**
 * The scenario suite: customer journeys written as data (test/scenarios/journeys/*.json), each a
 * list of Segment-spec signals passed through enrich then score (the replay pipeline: the same
 * code and default configuration as the deployed functions), with the moments it must produce,
 * in order, and those it must not. Each journey's `shows` sentence says what it documents; the
 * suite is the executable description of the scoring model in docs/SCORING.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../shared/config';
import type { MomentDetectedDetail } from '../../shared/contracts/events';
import { validateMomentDetected } from '../../shared/contracts/validate';
import { runReplay } from '../../scripts/replay';
import { messageDigestOf } from '../../shared/enrich/pseudonymise';

interface MomentMatcher {
  intent?: string;
  trigger?: string;
  consumerInitiated?: boolean;
  lifeEventType?: string;
  /** Features that must be among the moment's reasons. */
  reasons?: string[];
}

interface Journey {
  name: string;
  shows: string;
  config?: Record<string, unknown>;
  signals: Record<string, unknown>[];
  expect: {
    /** Exactly these moments, in this order. */
    moments: MomentMatcher[];
    /** No moment may match any of these. */
    mustNot?: MomentMatcher[];
    counts?: { enriched?: number; quarantined?: number; dropped?: Record<string, number> };
  };
}

const dir = join(__dirname, 'journeys');
const journeys: Journey[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Journey);

/** Moments carry the digest of the trigger's messageId (replay keys with the configuration's localPepper). */
const triggerIs = (m: MomentDetectedDetail, messageId: string) => m.trigger.messageId === messageDigestOf(loadConfig().localPepper, messageId);

function matches(m: MomentDetectedDetail, p: MomentMatcher): boolean {
  return (
    (p.intent === undefined || m.intent === p.intent) &&
    (p.trigger === undefined || triggerIs(m, p.trigger)) &&
    (p.consumerInitiated === undefined || m.consumerInitiated === p.consumerInitiated) &&
    (p.lifeEventType === undefined || m.lifeEventType === p.lifeEventType) &&
    (p.reasons === undefined || p.reasons.every((r) => m.reasons.some((x) => x.feature === r)))
  );
}

const describeMoment = (m: MomentDetectedDetail) =>
  `${m.intent} by ${m.trigger.messageId} (consumerInitiated ${m.consumerInitiated}, reasons ${m.reasons.map((r) => r.feature).join(', ')})`;

describe('customer journeys', () => {
  it('has at least 12 journeys, each saying what it shows', () => {
    expect(journeys.length).toBeGreaterThanOrEqual(12);
    for (const j of journeys) expect(j.shows.length).toBeGreaterThan(20);
  });

  describe.each(journeys.map((j) => [j.name, j] as const))('%s', (_name, journey) => {
    it(journey.shows, async () => {
      const config = loadConfig(journey.config ? { overrides: journey.config } : {});
      const out = await runReplay(journey.signals.map((s) => JSON.stringify(s)), config);
      const moments = out.moments.map((line) => JSON.parse(line) as MomentDetectedDetail);

      for (const m of moments) {
        const v = validateMomentDetected(m);
        expect(v.ok ? 'valid' : v.error).toBe('valid');
      }
      const expected = journey.expect.moments;
      expect(moments.map(describeMoment)).toHaveLength(expected.length);
      expected.forEach((p, i) => {
        if (!matches(moments[i], p)) throw new Error(`moment ${i}: expected ${JSON.stringify(p)}, got ${describeMoment(moments[i])}`);
      });
      for (const p of journey.expect.mustNot ?? []) {
        const hit = moments.find((m) => matches(m, p));
        if (hit) throw new Error(`must not produce ${JSON.stringify(p)}, got ${describeMoment(hit)}`);
      }
      const counts = journey.expect.counts;
      if (counts?.enriched !== undefined) expect(out.summary.enriched).toBe(counts.enriched);
      if (counts?.quarantined !== undefined) expect(out.summary.quarantined).toBe(counts.quarantined);
      for (const [policy, n] of Object.entries(counts?.dropped ?? {})) expect([policy, out.summary.dropped[policy as keyof typeof out.summary.dropped]]).toEqual([policy, n]);
    });
  });
});
