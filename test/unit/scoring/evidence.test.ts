import { defaultScoring } from '../../../shared/config/defaults';
import { compileScoring } from '../../../shared/scoring/compile';
import { featuresOf } from '../../../shared/scoring/evidence';
import { enriched } from './builders';

const c = compileScoring(defaultScoring);
const near = { id: 'lon-soho', name: 'Soho store', distanceMeters: 300, open: true };

describe('features of a signal', () => {
  it('takes the event weights, then lexicon, content and context, in that order', () => {
    const f = featuresOf(
      enriched({ event: 'Products Searched', features: { query: 'coffee near me' }, context: { deviceClass: 'mobile', daypart: 'morning' } }),
      c,
    );
    expect(f.map((x) => `${x.kind}:${x.feature}:${x.intent}:${x.weight}`)).toEqual([
      'event:Products Searched:know:0.2',
      'event:Products Searched:buy:0.1',
      'lexicon:near me:go:0.8',
      'context:mobile:go:0.15',
      'context:daypart:morning:go:0.1',
    ]);
  });

  it('weighs content categories and the content type, case-insensitively and once each', () => {
    const f = featuresOf(enriched({ event: 'Video Playback Started', features: { contentCategories: ['How-To', 'how-to'], contentType: 'DIY' } }), c);
    expect(f.filter((x) => x.kind === 'content').map((x) => `${x.feature}:${x.intent}`)).toEqual(['how-to:do', 'diy:do']);
  });

  it('adds context only to intents the signal itself speaks to', () => {
    const plain = featuresOf(enriched({ event: 'Page Viewed', context: { deviceClass: 'mobile', daypart: 'morning', nearestLocation: near } }), c);
    expect(plain).toEqual([]);
    const buy = featuresOf(enriched({ event: 'Product Added', context: { deviceClass: 'mobile', daypart: 'morning', nearestLocation: near } }), c);
    // mobile, near-open-location and the morning all weigh only on go: nothing for a buy signal.
    expect(buy.map((x) => x.kind)).toEqual(['event']);
  });

  it('counts a nearby location only when it is open and within the radius', () => {
    const go = (nearestLocation: typeof near) =>
      featuresOf(enriched({ event: 'Store Locator Viewed', context: { daypart: 'night', nearestLocation } }), c).map((x) => x.feature);
    expect(go(near)).toContain('near-open-location');
    expect(go({ ...near, open: false })).not.toContain('near-open-location');
    expect(go({ ...near, distanceMeters: 1001 })).not.toContain('near-open-location');
    expect(go({ ...near, distanceMeters: 1000 })).toContain('near-open-location');
  });

  it('gives nothing to an event the configuration does not know', () => {
    expect(featuresOf(enriched({ event: 'Something Else' }), c)).toEqual([]);
  });

  it('reads the lexicon phrases enrich kept one per line, and never a phrase across two lines', () => {
    const withSpanning = compileScoring({ ...defaultScoring, lexicon: [...defaultScoring.lexicon, { phrase: 'me open', intent: 'go', weight: 0.9 }] });
    const lexicon = (query: string) =>
      featuresOf(enriched({ event: 'Page Viewed', features: { query } }), withSpanning)
        .filter((f) => f.kind === 'lexicon')
        .map((f) => f.feature);
    expect(lexicon('near me\nopen now')).toEqual(['near me', 'open now']);
    expect(lexicon('near me open now')).toEqual(['near me', 'open now', 'me open']);
  });
});
