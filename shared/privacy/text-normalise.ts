/**
 * The one text normalisation of the sensitive classifier: whatever a producer (or an attacker)
 * writes, the words it spells come out as lower-case Latin letters and digits.
 *
 * 1. percent-encoding and HTML character references decoded (`pr%C3%A9gnancy` in a URL,
 *    `pr&eacute;gnancy`, `&#112;regnancy`, `preg&shy;nancy` in catalogue text), again while that
 *    changes the text, up to eight layers (`%2570regnancy` is encoded twice);
 * 2. Unicode format and default-ignorable characters removed (zero-width spaces and joiners, soft
 *    hyphens, bidi marks, variation selectors): they are invisible, so they split nothing;
 * 3. NFD with every combining mark removed (accents: `é` is `e`, `ü` is `u`);
 * 4. every non-ASCII character whose NFKC form is ASCII takes it (full-width and mathematical
 *    letters, ligatures); every other letter that Unicode's confusables table (TR39, the
 *    `unhomoglyph` package) maps to one or two Latin letters is replaced by them (Cyrillic `е`,
 *    Greek `ο`, Armenian, Cherokee, Lisu...), then, failing that, its NFKC form's letters are; a
 *    few letters the table leaves alone are folded by hand (`ß` to `ss`, `ø` to `o`); then lower
 *    case. The table comes before the rest of NFKC, which turns some look-alikes into letters that
 *    look like nothing Latin (the lunate sigma `ϲ` into `ς`);
 * 5. every run of anything but `a-z0-9` is a separator.
 *
 * tokenVariants then adds, only when the text shows the disguise, the token lists that undo it:
 * letters split by separators (`p r e g`, `p.r.e.g`, `p-r-e-g`) collapsed, leetspeak read as
 * letters (`pr3gn4ncy`, `h1v`), and camelCase or letter-digit joins split (`HolyBible`,
 * `sku123pregnancy`). The plain list is always first, so a disguise only ever adds matches.
 */
import { CONFUSABLES_LATIN } from './generated/confusables-latin';

// The HTML entity decoder is required on first use, not imported: its tables are decoded from
// base64 when its module loads, and most texts have no character reference, so a cold start that
// meets none never pays for them (issue 12; docs/ARCHITECTURE.md, the cold-start bullets).
type DecodeHTML = typeof import('entities/decode').decodeHTML;
let decodeHTML: DecodeHTML | undefined;

