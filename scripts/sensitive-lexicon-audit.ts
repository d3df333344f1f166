/**
 * Audits the sensitive lexicon against word lists, for whoever changes it: which ordinary words
 * does it catch? Run with any one-word-a-line lists (Debian's wamerican, wngerman, wspanish,
 * wfrench, witalian, wportuguese and wdutch put them in /usr/share/dict):
 *
 *   npx tsx scripts/sensitive-lexicon-audit.ts [--config FILE] /usr/share/dict/ngerman ...
 *
 * It prints, per term, the listed words it matches beyond its own spelling and plural:
 * - `edit`: one edit away (FUZZY_MIN_LENGTH): a benign one belongs in the category's exceptions;
 * - `stem/part`: by stem or compound part: a benign one means the stem is too short, or needs an
 *   exception.
 * Words are tried one by one, as a product title of one word would be.
 */
import { readFileSync } from 'node:fs';
import { loadConfig } from '../shared/config';
import { compiledSensitive, classifySensitiveText } from '../shared/privacy/sensitive';
import { normaliseText } from '../shared/privacy/text-normalise';

function main(argv: string[]): void {
  const args = [...argv];
  const at = args.indexOf('--config');
  const file = at >= 0 ? args.splice(at, 2)[1] : undefined;
  if (args.length === 0) {
    process.stderr.write('usage: sensitive-lexicon-audit [--config FILE] WORDLIST...\n');
    process.exitCode = 2;
    return;
  }
  const config = loadConfig(file ? { file } : {}).sensitive;
  const lexicon = compiledSensitive(config).terms;
  const found = new Map<string, Map<string, string>>();
  for (const list of args) {
    const name = list.split('/').pop() as string;
    for (const line of readFileSync(list, 'utf8').split('\n')) {
      const word = normaliseText(line);
      if (!word || word.includes(' ')) continue;
      const hit = classifySensitiveText(word, config);
      if (!hit) continue;
      const base = normaliseText(hit.matched.replace(/\*/g, ''));
      if (word === base || word === `${base}s` || word === `${base}es`) continue;
      const how = lexicon.wordsOf(word, false).length > 0 ? 'stem/part' : 'edit';
      const key = `${hit.category}\t${hit.matched}\t${how}`;
      const words = found.get(key) ?? new Map<string, string>();
      words.set(word, name);
      found.set(key, words);
    }
  }
  const rows = [...found].sort((a, b) => a[0].localeCompare(b[0]));
  for (const [key, words] of rows) {
    const sample = [...words].slice(0, 30).map(([w, list]) => `${w} (${list})`);
    process.stdout.write(`${key}\t${words.size}\t${sample.join(', ')}\n`);
  }
  process.stderr.write(`${rows.length} terms match listed words beyond their own spelling\n`);
}

main(process.argv.slice(2));
