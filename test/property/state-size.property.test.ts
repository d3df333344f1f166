/**
 * The STATE item (shared/store/state-codec.ts) over generated signal histories of one customer:
 * every event, phrase, content category and context the default configuration weighs, products
 * and categories as enrich's digests, life events, timestamps out of order, in batches. After
 * every batch the item written is at most 1,152 B (two write units at worst; see MAX_BYTES), and it reads back as the state
 * the scorer produced, so scoring through DynamoDB decides exactly what scoring in memory does.
 */
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { defaultConfig } from '../../shared/config/defaults';
import type { EnrichedSignal } from '../../shared/contracts/enriched';
import { stateItem, stateOfItem } from '../../shared/adapters/dynamo-state-store';
import { scoreCustomer } from '../../shared/scoring/score-customer';
import type { ScoreState } from '../../shared/scoring/state';
import { itemSize } from '../../bench/dynamo-capacity';
import { enriched } from '../unit/scoring/builders';

const scoring = defaultConfig.scoring;
const EVENTS = [...Object.keys(scoring.eventWeights), 'Life Event', 'Order Completed', 'Product Removed'];
const PHRASES = scoring.lexicon.map((e) => e.phrase);
const CATEGORIES = Object.keys(scoring.contentWeights);
const LIFE = scoring.lifeEvents.allowedTypes;
const digest = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);
const START = Date.parse('2026-11-23T08:00:00.000Z');

const signalArb = fc.record({
  event: fc.constantFrom(...EVENTS),
  phrases: fc.subarray(PHRASES, { maxLength: 3 }),
  categories: fc.subarray(CATEGORIES, { maxLength: 2 }),
  product: fc.integer({ min: 0, max: 40 }),
  category: fc.integer({ min: 0, max: 8 }),
  mobile: fc.boolean(),
  near: fc.boolean(),
  life: fc.constantFrom(...(LIFE.length > 0 ? LIFE : ['moved'])),
  /** Minutes after the previous signal; negative: a late (out-of-order) signal. */
  gap: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 3000 }), fc.integer({ min: -120, max: 0 })),
});

type Gen = typeof signalArb extends fc.Arbitrary<infer T> ? T : never;

function build(gen: Gen[]): EnrichedSignal[] {
  let t = START;
  return gen.map((g, i) => {
    t += g.gap * 60_000;
    return enriched({
      messageId: digest(`m${i}`),
      event: g.event,
      timestamp: new Date(t).toISOString(),
      features: {
        ...(g.phrases.length > 0 ? { query: g.phrases.join('\n') } : {}),
        ...(g.categories.length > 0 ? { contentCategories: g.categories } : {}),
        productId: digest(`p${g.product}`),
        category: digest(`c${g.category}`),
        ...(g.event === 'Life Event' ? { lifeEventType: g.life } : {}),
      },
      context: {
        deviceClass: g.mobile ? 'mobile' : 'desktop',
        ...(g.near ? { nearestLocation: { id: 'l1', name: 'Soho', distanceMeters: 50, open: true } } : {}),
      },
    });
  });
}

/**
 * The hard bound. Generated histories that fill three or four intents with maxReasons
 * contributions from distinct signals and long feature names reach about 1,080 B (two write
 * units); the simulator mix stays far below 1 KB (npm run bench -- --only writes).
 */
const MAX_BYTES = 1152;

describe('STATE item over generated histories', () => {
  it('stays within two write units (1,152 B) after every batch and reads back as the state scored', () => {
    let largest = 0;
    fc.assert(
      fc.property(fc.array(signalArb, { minLength: 1, maxLength: 160 }), fc.integer({ min: 1, max: 12 }), (gen, batch) => {
        const signals = build(gen);
        let state: ScoreState | undefined;
        for (let i = 0; i < signals.length; i += batch) {
          const result = scoreCustomer(state, signals.slice(i, i + batch), scoring);
          if (!result.changed) continue;
          const item = stateItem(result.state, defaultConfig.retention);
          const size = itemSize(item);
          largest = Math.max(largest, size);
          expect(size).toBeLessThanOrEqual(MAX_BYTES);
          // Through the table and back: what the next batch starts from is what was scored.
          state = stateOfItem(item);
          expect(state).toEqual(result.state);
        }
      }),
      { numRuns: 150 },
    );
    // The histories reach full lists (the bound is tested where it bites).
    expect(largest).toBeGreaterThan(800);
    console.log(`largest STATE item: ${largest} B`);
  });
});
