/**
 * Issue 9, "fields never classified": a sensitive term in ANY text a signal carries, or that the
 * enriched record keeps, makes enrich drop the signal; and whatever the enriched record keeps
 * was seen by the classifier (so a field added to the features later cannot slip past).
 */
import fc from 'fast-check';
import { enrichBatch } from '../../shared/enrich/pipeline';
import { extractFeatures, eventNameOf, sensitiveInputOf } from '../../shared/enrich/features';
import { InMemoryProfileStore } from '../../shared/store/profile-store';
import { defaultConfig } from '../../shared/config/defaults';
import { normaliseText } from '../../shared/privacy/sensitive';
import type { Signal } from '../../shared/contracts';
import { LEXICON_ENTRIES } from '../fixtures/sensitive-corpus';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const base = {
  messageId: 'msg-1',
  timestamp: new Date(NOW.getTime() - 60_000).toISOString(),
  userId: 'usr-1',
  context: { timezone: 'Europe/London', consent: { categoryPreferences: { personalization: true, push: true } } },
};

type Signalish = Record<string, unknown> & { properties?: Record<string, unknown>; context: Record<string, unknown> };
const slug = (t: string) => t.toLowerCase().replace(/\s+/g, '-');
const title = (t: string) => t.replace(/(^|\s)(\S)/g, (_, s: string, c: string) => s + c.toUpperCase());

/** Where a term can hide, and how a producer would write it there. */
const PLACEMENTS: Record<string, (term: string) => Signalish> = {
  'event name': (t) => ({ ...base, type: 'track', event: `${title(t)} Searched` }),
  query: (t) => ({ ...base, type: 'track', event: 'Products Searched', properties: { query: `cheap ${t}` } }),
  'product title': (t) => ({ ...base, type: 'track', event: 'Product Viewed', properties: { title: `${title(t)} 2 pack` } }),
  'product name': (t) => ({ ...base, type: 'track', event: 'Product Viewed', properties: { name: `Acme ${t}` } }),
  product_id: (t) => ({ ...base, type: 'track', event: 'Product Viewed', properties: { product_id: `sku-${slug(t)}-01` } }),
  productId: (t) => ({ ...base, type: 'track', event: 'Product Viewed', properties: { productId: `${slug(t)}_42` } }),
  sku: (t) => ({ ...base, type: 'track', event: 'Product Viewed', properties: { sku: `SKU-${slug(t).toUpperCase()}` } }),
  brand: (t) => ({ ...base, type: 'track', event: 'Product Viewed', properties: { brand: title(t) } }),
  content_type: (t) => ({ ...base, type: 'track', event: 'Content Viewed', properties: { content_type: slug(t) } }),
  contentType: (t) => ({ ...base, type: 'track', event: 'Content Viewed', properties: { contentType: t } }),
  'category with &': (t) => ({ ...base, type: 'track', event: 'Product Viewed', properties: { category: `Home & ${title(t)}` } }),
  'category path': (t) => ({ ...base, type: 'track', event: 'Product Viewed', properties: { category: `Shop/${title(t)}/Offers` } }),
  'content categories': (t) => ({ ...base, type: 'track', event: 'Content Viewed', properties: { content_categories: ['news', slug(t)] } }),
  keywords: (t) => ({ ...base, type: 'track', event: 'Content Viewed', properties: { keywords: ['deals', t] } }),
  'cart product': (t) => ({ ...base, type: 'track', event: 'Cart Viewed', properties: { products: [{ name: 'Mug' }, { name: title(t), sku: 'x-1' }] } }),
  'cart product id': (t) => ({ ...base, type: 'track', event: 'Cart Viewed', properties: { products: [{ product_id: `sku-${slug(t)}` }] } }),
  'cart product brand': (t) => ({ ...base, type: 'track', event: 'Order Completed', properties: { products: [{ brand: title(t) }] } }),
  'page name': (t) => ({ ...base, type: 'page', name: title(t) }),
  'screen name': (t) => ({ ...base, type: 'screen', name: title(t) }),
  'page category': (t) => ({ ...base, type: 'page', name: 'Guide', category: title(t) }),
  'page path': (t) => ({ ...base, type: 'page', name: 'Guide', context: { ...base.context, page: { path: `/guides/${slug(t)}` } } }),
  'page url': (t) => ({ ...base, type: 'page', context: { ...base.context, page: { url: `https://shop.example.com/p/${slug(t)}?x=1` } } }),
  'page title': (t) => ({ ...base, type: 'page', context: { ...base.context, page: { title: `${title(t)} | Shop` } } }),
  'page referrer': (t) => ({ ...base, type: 'page', context: { ...base.context, page: { referrer: `https://search.example/?q=${encodeURIComponent(t)}` } } }),
  'properties path': (t) => ({ ...base, type: 'page', properties: { path: `/c/${slug(t)}` } }),
  'campaign term': (t) => ({ ...base, type: 'page', context: { ...base.context, campaign: { term: t } } }),
  'any other property': (t) => ({ ...base, type: 'track', event: 'Promotion Viewed', properties: { promotion_name: `${t} week` } }),
};

