/**
 * Step 4 input and the features step: what of a signal's free-form payload is looked at. The
 * enriched record carries an allowlist (EnrichedFeatures), never the payload, so traits (email,
 * phone, name, address) and unknown properties cannot leak downstream. What it keeps is reduced
 * to what scoring uses where that is text a customer typed, and every string of the built record
 * then goes through the one scrubber (shared/privacy/scrub.ts, applied by the pipeline):
 * - query and title: only the configured lexicon phrases found in them, one per line (scoring
 *   reads nothing else of them; a name or an address typed into a search box never leaves enrich);
 * - content categories and content type: only the categories of `scoring.contentWeights` (and
 *   `video`), lower case: they are free text a producer fills as it likes (a customer's name
 *   without a title is not something a scrubber can see), and scoring reads nothing else of them;
 * - life event type: only a type of `scoring.lifeEvents.allowedTypes` (no other opens anything);
 * - currency: an ISO 4217 code, upper case, or nothing;
 * - the event name: the configured vocabulary or `custom` (vocabulary.ts).
 *
 * Segment Spec property names are read first, camelCase variants second:
 * query ← properties.query; productId ← product_id | productId | sku; category ← category;
 * price, currency; cartValue ← value | revenue | total; contentType ← content_type |
 * contentType (`video` for Video events), lower case; title ← properties.title, else the page/screen name;
 * contentCategories ← the page/screen `category`, properties.contentCategories |
 * content_categories | contentCategory | content_category (string or array), as lower-case
 * kebab-case, those of the vocabulary; lifeEventType ← properties.type of a `Life Event`, lower-case kebab-case.
 */
import type { EnrichedFeatures, Signal } from '../contracts';
import type { ScoringConfig } from '../config/types';
import type { SensitiveInput } from '../privacy/sensitive';
import { compileScoring, normaliseText, type CompiledScoring } from '../scoring/compile';
import { publicEventName } from './vocabulary';

export const LIFE_EVENT = 'Life Event';

/** Limits of the enriched-signal schema (shared/contracts/schemas/enriched-signal.schema.json). */
export const FEATURE_LIMITS = {
  query: 512,
  contentCategory: 128,
  contentCategories: 20,
  lifeEventType: 64,
  productId: 256,
  category: 256,
  currency: 8,
  contentType: 64,
  title: 512,
} as const;

type Bag = Record<string, unknown>;

const isBag = (v: unknown): v is Bag => !!v && typeof v === 'object' && !Array.isArray(v);

function text(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const t = value.trim();
  if (!t) return undefined;
  if (t.length <= max) return t;
  // The schema counts code points: cut on one, then trim again (a cut can leave a space).
  return Array.from(t).slice(0, max).join('').trim();
}

function idText(value: unknown, max: number): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return text(value, max);
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function kebab(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
    .replace(/-+/g, '-');
}

function first(bag: Bag, keys: readonly string[]): unknown {
  for (const k of keys) if (bag[k] !== undefined) return bag[k];
  return undefined;
}

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** The event name of a signal as sent: the track event, or a fixed name per call type. */
export function eventNameOf(signal: Signal): string {
  switch (signal.type) {
    case 'track':
      return signal.event;
    case 'page':
      return 'Page Viewed';
    case 'screen':
      return 'Screen Viewed';
    case 'identify':
      return 'Identify';
  }
}

function pageName(signal: Signal): string | undefined {
  return signal.type === 'page' || signal.type === 'screen' ? (typeof signal.name === 'string' ? signal.name : undefined) : undefined;
}

const CONTENT_CATEGORY_KEYS = ['contentCategories', 'content_categories', 'contentCategory', 'content_category'] as const;

function rawContentCategories(signal: Signal): string[] {
  const props: Bag = signal.properties ?? {};
  const out: string[] = [];
  if ((signal.type === 'page' || signal.type === 'screen') && typeof signal.category === 'string') out.push(signal.category);
  for (const key of CONTENT_CATEGORY_KEYS) out.push(...stringsOf(props[key]));
  return out;
}

export function lifeEventTypeOf(signal: Signal): string | undefined {
  if (signal.type !== 'track' || signal.event !== LIFE_EVENT) return undefined;
  const t = signal.properties?.type;
  return typeof t === 'string' && t.trim() ? kebab(t) : undefined;
}

/** How many products of a cart are read as titles and categories; the sweep reads the rest as texts. */
const PRODUCTS_READ = 50;

