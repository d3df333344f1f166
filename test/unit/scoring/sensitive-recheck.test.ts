/**
 * Issue 9, "score never re-checks": scoreBatch classifies every text an enriched record keeps with
 * enrich's classifier; a record that should have been dropped opens nothing, adds no evidence and
 * is counted as sensitive, while the rest of the batch is scored as usual.
 */
import fc from 'fast-check';
import { NOTHING_WITHDRAWN } from '../../../shared/privacy/customer-guard';
import { defaultConfig } from '../../../shared/config/defaults';
import type { EnrichedSignal } from '../../../shared/contracts/enriched';
import { MemoryPublisher } from '../../../shared/events/publisher';
import { classifySensitiveText } from '../../../shared/privacy/sensitive';
import { scoreBatch, type ScorePorts } from '../../../shared/scoring/pipeline';
import { InMemoryStateStore } from '../../../shared/store/in-memory-state-store';
import { MemoryQuarantine } from '../../../shared/stream/quarantine';
import type { StreamRecord } from '../../../shared/stream/record';
import { disguiseDraws, disguisedSensitive } from '../../fixtures/sensitive-corpus';
import { at, enriched, KEY, OTHER_KEY } from './builders';

const NOW = new Date('2026-11-23T08:10:00.000Z');
let seq = 0;
const record = (value: EnrichedSignal): StreamRecord => ({
  data: Buffer.from(JSON.stringify(value)),
  sequenceNumber: String(++seq).padStart(6, '0'),
  shardId: 'shardId-000000000000',
  partitionKey: 'pk',
  arrivedAtMs: NOW.getTime(),
  stream: 'micro-moments-test-enriched',
});

function rig() {
  const states = new InMemoryStateStore();
  const publisher = new MemoryPublisher();
  const ports: ScorePorts = {
    scoring: defaultConfig.scoring,
    window: defaultConfig,
    sensitive: defaultConfig.sensitive,
    states,
    guards: NOTHING_WITHDRAWN,
    publisher,
    quarantine: new MemoryQuarantine(),
    now: () => NOW,
  };
  return { ports, states, publisher };
}

/** Where an enriched record keeps text. */
const FIELDS: Record<string, (text: string) => Partial<EnrichedSignal>> = {
  event: (t) => ({ event: t }),
  query: (t) => ({ event: 'Products Searched', features: { query: t } }),
  title: (t) => ({ event: 'Product Viewed', features: { title: t } }),
  productId: (t) => ({ event: 'Product Viewed', features: { productId: t } }),
  category: (t) => ({ event: 'Product Viewed', features: { category: t } }),
  contentType: (t) => ({ event: 'Content Viewed', features: { contentType: t } }),
  contentCategories: (t) => ({ event: 'Page Viewed', features: { contentCategories: ['news', t] } }),
};

describe('scoreBatch: the sensitive re-check', () => {
  it('drops a record whose kept text is sensitive, whatever the field and the disguise, and scores the rest', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), disguiseDraws, fc.constantFrom(...Object.keys(FIELDS)), async (index, draws, field) => {
        const { text } = disguisedSensitive(index, draws);
        fc.pre(text.length <= 64); // the contract's limit for the shortest field
        const { ports, states, publisher } = rig();
        const suspect = enriched({ customerKey: KEY, messageId: 'suspect', timestamp: at(0), ...FIELDS[field](text) });
        const coffee = enriched({ customerKey: OTHER_KEY, messageId: 'coffee', event: 'Products Searched', timestamp: at(0), features: { query: 'coffee near me' } });
        const result = await scoreBatch([record(suspect), record(coffee)], ports);
        expect(result.quarantined).toEqual([]);
        const sensitive = classifySensitiveText(text, defaultConfig.sensitive) !== undefined;
        if (sensitive) {
          expect(result.counts.sensitive).toBe(1);
          expect(states.states.has(KEY)).toBe(false);
          expect(JSON.stringify(publisher.events)).not.toContain('suspect');
        }
        expect(states.states.has(OTHER_KEY)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('drops a sensitive life event type and a sensitive locale too', async () => {
    const { ports, states } = rig();
    const life = enriched({ customerKey: KEY, event: 'Life Event', timestamp: at(0), features: { lifeEventType: 'pregnancy' } });
    const locale = enriched({ customerKey: OTHER_KEY, event: 'Page Viewed', timestamp: at(0), context: { locale: 'x-pr3gn4ncy' } });
    const result = await scoreBatch([record(life), record(locale)], ports);
    expect(result.counts).toMatchObject({ valid: 0, sensitive: 2, moments: 0 });
    expect(states.states.size).toBe(0);
  });
});