const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;
const MARKS = /\p{M}+/gu;
const ASCII = /^[\x00-\x7f]*$/;
/** A percent escape or the start of an HTML character reference (`&eacute;`, `&#112;`, `&#x70;`). */
const ESCAPE = /%[0-9a-fA-F]{2}|&[#a-zA-Z]/;
const PERCENT_ESCAPE = /%[0-9a-fA-F]{2}/;
const ENTITY = /&[#a-zA-Z]/;
/**
 * Each round undoes one layer of encoding (and shortens the text). Real sources nest two or three;
 * the bound keeps a crafted `%252525…` of 32 KB from costing thousands of rounds.
 */
const DECODE_ROUNDS = 8;
const PERCENT_RUNS = /(?:%[0-9a-fA-F]{2})+/g;
const SEPARATORS = /[^a-z0-9]+/;

/**
 * Letters the confusables table keeps (they are letters of their own), folded the way a reader
 * would; the Latin small capitals (`ᴘʀᴇɢɴᴀɴᴄʏ`) that neither the table nor NFKC maps; the regional
 * indicator symbols, which show as capital letters when they do not pair into a flag.
 */
const HAND_FOLDS: Record<string, string> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ĸ: 'k', ŋ: 'n', ħ: 'h', ŧ: 't',
  ᴀ: 'a', ʙ: 'b', ᴅ: 'd', ᴇ: 'e', ꜰ: 'f', ɢ: 'g', ʜ: 'h', ᴊ: 'j', ᴋ: 'k', ʟ: 'l', ᴍ: 'm', ɴ: 'n', ᴘ: 'p', ꞯ: 'q', ʀ: 'r', ᴛ: 't',
  ...Object.fromEntries(Array.from({ length: 26 }, (_, i) => [String.fromCodePoint(0x1f1e6 + i), String.fromCharCode(97 + i)])),
};

let latinOf: Map<string, string> | undefined;

/**
 * Built on first use (a text with non-ASCII letters): about 1,600 entries. The table's letters come
 * from shared/privacy/generated/confusables-latin.ts, the part of TR39's table that maps one
 * character to one or two Latin letters, generated from the `unhomoglyph` package at build time
 * (a few KB in the bundle instead of the package's 115 KB object literal; a test fails if the two
 * drift). The hand folds win over the table.
 */
function confusableToLatin(): Map<string, string> {
  if (latinOf) return latinOf;
  latinOf = new Map(Object.entries(HAND_FOLDS));
  for (const [latin, chars] of Object.entries(CONFUSABLES_LATIN)) {
    for (const from of chars) if (!latinOf.has(from)) latinOf.set(from, latin);
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

function decodeEntities(text: string): string {
  if (!ENTITY.test(text)) return text;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  decodeHTML ??= (require('entities/decode') as typeof import('entities/decode')).decodeHTML;
  return decodeHTML(text);
}

/** Percent escapes and character references, layer after layer (either can hide the other). */
function decodeEscapes(text: string): string {
  let t = text;
  for (let round = 0; round < DECODE_ROUNDS && ESCAPE.test(t); round++) {
    const next = decodeEntities(PERCENT_ESCAPE.test(t) ? decodePercent(t) : t);
    if (next === t) break;
    t = next;
  }
  return t;
}

/** Steps 1-3: the text with its letters' case kept (camelCase splitting needs it). */
function unmark(text: string): string {
  const t = decodeEscapes(text);
  if (ASCII.test(t)) return t;
  return t.replace(INVISIBLE, '').normalize('NFD').replace(MARKS, '');
}

/** One non-ASCII character as Latin letters, or undefined: by the table, as its own small letter, or by the table again. */
function latinChar(map: Map<string, string>, ch: string): string | undefined {
  const lower = ch.toLowerCase();
  const direct = map.get(ch);
  if (direct !== undefined) return direct === 'l' && lower !== ch ? 'i' : direct;
  if (lower.charCodeAt(0) < 0x80) return lower;
  return map.get(lower);
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
    // A compatibility form that is plain ASCII is exact (full-width `Ｉ`, bold `𝐈`: a capital I,
    // where the table's prototype would be `l`); otherwise the table, then the form's letters.
    const compatible = ch.normalize('NFKC');
    let latin = ASCII.test(compatible) ? compatible : latinChar(map, ch);
    if (latin === undefined && compatible !== ch) {
      latin = '';
      for (const c of compatible.normalize('NFD').replace(MARKS, '')) latin += c.charCodeAt(0) < 0x80 ? c : (latinChar(map, c) ?? ' ');
    }
    out += latin ?? ' ';
  }
  return out.toLowerCase();
}

/** The folded text: lower-case Latin letters, digits and the separators between them. */
export function foldText(text: string): string {
  return latinise(unmark(text));
}

const tokensOf = (folded: string): string[] => folded.split(SEPARATORS).filter((t) => t.length > 0);

const isAlnum = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
const isLeetSymbol = (c: number) => c === 64 /* @ */ || c === 36 /* $ */ || c === 33; /* ! */
const isWordy = (c: number) => isAlnum(c) || isLeetSymbol(c);
/**
 * Whether the symbol at i may stand for a letter: `@`, `$` and `!` next to a letter, digit or
 * symbol (`dn@`, `d!abetes`, `sclerosi` as `sclero5!`). Reading `sale!` as `salei` costs nothing:
 * it is one more variant, not a match. `|` is not read as `l`: it separates category paths
 * (`Outdoor|Garden`), and a glued path hides the context exceptions need.
 */
function leetAt(s: string, i: number): boolean {
  const before = i > 0 && isWordy(s.charCodeAt(i - 1));
  const after = i + 1 < s.length && isWordy(s.charCodeAt(i + 1));
  return before || after;
}

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
    if (isLeetSymbol(c) && leetAt(folded, i)) mixed = true;
  }
  return { singles, mixed };
}

/** Lower-case words separated by single spaces: how terms, content categories and life event types are compared. */
export function normaliseText(text: string): string {
  return tokensOf(foldText(text)).join(' ');
}

/**
 * Runs of two or more one-character tokens joined: `p r e g n a n c y` is `pregnancy`. A run can
 * start or end with a letter of its own (`/p/` of a URL path, a size `S`): `trim` 1 keeps the
 * run's first token apart, 2 its last, 3 both.
 */
function collapseSingles(tokens: string[], trim = 0): string[] | undefined {
  let changed = false;
  const out: string[] = [];
  for (let i = 0; i < tokens.length; ) {
    if (tokens[i].length === 1 && i + 1 < tokens.length && tokens[i + 1].length === 1) {
      let end = i;
      while (end < tokens.length && tokens[end].length === 1) end++;
      const from = trim & 1 ? i + 1 : i;
      const to = trim & 2 ? end - 1 : end;
      if (from > i) out.push(tokens[i]);
      if (to - from >= 2) {
        out.push(tokens.slice(from, to).join(''));
        changed = true;
      } else {
        out.push(...tokens.slice(from, to));
      }
      if (to < end) out.push(tokens[end - 1]);
      i = end;
    } else {
      out.push(tokens[i++]);
    }
  }
  return changed ? out : undefined;
}

/** The collapsed lists of collapseSingles, each distinct one once. */
function collapsedVariants(tokens: string[]): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  for (let trim = 0; trim < 4; trim++) {
    const list = collapseSingles(tokens, trim);
    if (!list) continue;
    const key = list.join(' ');
    if (!seen.has(key)) {
      seen.add(key);
      out.push(list);
    }
  }
  return out;
}

