/**
 * The sensitive-content classifier: does a signal (or a moment, or a message) touch a special
 * category (health, religion, sex life, ...)? enrich drops such signals, score drops them again
 * and notify refuses such moments (defence in depth). Over-matching is the safe side: a dropped
 * signal costs a little relevance, an inferred pregnancy costs the customer's trust.
 *
 * Every text is normalised the one way of text-normalise.ts (format characters, accents,
 * look-alike letters, separators between letters, leetspeak, camelCase), then looked up in the
 * compiled lexicon of lexicon-matcher.ts (whole words with plurals, stems, parts of compounds,
 * one edit away for long words, exceptions). Besides the terms:
 * - `contentCategories` match a content category exactly, or any segment of a category path
 *   (`Health/Vitamins`, `Home > Religion`);
 * - `lifeEventTypes` match the life event type exactly (`new-baby` and `New Baby` are the same).
 * The compiled form is cached per configuration object: the per-record cost is a few map
 * look-ups per word, whatever the size of the lexicon.
 */
import type { SensitiveCategory } from '../config/types';
import type { EnrichedSignal } from '../contracts/enriched';
import { CompiledLexicon, type Hit } from './lexicon-matcher';
import { normaliseText, tokenVariants } from './text-normalise';

export { normaliseText } from './text-normalise';

export interface SensitiveInput {
  event?: string;
  query?: string;
  /** One or more titles (page or screen name, video or product title), one per line. */
  title?: string;
  contentCategories?: string[];
  lifeEventType?: string;
  /**
   * Every other text of the signal, each classified on its own: product ids and SKUs, brands,
   * product categories, content types, page paths and URLs, currency, locale...
   */
  texts?: string[];
}

export interface SensitiveMatch {
  /** The sensitive category's name in the configuration, e.g. `health`. */
  category: string;
  /** What matched: a configured term, content category or life event type (never the input). */
  matched: string;
}

interface Compiled {
  /**
   * The result per text already seen: a stream repeats its event names, locales, categories,
   * product names and URLs. Bounded (emptied when full); long texts are not kept.
   */
  seen: Map<string, SensitiveMatch | null>;
  terms: CompiledLexicon;
  /** The lexicon's quick test: no term can be in this folded text. */
  cannotMatch: (folded: string) => boolean;
  exceptions: CompiledLexicon;
  contentCategories: Map<string, SensitiveMatch>;
  lifeEventTypes: Map<string, SensitiveMatch>;
}

const compiled = new WeakMap<Record<string, SensitiveCategory>, Compiled>();

function compile(config: Record<string, SensitiveCategory>): Compiled {
  const contentCategories = new Map<string, SensitiveMatch>();
  const lifeEventTypes = new Map<string, SensitiveMatch>();
  for (const [category, c] of Object.entries(config)) {
    for (const cc of c.contentCategories) {
      const t = normaliseText(cc);
      if (t && !contentCategories.has(t)) contentCategories.set(t, { category, matched: cc });
    }
    for (const type of c.lifeEventTypes) {
      const t = normaliseText(type);
      if (t && !lifeEventTypes.has(t)) lifeEventTypes.set(t, { category, matched: type });
    }
  }
  const entries = Object.entries(config);
  const terms = new CompiledLexicon(entries.map(([name, c]) => [name, c.terms]));
  return {
    seen: new Map(),
    terms,
    cannotMatch: (folded) => !terms.mayMatch(folded),
    exceptions: new CompiledLexicon(entries.map(([name, c]) => [name, c.exceptions ?? []]), { fuzzy: false }),
    contentCategories,
    lifeEventTypes,
  };
}

/** The compiled classifier of a configuration (compiled once per configuration object). */
export function compiledSensitive(config: Record<string, SensitiveCategory>): Compiled {
  let c = compiled.get(config);
  if (!c) {
    c = compile(config);
    compiled.set(config, c);
  }
  return c;
}

