/**
 * "Did you mean …?" for a mistyped name (a configuration key, a command-line flag): the known name
 * at the smallest edit distance, when it is close enough to be a typo rather than another word.
 */
import { distance } from 'fastest-levenshtein';

/** The closest of `known` to `name`, or undefined when none is within a typo's reach. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  // Two edits, or a third of the name for long ones: `treshold` → `threshold`, not `tag` → `stage`.
  const reach = Math.max(2, Math.floor(name.length / 3));
  return best !== undefined && bestDistance <= reach && bestDistance < name.length ? best : undefined;
}

/** ` (did you mean X?)`, or nothing. */
export function didYouMean(name: string, known: readonly string[], format: (n: string) => string = (n) => n): string {
  const match = closestName(name, known);
  return match === undefined ? '' : ` (did you mean ${format(match)}?)`;
}