const CAMEL = /\p{Ll}\p{Lu}/u;
/** camelCase boundaries: small then capital, capital then capital-and-small (`AChild`), digit then capital (`Prueb4De`). */
const CASE_JOIN = /(\p{Ll})(?=\p{Lu})|(\p{Lu})(?=\p{Lu}\p{Ll})|(\p{N})(?=\p{Lu})/gu;
const DIGIT_JOIN = /([a-z])(?=[0-9])|([0-9])(?=[a-z])/g;

const LEET: Record<string, string> = {
  '0': 'o', '1': 'i', '2': 'z', '3': 'e', '4': 'a', '5': 's', '6': 'b', '7': 't', '8': 'b', '9': 'g', '@': 'a', $: 's', '!': 'i',
};
const LEET_WORD = /[a-z0-9@$!]*[a-z][a-z0-9@$!]*/g;
const LEET_CHAR = /[0-9@$!]/;
const LEET_CHARS = /[0-9@$!]/g;
const TRAILING_NUMBER = /[0-9]{2}$/;

/**
 * Leetspeak read as letters, only inside a word that has at least as many letters as digits and
 * symbols: `pr3gn4ncy` and `h1v` are words, `b12`, `500ml` and `4k` stay what they are. `1` is
 * read as `i`, or (`one` = `l`) as `l` (`a1cohol`); with `keepNumber` two digits closing a word
 * are its number (`skuAft3rpil03`), else letters too (`abor70`).
 */
function deLeet(folded: string, one: 'i' | 'l', keepNumber: boolean): string | undefined {
  let changed = false;
  const letters = folded.replace(/!/g, (c, i: number) => (leetAt(folded, i) ? c : ' '));
  const out = letters.replace(LEET_WORD, (word) => {
    if (!LEET_CHAR.test(word)) return word;
    const number = keepNumber ? (TRAILING_NUMBER.exec(word)?.[0] ?? '') : '';
    const body = word.slice(0, word.length - number.length);
    const leet = body.match(LEET_CHARS)?.length ?? 0;
    const read = leet > 0 && body.length - leet >= leet;
    if (!read && !number) return word;
    changed = true;
    return (read ? body.replace(LEET_CHARS, (c) => (c === '1' ? one : LEET[c])) : body) + (number ? ` ${number}` : '');
  });
  return changed ? out : undefined;
}

const RLO = '\u202E';
/** An override's reach: to the next pop of directional formatting (PDF), line break or the end. */
const OVERRIDDEN = /\u202E([^\u202C\n]*)\u202C?/g;

/** The text in the order it is shown: each right-to-left override's span reversed (by code point). */
function visualOrder(text: string): string {
  return text.replace(OVERRIDDEN, (_, span: string) => [...span].reverse().join(''));
}

/** Whether the folded text has two one-character tokens in a row (disguisesOf's `singles`). */
const hasSingles = (folded: string) => disguisesOf(folded).singles;

/**
 * The token lists to look for terms in: the plain words first, then, only when the text has the
 * disguise, each list that undoes it: camelCase split, letters and digits split, leetspeak read
 * (each of these on the plain and the camelCase-split text), and in each one-letter runs
 * collapsed. `cannotMatch` is the caller's quick test on a folded text: a text it rules out (and
 * that has no one-letter run to collapse) is not cut into tokens at all.
 */
export function tokenVariants(text: string, cannotMatch?: (folded: string) => boolean): string[][] {
  // A right-to-left override shows the letters after it in reverse: `\u202Eycnangerp` reads
  // `pregnancy` on screen. Both orders are looked at: what a program reads, what a person sees.
  // Decoded first: the override can come percent-encoded in a URL.
  const decoded = decodeEscapes(text);
  if (decoded.includes(RLO)) return [...tokenVariants(decoded.replaceAll(RLO, ''), cannotMatch), ...tokenVariants(visualOrder(decoded), cannotMatch)];
  const unmarked = unmark(decoded);
  const folded = latinise(unmarked);
  const { singles, mixed } = disguisesOf(folded);
  const camel = CAMEL.test(unmarked);
  // The common case: plain words, no disguise; most such texts are ruled out without a token list.
  if (!singles && !mixed && !camel) return cannotMatch?.(folded) ? [] : [tokensOf(folded)];
  const texts = [folded];
  if (camel) texts.push(latinise(unmarked.replace(CASE_JOIN, '$1$2$3 ')));
  if (mixed) {
    for (const base of [...texts]) {
      texts.push(base.replace(DIGIT_JOIN, '$1$2 '));
      for (const one of base.includes('1') ? (['i', 'l'] as const) : (['i'] as const)) {
        for (const keepNumber of [false, true]) {
          const leet = deLeet(base, one, keepNumber);
          if (leet !== undefined) texts.push(leet);
        }
      }
    }
  }
  const variants: string[][] = [];
  const seen = new Set<string>();
  for (const t of texts) {
    if (seen.has(t)) continue;
    seen.add(t);
    const singles = hasSingles(t);
    if (!singles && cannotMatch?.(t)) continue;
    const tokens = tokensOf(t);
    variants.push(tokens);
    if (singles) variants.push(...collapsedVariants(tokens));
  }
  return variants;
}