function matchTokens(c: Compiled, tokens: readonly string[]): SensitiveMatch | undefined {
  const notAnException = (hit: Hit) =>
    !c.exceptions.findHit(tokens, (e) => e.term.category === hit.term.category && e.start <= hit.start && e.end >= hit.end);
  const hit = c.terms.findHit(tokens, notAnException);
  return hit && { category: hit.term.category, matched: hit.term.term };
}

const SEEN_MAX_ENTRIES = 10_000;
/** Texts repeat: event names, locales, currencies, brands, categories, and the titles and URLs of popular products. */
const SEEN_MAX_LENGTH = 128;

function matchLine(c: Compiled, line: string): SensitiveMatch | undefined {
  for (const tokens of tokenVariants(line, c.cannotMatch)) {
    const hit = matchTokens(c, tokens);
    if (hit) return hit;
  }
  return undefined;
}

/** The terms in one text; lines are separate texts (a phrase never spans two titles). */
function matchTerms(c: Compiled, text: string | undefined): SensitiveMatch | undefined {
  if (!text) return undefined;
  const cacheable = text.length <= SEEN_MAX_LENGTH;
  const known = cacheable ? c.seen.get(text) : undefined;
  if (known !== undefined) return known === null ? undefined : { ...known };
  let hit: SensitiveMatch | undefined;
  if (text.includes('\n')) {
    for (const line of text.split('\n')) if ((hit = matchTerms(c, line))) break;
  } else {
    hit = matchLine(c, text);
  }
  if (cacheable) {
    if (c.seen.size >= SEEN_MAX_ENTRIES) c.seen.clear();
    c.seen.set(text, hit ?? null);
  }
  return hit && { ...hit };
}

const PATH_SEPARATORS = /[/>|,;]+/;

function matchContentCategory(c: Compiled, value: string): SensitiveMatch | undefined {
  const whole = c.contentCategories.get(normaliseText(value));
  if (whole) return { ...whole };
  if (PATH_SEPARATORS.test(value)) {
    for (const segment of value.split(PATH_SEPARATORS)) {
      const hit = c.contentCategories.get(normaliseText(segment));
      if (hit) return { ...hit };
    }
  }
  return matchTerms(c, value);
}

/** Classifies one free text (a rendered message, a reason): its terms only. */
export function classifySensitiveText(text: string, config: Record<string, SensitiveCategory>): SensitiveMatch | undefined {
  return matchTerms(compiledSensitive(config), text);
}

export function classifySensitive(
  input: SensitiveInput,
  config: Record<string, SensitiveCategory>,
): SensitiveMatch | undefined {
  const c = compiledSensitive(config);
  if (input.lifeEventType) {
    const hit = c.lifeEventTypes.get(normaliseText(input.lifeEventType));
    if (hit) return { ...hit };
  }
  for (const cc of input.contentCategories ?? []) {
    if (typeof cc !== 'string') continue;
    const hit = matchContentCategory(c, cc);
    if (hit) return hit;
  }
  const direct = matchTerms(c, input.event) ?? matchTerms(c, input.query) ?? matchTerms(c, input.title);
  if (direct) return direct;
  for (const text of input.texts ?? []) {
    if (typeof text !== 'string') continue;
    const hit = matchTerms(c, text);
    if (hit) return hit;
  }
  return matchTerms(c, input.lifeEventType);
}

/**
 * Every text an enriched record keeps, for score's second look: the event name, each feature's
 * text (whatever features there are, so one added later is looked at too), the locale.
 */
export function sensitiveInputOfEnriched(signal: EnrichedSignal): SensitiveInput {
  const { contentCategories, lifeEventType, ...rest } = signal.features;
  const texts: string[] = [];
  for (const value of Object.values(rest)) if (typeof value === 'string') texts.push(value);
  if (signal.context.locale) texts.push(signal.context.locale);
  return { event: signal.event, contentCategories, lifeEventType, texts };
}