/** Products in a cart or an order (Segment's `products` array), bounded. */
function products(signal: Signal): Bag[] {
  const p = signal.properties?.products;
  return Array.isArray(p) ? p.slice(0, PRODUCTS_READ).filter(isBag) : [];
}

/** Properties that sensitiveInputOf reads as the query, titles or categories (when they are text): the others are swept as texts. */
const CLASSIFIED_AS_FIELDS = new Set(['query', 'title', 'name', 'keywords', 'category', 'genre', ...CONTENT_CATEGORY_KEYS]);
/** A product's fields read as a title and a category (when they are text). */
const PRODUCT_FIELDS = new Set(['name', 'category']);
/** The schema's depth limit (SIGNAL_LIMITS.maxDepth) bounds the sweep anyway; this keeps it bounded without the schema. */
const SWEEP_DEPTH = 8;

function pushStrings(out: string[], value: unknown): void {
  if (typeof value === 'string') {
    if (value.length > 0) out.push(value);
  } else if (typeof value === 'number') {
    // A numeric id is kept as text (idText): seen as text too.
    if (Number.isFinite(value)) out.push(String(value));
  } else if (Array.isArray(value)) {
    for (const v of value) if (typeof v === 'string' && v.length > 0) out.push(v);
  }
}

/** Text (a string, or strings only) that sensitiveInputOf has read as a field already. */
const isText = (v: unknown) => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));

/**
 * Every key and every string or number in a value, however nested: a key says as much as a value
 * (`is_pregnant: true`), and Segment's own specs nest (`filters: [{type, value}]` of Product List
 * Filtered, a product's options). `skip`: keys whose text value is read elsewhere.
 */
function sweep(out: string[], value: unknown, skip?: ReadonlySet<string>, depth = 0): void {
  if (typeof value !== 'object' || value === null) return pushStrings(out, value);
  if (depth > SWEEP_DEPTH) return;
  if (Array.isArray(value)) {
    for (const v of value) sweep(out, v, undefined, depth + 1);
    return;
  }
  for (const key in value as Bag) {
    out.push(key);
    const v = (value as Bag)[key];
    if (skip?.has(key) && isText(v)) continue;
    sweep(out, v, undefined, depth + 1);
  }
}

/**
 * Everything the sensitive classifier looks at. Wider than the features on purpose: every text
 * an enriched record keeps (query, title, product id or SKU, category, content type, currency,
 * locale, the event name) and every other property, its key and whatever it nests, each product
 * in the cart (all of them, with whatever they nest), everything of the page, the referrer and
 * the campaign: a product name, a URL slug, a filter, a property's name or a brand can reveal a
 * pregnancy as well as a query. test/property/sensitive-fields.property.test.ts checks that no
 * kept field escapes. Traits are not looked at: they describe the person (names, emails), are
 * never kept and no stage reads them but for the time zone, so they cannot be acted on.
 */
export function sensitiveInputOf(signal: Signal): SensitiveInput {
  const props: Bag = signal.properties ?? {};
  const items = products(signal);
  const titles = [pageName(signal), props.title, props.name, ...stringsOf(props.keywords), ...items.map((p) => p.name)];
  const categories = [
    ...rawContentCategories(signal),
    ...stringsOf(props.category),
    ...stringsOf(props.genre),
    ...items.flatMap((p) => stringsOf(p.category)),
  ];
  const texts: string[] = [];
  for (const key in props) {
    texts.push(key);
    const value = props[key];
    if (CLASSIFIED_AS_FIELDS.has(key) && isText(value)) continue;
    if (key === 'products' && Array.isArray(value)) {
      value.forEach((item, i) => (i < PRODUCTS_READ && isBag(item) ? sweep(texts, item, PRODUCT_FIELDS) : sweep(texts, item)));
    } else {
      sweep(texts, value);
    }
  }
  const context = signal.context ?? {};
  for (const key of ['page', 'referrer', 'campaign'] as const) sweep(texts, context[key]);
  pushStrings(texts, context.locale);
  return {
    event: signal.type === 'track' ? signal.event : undefined,
    query: typeof props.query === 'string' ? props.query : undefined,
    title: titles.filter((t): t is string => typeof t === 'string' && t.length > 0).join('\n') || undefined,
    contentCategories: categories,
    lifeEventType: lifeEventTypeOf(signal),
    texts,
  };
}

/** The event name the enriched record carries: a name of the vocabulary, else `custom`. */
export function storedEventName(signal: Signal, vocabulary: ReadonlySet<string>): string {
  return publicEventName(eventNameOf(signal), vocabulary);
}

