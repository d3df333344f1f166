/**
 * Why an event does not match a pattern, in terms an operator can act on: the fields of the
 * pattern that the event fails, each tested on its own (`detail.consent.channels`). Used by local
 * mode to say why a moment was not routed; EventBridge itself never says.
 */
import { compileEventPattern, type EventPattern } from './event-pattern';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Each leaf of the pattern (a list of match values, or an `$or`) as a pattern of its own. */
function leaves(pattern: Record<string, unknown>, path: string[] = []): { path: string; pattern: EventPattern }[] {
  const out: { path: string; pattern: EventPattern }[] = [];
  for (const [key, value] of Object.entries(pattern)) {
    if (isObj(value) && key !== '$or') {
      out.push(...leaves(value, [...path, key]));
      continue;
    }
    // Rebuild the nesting around this one leaf: { detail: { consent: { channels: [...] } } }.
    const single = [...path].reverse().reduce<Record<string, unknown>>((inner, k) => ({ [k]: inner }), { [key]: value });
    out.push({ path: key === '$or' ? (path.join('.') || '$or') : [...path, key].join('.'), pattern: single });
  }
  return out;
}

/** The paths of the pattern's fields that `event` fails; empty when it matches. */
export function mismatchedFields(pattern: EventPattern, event: unknown): string[] {
  if (compileEventPattern(pattern)(event)) return [];
  const failing = leaves(pattern).filter((leaf) => !compileEventPattern(leaf.pattern)(event)).map((leaf) => leaf.path);
  // Fields that each match but not together (an `$or` across them): the pattern as a whole.
  return failing.length > 0 ? failing : ['(the fields together)'];
}