/** Terms of every category and language, written plainly: the disguises have their own test. */
const termArb = fc.constantFrom(...LEXICON_ENTRIES.filter((e) => !e.term.includes('*')).map((e) => e.term));

describe('every text a signal carries is classified', () => {
  it('drops a signal with a sensitive term in any field, through the enrich pipeline', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(PLACEMENTS)), termArb, async (placement, term) => {
        const signal = PLACEMENTS[placement](term);
        const result = await enrichBatch([{ data: Buffer.from(JSON.stringify(signal)), sequenceNumber: '1', stream: 'signals', partitionKey: 'pk' }], {
          config: defaultConfig,
          pepper: 'p',
          profiles: new InMemoryProfileStore(),
          now: NOW,
        });
        expect([placement, term, result.counts.dropped.sensitive, result.counts.enriched]).toEqual([placement, term, 1, 0]);
      }),
      { numRuns: 300 },
    );
  });

  it('has seen every text the enriched record keeps (features and event name)', () => {
    // At most 8 characters: no feature limit cuts them (currency's is 8), so every word kept is whole.
    const text = fc.string({ minLength: 1, maxLength: 8 }).filter((s) => normaliseText(s).length > 0);
    const signalArb = fc.record({
      type: fc.constantFrom('track', 'page', 'screen'),
      event: text,
      name: text,
      category: text,
      properties: fc.dictionary(
        fc.constantFrom('query', 'title', 'name', 'product_id', 'productId', 'sku', 'brand', 'category', 'currency', 'content_type',
          'contentType', 'contentCategories', 'content_categories', 'contentCategory', 'content_category', 'type', 'genre', 'keywords',
          'path', 'url', 'coupon', 'variant'),
        fc.oneof(text, fc.array(text, { maxLength: 3 }), fc.integer()),
      ),
      locale: text,
    });
    fc.assert(
      fc.property(signalArb, (s) => {
        const signal = { ...base, ...s, context: { ...base.context, locale: s.locale } } as unknown as Signal;
        const input = sensitiveInputOf(signal);
        const seen = new Set(
          normaliseText([input.event, input.query, input.title, ...(input.contentCategories ?? []), input.lifeEventType, ...(input.texts ?? [])].filter(Boolean).join('\n')).split(' '),
        );
        const kept = Object.values(extractFeatures(signal, defaultConfig.scoring)).flatMap((v) => (typeof v === 'string' ? [v] : Array.isArray(v) ? v : []));
        if (signal.type === 'track') kept.push(eventNameOf(signal));
        kept.push(s.locale);
        for (const value of kept) {
          // Placeholders the scrubber put in (`[email]`) are not the customer's words.
          const words = normaliseText(String(value).replace(/\[[a-z-]+\]/g, ' ')).split(' ').filter(Boolean);
          expect([value, words.filter((w) => !seen.has(w))]).toEqual([value, []]);
        }
      }),
    );
  });
});
