/**
 * A compiled lexicon: finds configured terms in a list of normalised tokens (text-normalise.ts)
 * with map look-ups per token, never a regular expression per term, so the cost per signal
 * depends on the length of its text, not on the size of the lexicon.
 *
 * A term is one or more words (see shared/config/sensitive-lexicon.ts for the syntax): an exact
 * word (with an optional plural `s`/`es`; one edit away too when it has 9 letters or more), a
 * stem (`diabet*`, a prefix of the token) or a part (`*schwanger*`, inside the token). Two
 * adjacent tokens are also tried as one (`preg nancy`, `pre-natal`, `Qur'an`), for one-word terms,
 * without the edit (two loosenings at once find words that are not there: `d'espressione`).
 * A hit inside an exception of its category (`kosher salt`) does not count.
 */
import { normaliseText } from './text-normalise';

/**
 * Words this long or longer also match one edit (insertion, deletion, substitution,
 * transposition) away, when the first letter is right. Shorter words have too many neighbours
 * (`election`/`selection`, `dementia`/`dementi`); a first letter changed turns `konfirmation`
 * into `confirmation`. Neighbours that are benign words are the lexicon's exceptions.
 */
export const FUZZY_MIN_LENGTH = 9;
export const MIN_STEM_LENGTH = 4;
export const MIN_PART_LENGTH = 5;
/** Two tokens are tried as one word when together they are at least this long, or one is a single letter (`i vf`). */
const MIN_JOINED_LENGTH = 4;
const joinable = (a: number, b: number) => a + b >= MIN_JOINED_LENGTH || a === 1 || b === 1;

type WordKind = 'exact' | 'stem' | 'part';

interface WordSpec {
  kind: WordKind;
  text: string;
}

export type ParsedTerm = { ok: true; words: WordSpec[] } | { ok: false; error: string };

const UMLAUTS: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue' };

/** The spellings a term stands for: German umlauts also as `ae`/`oe`/`ue` (Verhütung, Verhuetung). */
export function termSpellings(term: string): string[] {
  return /[äöü]/.test(term) ? [term, term.replace(/[äöü]/g, (c) => UMLAUTS[c])] : [term];
}

/** Parses one configured term; the error names what is wrong, for the configuration's validation. */
export function parseTerm(term: string): ParsedTerm {
  const words: WordSpec[] = [];
  for (const raw of term.trim().split(/\s+/)) {
    const leading = raw.startsWith('*');
    const trailing = raw.length > 1 && raw.endsWith('*');
    const tokens = normaliseText(raw.replace(/^\*|\*$/g, '')).split(' ').filter(Boolean);
    if (tokens.length === 0) return { ok: false, error: `has a word with no letter or digit ("${raw}")` };
    if (raw.slice(leading ? 1 : 0, trailing ? -1 : undefined).includes('*')) {
      return { ok: false, error: `has a * inside a word ("${raw}"); * goes at the end (stem) or both ends (part of a compound)` };
    }
    if (leading && !trailing) return { ok: false, error: `starts a word with * but does not end it with one ("${raw}"): write *part*` };
    if (leading && (tokens.length > 1 || term.trim().split(/\s+/).length > 1)) {
      return { ok: false, error: `uses a *part* in a phrase or across separators ("${raw}"): a part is one word of its own` };
    }
    tokens.forEach((text, i) => {
      const first = i === 0;
      const last = i === tokens.length - 1;
      const kind: WordKind = leading && first && last ? 'part' : trailing && last ? 'stem' : 'exact';
      words.push({ kind, text });
    });
    const w = words[words.length - 1];
    if (w.kind === 'stem' && w.text.length < MIN_STEM_LENGTH) {
      return { ok: false, error: `has a stem shorter than ${MIN_STEM_LENGTH} letters ("${raw}"): it would match too many words` };
    }
    if (w.kind === 'part' && w.text.length < MIN_PART_LENGTH) {
      return { ok: false, error: `has a part shorter than ${MIN_PART_LENGTH} letters ("${raw}"): it would match too many words` };
    }
  }
  return { ok: true, words };
}

export interface LexiconTerm {
  category: string;
  /** The term as configured: what a match reports. */
  term: string;
  words: number[];
}

interface Affix {
  text: string;
  id: number;
}

interface FuzzyWord {
  text: string;
  id: number;
  letters: number;
}

