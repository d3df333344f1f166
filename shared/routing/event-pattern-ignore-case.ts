/**
 * Case-insensitive comparison as event-ruler does it: each pattern character accepts its
 * lower-case and its upper-case form (locale-independent), which is not the same as comparing
 * lower-cased strings: "ß" accepts "SS", and a title-case letter accepts only its two other forms.
 */

export type IgnoreCaseMode = 'equals' | 'prefix' | 'suffix';

const REGEX_SYNTAX = /[\\^$.*+?()[\]{}|/]/g;

export function ignoreCaseMatcher(pattern: string, mode: IgnoreCaseMode): (value: string) => boolean {
  let body = '';
  for (const ch of pattern) {
    const lower = escape(ch.toLowerCase());
    const upper = escape(ch.toUpperCase());
    body += lower === upper ? lower : `(?:${lower}|${upper})`;
  }
  const source = mode === 'equals' ? `^${body}$` : mode === 'prefix' ? `^${body}` : `${body}$`;
  const regex = new RegExp(source, 'u');
  return (value) => regex.test(value);
}

function escape(text: string): string {
  return text.replace(REGEX_SYNTAX, '\\$&');
}
