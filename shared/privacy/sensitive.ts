/**
 * The sensitive-content classifier: does a signal touch a special category (health, religion,
 * sex life, ...)? Used by enrich to drop such signals, and again by score and notify (defence in
 * depth). Over-matching is the safe side: a dropped signal costs a little relevance, an inferred
 * pregnancy costs the customer's trust.
 *
 * Matching, all case- and accent-insensitive on normalised text (letters and digits, every other
 * run of characters a single space):
 * - `terms` match whole words or phrases, with an optional plural `s`/`es`, in the event name,
 *   the query, the title(s), the content categories and the life event type;
 * - `contentCategories` match a content category exactly, or any segment of a category path
 *   (`Health/Vitamins`, `Home > Religion`);
 * - `lifeEventTypes` match the life event type exactly (`new-baby` and `New Baby` are the same).
 * A compiled matcher is cached per configuration object, so the per-record cost is one regular
 * expression pass per field.
 */
import type { SensitiveCategory } from '../config/types';

export interface SensitiveInput {
  event?: string;
  query?: string;
  /** One or more titles (page or screen name, video or product title), one per line. */
  title?: string;
  contentCategories?: string[];
  lifeEventType?: string;
}

export interface SensitiveMatch {
  /** The sensitive category's name in the configuration, e.g. `health`. */
  category: string;
  /** What matched: a configured term, content category or life event type (never the input). */
  matched: string;
}

interface Compiled {
  /** Alternation of all terms, longest first; group 1 is the term. */
  terms: RegExp | null;
  termCategory: Map<string, string>;
  contentCategories: Map<string, { category: string; matched: string }>;
  lifeEventTypes: Map<string, { category: string; matched: string }>;
}

const COMBINING_MARKS = /\p{M}+/gu;
const NON_WORD = /[^\p{L}\p{N}]+/gu;

/** Lower case, accents removed, every run of non-letters/digits one space, trimmed. */
export function normaliseText(text: string): string {
  return text.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase().replace(NON_WORD, ' ').trim();
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const compiled = new WeakMap<Record<string, SensitiveCategory>, Compiled>();

function compile(config: Record<string, SensitiveCategory>): Compiled {
  const termCategory = new Map<string, string>();
  const contentCategories = new Map<string, { category: string; matched: string }>();
  const lifeEventTypes = new Map<string, { category: string; matched: string }>();
  for (const [category, c] of Object.entries(config)) {
    for (const term of c.terms) {
      const t = normaliseText(term);
      if (t && !termCategory.has(t)) termCategory.set(t, category);
    }
    for (const cc of c.contentCategories) {
      const t = normaliseText(cc);
      if (t && !contentCategories.has(t)) contentCategories.set(t, { category, matched: cc });
    }
    for (const type of c.lifeEventTypes) {
      const t = normaliseText(type);
      if (t && !lifeEventTypes.has(t)) lifeEventTypes.set(t, { category, matched: type });
    }
  }
  const alternation = [...termCategory.keys()]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|');
  return {
    terms: alternation ? new RegExp(`(?:^| )(${alternation})(?:s|es)?(?= |$)`, 'u') : null,
    termCategory,
    contentCategories,
    lifeEventTypes,
  };
}

function compiledFor(config: Record<string, SensitiveCategory>): Compiled {
  let c = compiled.get(config);
  if (!c) {
    c = compile(config);
    compiled.set(config, c);
  }
  return c;
}

function matchTerms(c: Compiled, text: string | undefined): SensitiveMatch | undefined {
  if (!text || !c.terms) return undefined;
  // Lines are separate texts: a phrase must not match across two titles.
  for (const line of text.split('\n')) {
    const m = c.terms.exec(normaliseText(line));
    if (m) return { category: c.termCategory.get(m[1]) as string, matched: m[1] };
  }
  return undefined;
}

const PATH_SEPARATORS = /[/>|,;]+/;

function matchContentCategory(c: Compiled, value: string): SensitiveMatch | undefined {
  const whole = c.contentCategories.get(normaliseText(value));
  if (whole) return { ...whole };
  for (const segment of value.split(PATH_SEPARATORS)) {
    const hit = c.contentCategories.get(normaliseText(segment));
    if (hit) return { ...hit };
  }
  return matchTerms(c, value);
}

export function classifySensitive(
  input: SensitiveInput,
  config: Record<string, SensitiveCategory>,
): SensitiveMatch | undefined {
  const c = compiledFor(config);
  if (input.lifeEventType) {
    const hit = c.lifeEventTypes.get(normaliseText(input.lifeEventType));
    if (hit) return { ...hit };
  }
  for (const cc of input.contentCategories ?? []) {
    if (typeof cc !== 'string') continue;
    const hit = matchContentCategory(c, cc);
    if (hit) return hit;
  }
  return (
    matchTerms(c, input.event) ?? matchTerms(c, input.query) ?? matchTerms(c, input.title) ?? matchTerms(c, input.lifeEventType)
  );
}