/**
 * The configured lexicon phrases found in a text, in lexicon order, one per line (a line break
 * keeps two phrases from being read as a third across them), within the field's limit.
 */
export function lexiconPhrasesIn(value: unknown, scoring: ScoringConfig, max: number): string | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  const compiled = compileScoring(scoring);
  if (compiled.lexicon.length === 0) return undefined;
  if (value.length > PHRASES_MAX_LENGTH) return phrasesIn(value, compiled, max);
  let memo = phrasesSeen.get(compiled);
  if (!memo) phrasesSeen.set(compiled, (memo = new Map()));
  let byText = memo.get(max);
  if (!byText) memo.set(max, (byText = new Map()));
  let found = byText.get(value);
  if (found === undefined) {
    found = phrasesIn(value, compiled, max) ?? null;
    if (byText.size >= PHRASES_MAX_ENTRIES) byText.clear();
    byText.set(value, found);
  }
  return found ?? undefined;
}

/**
 * lexiconPhrasesIn's answers per compiled configuration, field limit and text: queries and titles
 * repeat (popular searches, page names). A pure function of the three; bounded, emptied when full.
 */
const phrasesSeen = new WeakMap<CompiledScoring, Map<number, Map<string, string | null>>>();
const PHRASES_MAX_ENTRIES = 10_000;
const PHRASES_MAX_LENGTH = 256;

function phrasesIn(value: string, compiled: CompiledScoring, max: number): string | undefined {
  const { lexicon } = compiled;
  const normalised = normaliseText(value);
  const found: string[] = [];
  let length = 0;
  for (const e of lexicon) {
    if (!normalised.includes(e.padded) || found.includes(e.phrase)) continue;
    const added = (found.length > 0 ? 1 : 0) + e.phrase.length;
    if (length + added > max) break;
    found.push(e.phrase);
    length += added;
  }
  return found.length > 0 ? found.join('\n') : undefined;
}

const CURRENCY = /^[A-Za-z]{3}$/;
/** The content type enrich gives a Video event that states none. */
const VIDEO = 'video';

export function extractFeatures(signal: Signal, scoring: ScoringConfig): EnrichedFeatures {
  const props: Bag = signal.properties ?? {};
  const f: EnrichedFeatures = {};
  const query = lexiconPhrasesIn(props.query, scoring, FEATURE_LIMITS.query);
  if (query) f.query = query;

  const contentVocabulary = compileScoring(scoring).contentWeights;
  const categories = [
    ...new Set(
      rawContentCategories(signal)
        .map((c) => text(kebab(c), FEATURE_LIMITS.contentCategory))
        .filter((c): c is string => !!c && contentVocabulary.has(c)),
    ),
  ].slice(0, FEATURE_LIMITS.contentCategories);
  if (categories.length > 0) f.contentCategories = categories;

  const lifeEventType = text(lifeEventTypeOf(signal), FEATURE_LIMITS.lifeEventType);
  if (lifeEventType && scoring.lifeEvents.allowedTypes.includes(lifeEventType)) f.lifeEventType = lifeEventType;

  const productId = idText(first(props, ['product_id', 'productId', 'sku']), FEATURE_LIMITS.productId);
  if (productId) f.productId = productId;
  const category = text(props.category, FEATURE_LIMITS.category);
  if (category) f.category = category;
  const price = finite(props.price);
  if (price !== undefined) f.price = price;
  const currency = text(props.currency, FEATURE_LIMITS.currency);
  if (currency && CURRENCY.test(currency)) f.currency = currency.toUpperCase();
  const cartValue = finite(first(props, ['value', 'revenue', 'total']));
  if (cartValue !== undefined) f.cartValue = cartValue;

  const givenType = text(first(props, ['content_type', 'contentType']), FEATURE_LIMITS.contentType)?.toLowerCase();
  const contentType =
    givenType !== undefined
      ? contentVocabulary.has(givenType) || givenType === VIDEO ? givenType : undefined
      : signal.type === 'track' && signal.event.startsWith('Video ') ? VIDEO : undefined;
  if (contentType) f.contentType = contentType;
  const rawTitle = text(props.title, FEATURE_LIMITS.title) ?? text(pageName(signal), FEATURE_LIMITS.title);
  const title = lexiconPhrasesIn(rawTitle, scoring, FEATURE_LIMITS.title);
  if (title) f.title = title;
  return f;
}
