/**
 * The one scrubber: every string of an enriched signal and of a moment goes through here before it
 * leaves the stage that built it (enrich puts the enriched record, score writes and publishes the
 * moment). It is applied structurally, as a walk over the built object: a string field is exempt
 * only when its path is listed below with a format that its value matches (a digest, a timestamp,
 * an enum, a value from the configuration), so a field added later is scrubbed unless someone
 * states what it is. docs/PRIVACY.md "Scrubbing" says what is masked and why this way.
 *
 * What is masked (each by a placeholder naming the kind, never a part of the value):
 * - emails: any run of non-space characters around an `@` (a handle `@bob` too), and quoted local
 *   parts (`"john doe"@example.com`);
 * - IP addresses: dotted quads, and colon-separated hex groups (IPv6, and MAC addresses with them);
 * - IBAN-like numbers: two letters, two digits and 11 to 30 letters or digits, spaced or not;
 * - street addresses: a house number next to a street word in English, French, Spanish,
 *   Italian, Portuguese, German and Dutch (`221B Baker Street`, `12 rue de Rivoli`,
 *   `Calle Mayor, 3`, `Hauptstraße 5`, `Keizersgracht 123`);
 * - long numbers: seven digits or more, with any spacing or punctuation between them (phone
 *   numbers in every national format, card, account and customer numbers), and any word that
 *   holds seven digits among letters;
 * - names after a title or form of address (`Mr John Smith`, `Frau Müller`, `Sra. García`).
 * Over-masking is the safe side: a product code of seven digits is masked too, and scoring
 * reads none of the fields where that can happen.
 */
import { CHANNELS } from '../contracts/channel-names';

const EMAIL = '[email]';
const IP = '[ip]';
const IBAN_MASK = '[iban]';
const ADDRESS = '[address]';
const NUMBER = '[number]';
const NAME = '[name]';

const QUOTED_EMAIL = /"(?:[^"\\]|\\.)*"\s*@\S*/g;
const AT_TOKEN = /[^\s@]*@\S*/g;
const IPV4 = /(?<![\d.])\d{1,3}(?:\s*\.\s*\d{1,3}){3}(?![\d])/g;
// No boundary on either side: `cafe2001:db8::1` must lose its address even though a word runs into it.
const IPV6 = /(?=[0-9a-f:]*[0-9a-f])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}/gi;
const IBAN = /(?<![\p{L}\p{N}])[a-z]{2}\d{2}(?:[\s\-_.]?[a-z0-9]){11,34}(?![\p{L}\p{N}])/giu;
/** Seven digits or more, whatever separates them (up to three characters of spacing or punctuation). */
const DIGIT_RUN = /\+?\d(?:[^\p{L}\p{N}]{0,3}\d){6,}/gu;
const WORD_WITH_DIGITS = /[\p{L}\p{N}]+/gu;
const SEVEN_DIGITS = /(?:\d\D*){7}/;

// Street addresses: a house number and a street word, either order, with up to a few words between.
const SEP = "[\\s\\-_,.]+";
const WORD = "[\\p{L}'’]+";
const HOUSE = '\\d{1,5}[\\p{L}]?(?:[\\-/]\\d{1,5}[\\p{L}]?)?';
const TYPE_AFTER_NAME = 'street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|pl|square|sq|terrace|close|crescent|parkway|highway|hwy|row|walk|gardens|hill|mews';
const TYPE_BEFORE_NAME =
  'rue|avenue|av|bd|boulevard|place|chemin|allée|allee|impasse|quai|route|cours|calle|avenida|avda|paseo|plaza|camino|carretera|ronda|via|viale|piazza|corso|largo|vicolo|rua|travessa|praça|praca|estrada|alameda|rodovia|straße|strasse';
const SUFFIX = 'straße|strasse|str|weg|allee|platz|gasse|ring|damm|ufer|chaussee|straat|laan|plein|gracht|kade|singel|dijk|steeg|markt';
const NUMBER_MARK = '(?:n[º°o]?\\.?\\s*|nr\\.?\\s*|no\\.?\\s*)?';
const B = '(?<![\\p{L}\\p{N}])';
const E = '(?![\\p{L}\\p{N}])';
const ADDRESS_PATTERNS = [
  // 221B Baker Street, 10 Downing St
  `${B}${HOUSE}${SEP}(?:${WORD}${SEP}){1,4}?(?:${TYPE_AFTER_NAME})${E}`,
  // Baker Street 221B
  `${B}(?:${WORD}${SEP}){1,3}?(?:${TYPE_AFTER_NAME})${SEP}${NUMBER_MARK}${HOUSE}${E}`,
  // 12 rue de Rivoli, 5 bis avenue Foch
  `${B}${HOUSE}(?:${SEP}(?:bis|ter))?${SEP}(?:${TYPE_BEFORE_NAME})(?:${SEP}${WORD}){1,5}`,
  // Calle Mayor, 3 · Via Roma 10 · Rua Augusta, nº 100 · Avenida da Liberdade 245
  `${B}(?:${TYPE_BEFORE_NAME})(?:${SEP}${WORD}){1,5}?${SEP}${NUMBER_MARK}${HOUSE}${E}`,
  // Hauptstraße 5 · Keizersgracht 123 · Am Ring 7 (a street word ending the name)
  `${B}(?:${WORD}[\\-]?)?(?:${SUFFIX})\\.?${SEP}?${HOUSE}${E}`,
];
const ADDRESS_RE = new RegExp(ADDRESS_PATTERNS.map((p) => `(?:${p})`).join('|'), 'giu');

