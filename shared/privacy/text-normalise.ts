/**
 * The one text normalisation of the sensitive classifier: whatever a producer (or an attacker)
 * writes, the words it spells come out as lower-case Latin letters and digits.
 *
 * 1. percent-encoding decoded (`pr%C3%A9gnancy` in a URL);
 * 2. Unicode format and default-ignorable characters removed (zero-width spaces and joiners, soft
 *    hyphens, bidi marks, variation selectors): they are invisible, so they split nothing;
 * 3. NFKC (full-width, ligatures, mathematical letters, superscripts), then NFD with every
 *    combining mark removed (accents: `é` is `e`, `ü` is `u`);
 * 4. lower case, then every remaining non-ASCII letter that Unicode's confusables table (TR39,
 *    the `unhomoglyph` package) maps to one or two Latin letters is replaced by them (Cyrillic
 *    `е`, Greek `ο`, Cherokee, Lisu...); a few letters the table leaves alone are folded by
 *    hand (`ß` to `ss`, `ø` to `o`);
 * 5. every run of anything but `a-z0-9` is a separator.
 *
 * tokenVariants then adds, only when the text shows the disguise, the token lists that undo it:
 * letters split by separators (`p r e g`, `p.r.e.g`, `p-r-e-g`) collapsed, leetspeak read as
 * letters (`pr3gn4ncy`, `h1v`), and camelCase or letter-digit joins split (`HolyBible`,
 * `sku123pregnancy`). The plain list is always first, so a disguise only ever adds matches.
 */
import confusablesTable from 'unhomoglyph/data.json';

const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;
const MARKS = /\p{M}+/gu;
const ASCII = /^[\x00-\x7f]*$/;
const PERCENT_ESCAPE = /%[0-9a-fA-F]{2}/;
const PERCENT_RUNS = /(?:%[0-9a-fA-F]{2})+/g;
const SEPARATORS = /[^a-z0-9]+/;

/** Letters the confusables table keeps (they are letters of their own), folded the way a reader would. */
const HAND_FOLDS: Record<string, string> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ĸ: 'k', ŋ: 'n', ħ: 'h', ŧ: 't',
};

let latinOf: Map<string, string> | undefined;

/** Built on first use (a text with non-ASCII letters): ~6,000 entries, about a millisecond. */
function confusableToLatin(): Map<string, string> {
  if (latinOf) return latinOf;
  const table = confusablesTable as Record<string, string>;
  latinOf = new Map(Object.entries(HAND_FOLDS));
  for (const [from, to] of Object.entries(table)) {
    // One code point that is not ASCII; a prototype that is one or two Latin letters once its
    // marks are gone (`ø` is `o` + a combining overlay). Prototypes that are digits, symbols or
    // other scripts say nothing about Latin words.
    if (from.length > 2 || [...from].length !== 1 || from.charCodeAt(0) < 0x80 || latinOf.has(from)) continue;
    const latin = to.normalize('NFD').replace(MARKS, '').toLowerCase();
    if (/^[a-z]{1,2}$/.test(latin)) latinOf.set(from, latin);
  }
  return latinOf;
}

function decodePercent(text: string): string {
  return text.replace(PERCENT_RUNS, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return ' '; // not UTF-8: a separator, never an error
    }
  });
}

/** Steps 1-3: the text with its letters' case kept (camelCase splitting needs it). */
function unmark(text: string): string {
  const t = PERCENT_ESCAPE.test(text) ? decodePercent(text) : text;
  if (ASCII.test(t)) return t;
  return t.replace(INVISIBLE, '').normalize('NFKC').replace(INVISIBLE, '').normalize('NFD').replace(MARKS, '');
}

/**
 * Step 4: look-alike letters to Latin, then lower case. A capital is looked up before it is lower
 * cased (Greek `Ν` looks like `N`, its small `ν` like `v`); a capital whose prototype is `l` is an
 * `I` (TR39 gives `I` and `l` one prototype; in a capital that stroke is an I).
 */
function latinise(text: string): string {
  if (ASCII.test(text)) return text.toLowerCase();
  const map = confusableToLatin();
  let out = '';
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) {
      out += ch;
      continue;
    }
    const lower = ch.toLowerCase();
    const direct = map.get(ch);
    if (direct !== undefined) out += direct === 'l' && lower !== ch ? 'i' : direct;
    else if (lower.charCodeAt(0) < 0x80) out += lower;
    else out += map.get(lower) ?? ' ';
  }
  return out.toLowerCase();
}

/** The folded text: lower-case Latin letters, digits and the separators between them. */
export function foldText(text: string): string {
  return latinise(unmark(text));
}

const tokensOf = (folded: string): string[] => folded.split(SEPARATORS).filter((t) => t.length > 0);

const isAlnum = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
const isLeetSymbol = (c: number) => c === 64 /* @ */ || c === 36 /* $ */ || c === 33 /* ! */ || c === 124; /* | */

