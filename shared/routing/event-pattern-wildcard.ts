/**
 * The `wildcard` operator: parsing with EventBridge's escapes, matching, and the rule-complexity
 * measure EventBridge uses to refuse wildcard patterns that would be slow to match.
 */

/**
 * Above this, EventBridge answers "Rule is too complex". The exact figure is not published: the
 * conformance cases pin it between 7 (the accepted `/Users/` + `*` + `/dir/dir/dir/dir/dir/doc.txt`
 * scores 7) and 10 (the refused `*:*:*:*:*:event-bus/*` scores 11). We take the most lenient
 * value they allow, which is also the figure another EventBridge emulator uses.
 */
export const MAX_WILDCARD_COMPLEXITY = 10;

/** A wildcard split at its unescaped `*`s: `a*b\*c` gives ["a", "b*c"]. */
export type WildcardSegments = readonly string[];

/** Segments, or an error message: `**` and a backslash before anything but `*` or `\` are refused. */
export function parseWildcard(text: string): WildcardSegments | string {
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '*') {
      if (text[i + 1] === '*') return `consecutive wildcard characters at index ${i}`;
      segments.push(current);
      current = '';
    } else if (ch === '\\') {
      const next = text[i + 1];
      if (next !== '*' && next !== '\\') return `invalid escape at index ${i} (only \\* and \\\\ are allowed)`;
      current += next;
      i++;
    } else {
      current += ch;
    }
  }
  segments.push(current);
  return segments;
}

/** `*` matches any run of characters, including none; everything else must match exactly. */
export function matchesWildcard(segments: WildcardSegments, value: string): boolean {
  const first = segments[0] ?? '';
  if (segments.length === 1) return value === first;
  const last = segments[segments.length - 1] ?? '';
  if (value.length < first.length + last.length) return false;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;
  // Taking the leftmost occurrence of each middle piece is always safe with `*`-only globs, and
  // keeps matching linear in practice with no regex backtracking.
  let from = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const piece = segments[i] ?? '';
    const at = value.indexOf(piece, from);
    if (at === -1 || at + piece.length > end) return false;
    from = at + piece.length;
  }
  return true;
}

const STAR = -1;
/** Stop exploring after this many distinct sets of live prefixes; a pattern set that big is too complex anyway. */
const MAX_EXPLORED_STATES = 50_000;

/**
 * event-ruler's MachineComplexityEvaluator measure for the wildcard patterns of one field: the
 * largest number of pattern prefixes (each pattern cut after any of its characters) that a single
 * value can match at once. The patterns are taken as event-ruler stores them, as UTF-8 bytes
 * between JSON quotes (`quoted` = false measures the bare values, as event-ruler's own unit tests
 * do). Stops counting once `limit` is exceeded.
 */
export function wildcardComplexity(
  patterns: readonly string[],
  limit = MAX_WILDCARD_COMPLEXITY,
  quoted = true,
): number {
  const programs: number[][] = [];
  for (const text of new Set(patterns)) {
    const segments = parseWildcard(text);
    if (typeof segments === 'string') continue;
    const tokens: number[] = quoted ? [0x22] : [];
    segments.forEach((segment, i) => {
      if (i > 0) tokens.push(STAR);
      tokens.push(...utf8(segment));
    });
    if (quoted) tokens.push(0x22);
    programs.push(tokens);
  }
  if (programs.length === 0) return 0;

  const alphabet = new Set<number>();
  for (const tokens of programs) for (const t of tokens) if (t !== STAR) alphabet.add(t);
  // One byte that no pattern mentions stands for all the others: they move the machine alike.
  let other = 0;
  while (alphabet.has(other)) other++;
  const symbols = [...alphabet, other];

  // A state is, per pattern, the set of live positions (position p = prefix of length p matched).
  const start = programs.map((tokens) => closure(tokens, [0]));
  const seen = new Set<string>([key(start)]);
  const queue: number[][][] = [start];
  let worst = 0;
  while (queue.length > 0) {
    const state = queue.pop() as number[][];
    for (const symbol of symbols) {
      const next = programs.map((tokens, i) => step(tokens, state[i] ?? [], symbol));
      const score = next.reduce((sum, live) => sum + live.filter((p) => p > 0).length, 0);
      if (score > worst) worst = score;
      if (worst > limit) return worst;
      const id = key(next);
      if (seen.has(id)) continue;
      if (seen.size >= MAX_EXPLORED_STATES) return limit + 1;
      seen.add(id);
      queue.push(next);
    }
  }
  return worst;
}

function step(tokens: readonly number[], live: readonly number[], symbol: number): number[] {
  const next: number[] = [];
  for (const p of live) {
    if (p < tokens.length && tokens[p] === symbol) next.push(p + 1);
    // Being just past a `*` means the star can swallow this byte too.
    if (p > 0 && tokens[p - 1] === STAR) next.push(p);
  }
  return closure(tokens, next);
}

/** Adds the positions reachable by letting stars match nothing; returns them sorted and unique. */
function closure(tokens: readonly number[], positions: readonly number[]): number[] {
  const out = new Set<number>();
  for (let p of positions) {
    out.add(p);
    while (p < tokens.length && tokens[p] === STAR) out.add(++p);
  }
  return [...out].sort((a, b) => a - b);
}

function key(state: readonly (readonly number[])[]): string {
  return state.map((live) => live.join(',')).join('|');
}

function utf8(text: string): number[] {
  const bytes: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x80) bytes.push(cp);
    else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else bytes.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return bytes;
}