const TITLES = 'mr|mrs|ms|miss|mx|dr|prof|sir|dame|herr|frau|mme|mlle|monsieur|madame|señor|senor|señora|senora|srta|sra|sr|signor|signora|sig|dott|dhr|mevr|mevrouw|meneer';
const NAME_AFTER_TITLE = new RegExp(`${B}(?:${TITLES})\\.?(?:[\\s\\-_]+${WORD}(?:-${WORD})?){1,2}`, 'giu');
const TITLE_WORD = new RegExp(`${B}(?:${TITLES})${E}`, 'iu');

/** Anything that can hold an identifier has a digit, an `@`, a colon or a form of address. */
const MAY_HOLD = /[\d@:]/;

export function scrubText(text: string): string {
  const hasMarker = MAY_HOLD.test(text);
  if (!hasMarker && !TITLE_WORD.test(text)) return text;
  let out = text;
  if (out.includes('@')) out = out.replace(QUOTED_EMAIL, EMAIL).replace(AT_TOKEN, EMAIL);
  if (hasMarker) {
    out = out.replace(IPV4, IP).replace(IPV6, IP).replace(IBAN, IBAN_MASK).replace(ADDRESS_RE, ADDRESS).replace(DIGIT_RUN, NUMBER);
    if (SEVEN_DIGITS.test(out)) out = out.replace(WORD_WITH_DIGITS, (w) => (SEVEN_DIGITS.test(w) ? NUMBER : w));
  }
  return out.replace(NAME_AFTER_TITLE, NAME);
}

/** True when the scrubber leaves the text as it is (configuration vocabulary must: config validation). */
export const survivesScrubbing = (text: string): boolean => scrubText(text) === text;

/** A string field that is not scrubbed, because its value is known to be one of these. */
export type FieldFormat = (value: string) => boolean;
/** Dotted paths (`*` for any array index) of the exempt fields, with their formats. */
export type FieldFormats = Readonly<Record<string, FieldFormat>>;

const pattern = (re: RegExp): FieldFormat => (v) => re.test(v);
const oneOf = (values: readonly string[]): FieldFormat => (v) => values.includes(v);

export const FORMAT = {
  hex64: pattern(/^[0-9a-f]{64}$/),
  /** A message digest or a moment id. */
  hex32: pattern(/^[0-9a-f]{32}$/),
  isoTime: pattern(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
  localTime: pattern(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/),
  /** An IANA zone name (validated by enrich against Intl), never free text. */
  timezone: pattern(/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2}$/),
  geohash: pattern(/^[0-9b-hjkmnp-z]{1,6}$/),
  /** A configuration version: letters, digits and `.` `_` `:` `-`. */
  version: pattern(/^[\w.:-]{1,64}$/),
  /** A value the configuration gave (a location's id or name): not input. */
  fromConfiguration: (v: string) => v.length <= 256,
  oneOf,
} as const;

/** The length in code points, as the schemas count. */
const codePoints = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/**
 * scrubText's answer per short text already seen: a stream repeats its event names, locales,
 * currencies, content types and lexicon phrases. scrubText is a pure function of the text, so the
 * answer is the same; bounded (emptied when full), in process memory only like the record itself.
 */
const scrubbed = new Map<string, string>();
const SCRUBBED_MAX_ENTRIES = 10_000;
const SCRUBBED_MAX_LENGTH = 128;

function rememberedScrub(value: string): string {
  if (value.length > SCRUBBED_MAX_LENGTH) return scrubText(value);
  let out = scrubbed.get(value);
  if (out === undefined) {
    out = scrubText(value);
    if (scrubbed.size >= SCRUBBED_MAX_ENTRIES) scrubbed.clear();
    scrubbed.set(value, out);
  }
  return out;
}

function scrubLeaf(value: string, format: FieldFormat | undefined): string {
  if (format && format(value)) return value;
  const out = rememberedScrub(value);
  if (out === value || out.length <= value.length) return out;
  // A placeholder longer than what it replaced must not break the field's length limit.
  const max = codePoints(value);
  return codePoints(out) <= max ? out : Array.from(out).slice(0, max).join('');
}