interface Disguises {
  /** Two one-character tokens in a row: letters spelled out with separators. */
  singles: boolean;
  /** A token of letters and digits, or a symbol between letters: leetspeak or a join to split. */
  mixed: boolean;
}

/** One pass over the folded text, allocating nothing: which disguises it may hold. */
function disguisesOf(folded: string): Disguises {
  let singles = false;
  let mixed = false;
  let previousSingle = false;
  let start = -1;
  let letters = false;
  let digits = false;
  for (let i = 0; i <= folded.length; i++) {
    const c = i < folded.length ? folded.charCodeAt(i) : 32;
    if (c >= 97 && c <= 122) {
      if (start < 0) start = i;
      letters = true;
      continue;
    }
    if (c >= 48 && c <= 57) {
      if (start < 0) start = i;
      digits = true;
      continue;
    }
    if (start >= 0) {
      const single = i - start === 1;
      if (single && previousSingle) singles = true;
      previousSingle = single;
      if (letters && digits) mixed = true;
      start = -1;
      letters = digits = false;
    }
    if (isLeetSymbol(c) && i > 0 && isAlnum(folded.charCodeAt(i - 1)) && isAlnum(folded.charCodeAt(i + 1))) mixed = true;
  }
  return { singles, mixed };
}

/** Lower-case words separated by single spaces: how terms, content categories and life event types are compared. */
export function normaliseText(text: string): string {
  return tokensOf(foldText(text)).join(' ');
}

/** Runs of two or more one-character tokens joined: `p r e g n a n c y` is `pregnancy`. */
function collapseSingles(tokens: string[]): string[] | undefined {
  let changed = false;
  const out: string[] = [];
  for (let i = 0; i < tokens.length; ) {
    if (tokens[i].length === 1 && i + 1 < tokens.length && tokens[i + 1].length === 1) {
      let run = '';
      while (i < tokens.length && tokens[i].length === 1) run += tokens[i++];
      out.push(run);
      changed = true;
    } else {
      out.push(tokens[i++]);
    }
  }
  return changed ? out : undefined;
}

const CASE_OR_DIGIT_JOIN = /(\p{Ll})(?=\p{Lu})|([\p{L}])(?=\p{N})|(\p{N})(?=\p{L})/gu;
const CAMEL = /\p{Ll}\p{Lu}/u;

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g', '@': 'a', $: 's', '!': 'i', '|': 'l' };
const LEET_WORD = /[a-z0-9@$!|]*[a-z][a-z0-9@$!|]*/g;
const LEET_CHAR = /[0-9@$!|]/;
const LEET_CHARS = /[0-9@$!|]/g;

/**
 * Leetspeak read as letters, only inside a word that has at least as many letters as digits and
 * symbols: `pr3gn4ncy` and `h1v` are words, `b12`, `500ml` and `4k` stay what they are. `1` is
 * read as `i`; with `one` = `l` the second reading (`a1cohol`).
 */
function deLeet(folded: string, one: 'i' | 'l'): string | undefined {
  let changed = false;
  const out = folded.replace(LEET_WORD, (word) => {
    if (!LEET_CHAR.test(word)) return word;
    const leet = word.match(LEET_CHARS)?.length ?? 0;
    if (word.length - leet < leet) return word;
    changed = true;
    return word.replace(LEET_CHARS, (c) => (c === '1' ? one : LEET[c]));
  });
  return changed ? out : undefined;
}

/**
 * The token lists to look for terms in: the plain words first, then, only when the text has the
 * disguise, each list that undoes it (with one-letter runs collapsed in every list).
 * `cannotMatch` is the caller's quick test on the folded text: when it says no term can be in it
 * and the text shows no disguise, there is nothing to look at (and nothing is allocated).
 */
export function tokenVariants(text: string, cannotMatch?: (folded: string) => boolean): string[][] {
  const unmarked = unmark(text);
  const folded = latinise(unmarked);
  const { singles, mixed } = disguisesOf(folded);
  const camel = CAMEL.test(unmarked);
  if (!singles && !mixed && !camel && cannotMatch?.(folded)) return [];
  const tokens = tokensOf(folded);
  const variants: string[][] = [tokens];
  if (singles) variants.push(collapseSingles(tokens) as string[]);
  const add = (list: string[]) => {
    variants.push(list);
    const collapsed = collapseSingles(list);
    if (collapsed) variants.push(collapsed);
  };
  if (mixed) {
    const leetI = deLeet(folded, 'i');
    if (leetI !== undefined) {
      add(tokensOf(leetI));
      if (folded.includes('1')) add(tokensOf(deLeet(folded, 'l') as string));
    }
  }
  if (mixed || camel) add(tokensOf(latinise(unmarked.replace(CASE_OR_DIGIT_JOIN, '$1$2$3 '))));
  return variants;
}