export interface Hit {
  term: LexiconTerm;
  start: number;
  end: number;
}

const NO_WORDS: readonly number[] = [];

/** A 26-bit set of the letters a-z in s (digits ignored): one edit changes at most two of them. */
function letterSet(s: string): number {
  let m = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) - 97;
    if (c >= 0 && c < 26) m |= 1 << c;
  }
  return m;
}

function bitCount(n: number): number {
  let c = 0;
  for (let v = n; v !== 0; v &= v - 1) c++;
  return c;
}

/** Optimal string alignment distance of a and b is at most 1 (a transposition counts one). */
export function withinOneEdit(a: string, b: string): boolean {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === la && i === lb) return true;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return i + 1 < la && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // transposition
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Tokens hold a-z and 0-9 only: 36 symbols. */
const symbol = (c: number) => (c >= 97 ? c - 97 : c - 22);
/** The three characters of s at `at` as a number below 36³: the key of stems and parts. */
const key3 = (s: string, at: number) => symbol(s.charCodeAt(at)) * 1296 + symbol(s.charCodeAt(at + 1)) * 36 + symbol(s.charCodeAt(at + 2));
const key4 = (s: string, at: number) => key3(s, at) * 36 + symbol(s.charCodeAt(at + 3));
/** A word length and two characters: the first two or the last two of a word that may be misspelt. */
const endKey = (length: number, s: string, at: number) => length * 1296 + symbol(s.charCodeAt(at)) * 36 + symbol(s.charCodeAt(at + 1));
const MAX_FUZZY_LENGTH = 63;

/**
 * Necessary conditions for a token to be one of a set of words, tested on the characters of the
 * text before any string is cut or any map is read: most words of most texts stop here.
 */
class Prefilter {
  /** Exact forms of one or two characters. */
  private readonly short = new Set<string>();
  /** Exact forms of three characters. */
  private readonly three = new Uint8Array(36 ** 3);
  /** The first four characters of exact forms and stems of four or more (a bit set). */
  private readonly four = new Uint32Array(Math.ceil(36 ** 4 / 32));
  /** The first three characters of compound parts. */
  private readonly parts = new Uint8Array(36 ** 3);
  /** Length with first two, and length with last two characters, of the words matched one edit away. */
  private readonly ends = new Uint8Array((MAX_FUZZY_LENGTH + 1) * 1296);
  minPart = Infinity;

  addExact(form: string): void {
    if (form.length < 3) this.short.add(form);
    else if (form.length === 3) this.three[key3(form, 0)] = 1;
    else this.setFour(key4(form, 0));
  }

  addStem(stem: string): void {
    this.setFour(key4(stem, 0));
  }

  addPart(part: string): void {
    this.parts[key3(part, 0)] = 1;
    // A compound split at its start (`schwang erschaftstest`) is found when the pair is joined.
    this.setFour(key4(part, 0));
    this.minPart = Math.min(this.minPart, part.length);
  }

  addFuzzy(word: string): void {
    if (word.length > MAX_FUZZY_LENGTH) return;
    this.ends[endKey(word.length, word, 0)] = 1;
    this.ends[endKey(word.length, word, word.length - 2)] = 1;
  }

  private setFour(k: number): void {
    this.four[k >>> 5] |= 1 << (k & 31);
  }

  /** Whether s[at..] starts like an exact form or a stem of four or more characters. */
  startsLikeFour(s: string, at: number): boolean {
    const k = key4(s, at);
    return (this.four[k >>> 5] & (1 << (k & 31))) !== 0;
  }

  /** Whether the token s[a..b) may be an exact form or match a stem. */
  exactOrStem(s: string, a: number, b: number): boolean {
    const n = b - a;
    if (n >= 4) return this.startsLikeFour(s, a);
    if (n === 3) return this.three[key3(s, a)] === 1;
    return this.short.size > 0 && this.short.has(s.slice(a, b));
  }

  /** Whether a compound part may start at s[j]. */
  partAt(s: string, j: number): boolean {
    return this.parts[key3(s, j)] === 1;
  }

  /** Whether the token s[a..b) may be one edit from a word: one edit keeps the first two or the last two characters. */
  nearWord(s: string, a: number, b: number): boolean {
    const n = b - a;
    for (let len = Math.max(n - 1, FUZZY_MIN_LENGTH); len <= n + 1 && len <= MAX_FUZZY_LENGTH; len++) {
      if (this.ends[endKey(len, s, a)] === 1 || this.ends[endKey(len, s, b - 2)] === 1) return true;
    }
    return false;
  }
}