/** The exempt paths as a tree, walked alongside the record (no path strings built per field). */
interface FormatTree {
  format?: FieldFormat;
  children: Map<string, FormatTree>;
}

const trees = new WeakMap<FieldFormats, FormatTree>();

function treeOf(formats: FieldFormats): FormatTree {
  let tree = trees.get(formats);
  if (tree) return tree;
  tree = { children: new Map() };
  for (const [path, format] of Object.entries(formats)) {
    let node = tree;
    for (const segment of path.split('.')) {
      let next = node.children.get(segment);
      if (!next) {
        next = { children: new Map() };
        node.children.set(segment, next);
      }
      node = next;
    }
    node.format = format;
  }
  trees.set(formats, tree);
  return tree;
}

function walk(value: unknown, node: FormatTree | undefined): unknown {
  if (typeof value === 'string') return scrubLeaf(value, node?.format);
  if (Array.isArray(value)) {
    const item = node?.children.get('*');
    for (let i = 0; i < value.length; i++) value[i] = walk(value[i], item);
    return value;
  }
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    // for-in over the own keys (no key array per object): the records are plain objects just built.
    for (const k in obj) {
      if (!Object.prototype.hasOwnProperty.call(obj, k)) continue;
      const v = obj[k];
      // Numbers and booleans are most leaves of a record: left as they are, without a call.
      if (typeof v === 'object' || typeof v === 'string') obj[k] = walk(v, node?.children.get(k));
    }
  }
  return value;
}

/**
 * Scrubs every string of a record the caller has just built, in place (and returns it): a string
 * is left as it is only when its path is exempt (dotted, `*` for any array index) and its value
 * has the stated format.
 */
export function scrubFields<T>(value: T, formats: FieldFormats): T {
  return walk(value, treeOf(formats)) as T;
}

const INTENT_NAMES = ['know', 'go', 'do', 'buy', 'life-event'] as const;
const DAYPART_NAMES = ['night', 'morning', 'midday', 'afternoon', 'evening'] as const;
const DEVICE_NAMES = ['mobile', 'tablet', 'desktop', 'tv', 'unknown'] as const;

/**
 * The fields of an enriched signal that are not scrubbed: produced by enrich itself (digests,
 * times, enums, the IANA zone it validated) or taken from the configuration. Every other string,
 * the features above all, is.
 */
export const ENRICHED_SIGNAL_FORMATS: FieldFormats = {
  messageId: FORMAT.hex32,
  customerKey: FORMAT.hex64,
  identity: oneOf(['user', 'anonymous']),
  type: oneOf(['track', 'identify', 'page', 'screen']),
  timestamp: FORMAT.isoTime,
  enrichedAt: FORMAT.isoTime,
  configVersion: FORMAT.version,
  'context.timezone': FORMAT.timezone,
  'context.localTime': FORMAT.localTime,
  'context.daypart': oneOf(DAYPART_NAMES),
  'context.deviceClass': oneOf(DEVICE_NAMES),
  'context.area': FORMAT.geohash,
  'context.nearestLocation.id': FORMAT.fromConfiguration,
  'context.nearestLocation.name': FORMAT.fromConfiguration,
  'consent.channels.*': oneOf(CHANNELS),
  // Digests enrich made of the catalogue ids (catalogueDigestOf): the behaviour features compare them.
  'features.productId': FORMAT.hex32,
  'features.category': FORMAT.hex32,
};

/** The same for a `Moment Detected` detail (what score stores in M# items and publishes). */
export const MOMENT_FORMATS: FieldFormats = {
  momentId: FORMAT.hex32,
  customerKey: FORMAT.hex64,
  intent: oneOf(INTENT_NAMES),
  'reasons.*.kind': oneOf(['event', 'lexicon', 'content', 'context', 'behaviour', 'life-event']),
  'reasons.*.messageId': FORMAT.hex32,
  'trigger.messageId': FORMAT.hex32,
  'trigger.time': FORMAT.isoTime,
  'context.localTime': FORMAT.localTime,
  'context.daypart': oneOf(DAYPART_NAMES),
  'context.timezone': FORMAT.timezone,
  'context.device': oneOf(DEVICE_NAMES),
  'context.area': FORMAT.geohash,
  'context.nearestLocation.id': FORMAT.fromConfiguration,
  'context.nearestLocation.name': FORMAT.fromConfiguration,
  'consent.channels.*': oneOf(CHANNELS),
  detectedAt: FORMAT.isoTime,
  scoringVersion: FORMAT.version,
};

export const scrubEnrichedSignal = <T extends object>(signal: T): T => scrubFields(signal, ENRICHED_SIGNAL_FORMATS);
export const scrubMoment = <T extends object>(moment: T): T => scrubFields(moment, MOMENT_FORMATS);