export class CompiledLexicon {
  private readonly exact = new Map<string, number[]>();
  private readonly stems = new Map<number, Affix[]>();
  private readonly parts = new Map<number, Affix[]>();
  /** By length and first letter (`length * 128 + code`): a misspelling keeps its first letter. */
  private readonly fuzzy = new Map<number, FuzzyWord[]>();
  /** Every word: the gate of wordsOf. */
  private readonly anyWord = new Prefilter();
  /** The words a term starts with: the gate of mayMatch (a term cannot start at its second word). */
  private readonly firstWord = new Prefilter();
  private readonly byFirstWord: LexiconTerm[][] = [];
  private readonly oneWord: LexiconTerm[][] = [];
  private readonly words: WordSpec[] = [];
  private readonly wordIds = new Map<string, number>();

  private readonly fuzzyWords: boolean;

  /**
   * Terms per category; every term must parse (the configuration's validation made sure).
   * `fuzzy: false` for exceptions: an exception names a benign word exactly, never its neighbours.
   */
  constructor(categories: Iterable<[category: string, terms: readonly string[]]>, options: { fuzzy?: boolean } = {}) {
    this.fuzzyWords = options.fuzzy ?? true;
    for (const [category, terms] of categories) {
      for (const term of terms) {
        for (const spelling of termSpellings(term)) {
          const parsed = parseTerm(spelling);
          if (!parsed.ok) throw new Error(`sensitive term ${JSON.stringify(term)} ${parsed.error}`);
          const ids = parsed.words.map((w) => this.wordId(w));
          this.add({ category, term, words: ids });
          this.register(this.firstWord, parsed.words[0]);
        }
      }
    }
  }

  get size(): number {
    return this.byFirstWord.reduce((n, t) => n + t.length, 0);
  }

  private add(t: LexiconTerm): void {
    (this.byFirstWord[t.words[0]] ??= []).push(t);
    if (t.words.length === 1) (this.oneWord[t.words[0]] ??= []).push(t);
  }

  private register(filter: Prefilter, w: WordSpec): void {
    if (w.kind === 'exact') {
      for (const form of [w.text, `${w.text}s`, `${w.text}es`]) filter.addExact(form);
      if (w.text.length >= FUZZY_MIN_LENGTH) filter.addFuzzy(w.text);
    } else if (w.kind === 'stem') {
      filter.addStem(w.text);
    } else {
      filter.addPart(w.text);
    }
  }

  private wordId(w: WordSpec): number {
    const key = `${w.kind}:${w.text}`;
    const known = this.wordIds.get(key);
    if (known !== undefined) return known;
    const id = this.words.length;
    this.words.push(w);
    this.wordIds.set(key, id);
    this.register(this.anyWord, w);
    const affix = (map: Map<number, Affix[]>) => {
      const k = key3(w.text, 0);
      const list = map.get(k);
      if (list) list.push({ text: w.text, id });
      else map.set(k, [{ text: w.text, id }]);
    };
    if (w.kind === 'exact') {
      for (const form of [w.text, `${w.text}s`, `${w.text}es`]) {
        const ids = this.exact.get(form);
        if (ids) ids.push(id);
        else this.exact.set(form, [id]);
      }
      if (w.text.length >= FUZZY_MIN_LENGTH) {
        const k = w.text.length * 128 + w.text.charCodeAt(0);
        const bucket = this.fuzzy.get(k) ?? [];
        bucket.push({ text: w.text, id, letters: letterSet(w.text) });
        this.fuzzy.set(k, bucket);
      }
    } else if (w.kind === 'stem') {
      affix(this.stems);
    } else {
      affix(this.parts);
    }
    return id;
  }

  /** The ids of the words token t is: exactly, by stem, by part, or (with `fuzzy`) one edit away. */
  wordsOf(t: string, fuzzy = true): readonly number[] {
    let out: number[] | undefined;
    const n = t.length;
    const gate = this.anyWord;
    if (gate.exactOrStem(t, 0, n)) {
      const exact = this.exact.get(t);
      if (exact) out = [...exact];
      if (n >= MIN_STEM_LENGTH) {
        const stems = this.stems.get(key3(t, 0));
        if (stems) for (const s of stems) if (t.startsWith(s.text)) (out ??= []).push(s.id);
      }
    }
    for (let j = 0; j + gate.minPart <= n; j++) {
      if (!gate.partAt(t, j)) continue;
      for (const p of this.parts.get(key3(t, j)) as Affix[]) if (t.startsWith(p.text, j)) (out ??= []).push(p.id);
    }
    // Even when the token is another word already (`testqment` starts like the stem `test*`).
    if (fuzzy && this.fuzzyWords && n >= FUZZY_MIN_LENGTH - 1 && gate.nearWord(t, 0, n)) {
      const letters = letterSet(t);
      const first = t.charCodeAt(0);
      for (let len = n - 1; len <= n + 1; len++) {
        const bucket = this.fuzzy.get(len * 128 + first);
        if (!bucket) continue;
        for (const f of bucket) {
          if (bitCount(letters ^ f.letters) <= 2 && withinOneEdit(t, f.text) && !out?.includes(f.id)) (out ??= []).push(f.id);
        }
      }
    }
    return out ?? NO_WORDS;
  }

  /**
   * Whether any term may be in the folded text (tokens of a-z0-9 between other characters): the
   * quick test that lets most texts go without a token list. It asks only necessary conditions
   * of the words terms start with, so it never hides a term findHit would find.
   */
  mayMatch(folded: string): boolean {
    const gate = this.firstWord;
    let start = -1;
    let shortStart = -1;
    let shortEnd = -1;
    for (let i = 0; i <= folded.length; i++) {
      const c = i < folded.length ? folded.charCodeAt(i) : 32;
      if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
        if (start < 0) start = i;
        continue;
      }
      if (start < 0) continue;
      const n = i - start;
      if (gate.exactOrStem(folded, start, i)) return true;
      for (let j = start; j + gate.minPart <= i; j++) if (gate.partAt(folded, j)) return true;
      if (this.fuzzyWords && n >= FUZZY_MIN_LENGTH - 1 && gate.nearWord(folded, start, i)) return true;
      // findHit's pair: a token shorter than four joined to this one (a longer one's start was tested above).
      if (shortStart >= 0 && joinable(shortEnd - shortStart, n)) {
        const head = folded.slice(shortStart, shortEnd) + folded.slice(start, Math.min(i, start + 3));
        if (head.length >= 4 ? gate.startsLikeFour(head, 0) : gate.exactOrStem(head, 0, head.length)) return true;
      }
      if (n < 4) {
        shortStart = start;
        shortEnd = i;
      } else {
        shortStart = -1;
      }
      start = -1;
    }
    return false;
  }

  /** Whether a and b joined may start like an exact word or a stem (parts are found in single tokens only). */
  private mayStart(a: string, b: string): boolean {
    const head = a.length >= 4 ? a : a + b.slice(0, 4 - a.length);
    return head.length >= 4 ? this.anyWord.startsLikeFour(head, 0) : this.anyWord.exactOrStem(head, 0, head.length);
  }

  /** The first hit in the tokens, by position, that `accept` takes (any hit without it). */
  findHit(tokens: readonly string[], accept?: (hit: Hit) => boolean): Hit | undefined {
    // Most tokens are no word of the lexicon: their ids are computed once, on first need.
    const ids: (readonly number[] | undefined)[] = new Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) {
      const here = (ids[i] ??= this.wordsOf(tokens[i]));
      for (let x = 0; x < here.length; x++) {
        const terms = this.byFirstWord[here[x]];
        if (terms === undefined) continue;
        for (const term of terms) {
          const end = i + term.words.length;
          if (end > tokens.length) continue;
          let ok = true;
          for (let k = 1; ok && k < term.words.length; k++) ok = (ids[i + k] ??= this.wordsOf(tokens[i + k])).includes(term.words[k]);
          if (ok && (!accept || accept({ term, start: i, end }))) return { term, start: i, end };
        }
      }
      const next = tokens[i + 1];
      if (next !== undefined && joinable(tokens[i].length, next.length) && this.mayStart(tokens[i], next)) {
        for (const w of this.wordsOf(tokens[i] + next, false)) {
          for (const term of this.oneWord[w] ?? []) {
            if (!accept || accept({ term, start: i, end: i + 2 })) return { term, start: i, end: i + 2 };
          }
        }
      }
    }
    return undefined;
  }
}
