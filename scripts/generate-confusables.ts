/**
 * Writes shared/privacy/generated/confusables-latin.ts: the part of Unicode's confusables table
 * (the `unhomoglyph` package) that the sensitive classifier uses, a few KB instead of the
 * package's 115 KB in every bundle that classifies text. `--check` fails when the file differs
 * from what it would write (a test does the same).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFUSABLES_LATIN_FILE, confusablesLatinSource } from '../shared/privacy/confusables-latin-source';
import { defineCommand, runCommand } from './cli';

export const command = defineCommand({
  name: 'npm run generate:confusables',
  summary: `derive ${CONFUSABLES_LATIN_FILE} from the unhomoglyph package's confusables table.`,
  usage: ['[--check]'],
  flags: {
    check: { type: 'boolean', description: 'write nothing; exit 1 if the file is out of date' },
  },
  examples: ['npm run generate:confusables', 'npm run generate:confusables -- --check'],
});

if (require.main === module) {
  runCommand(command, ({ values }) => {
    const file = join(__dirname, '..', CONFUSABLES_LATIN_FILE);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the package's JSON, read by the generator only
    const text = confusablesLatinSource(require('unhomoglyph/data.json') as Record<string, string>);
    const current = readFileSync(file, 'utf8');
    if (values.check) {
      if (current !== text) {
        process.stderr.write(`${CONFUSABLES_LATIN_FILE} is out of date: run npm run generate:confusables\n`);
        return 1;
      }
      process.stdout.write(`${CONFUSABLES_LATIN_FILE}: up to date\n`);
      return 0;
    }
    if (current === text) {
      process.stdout.write('everything was up to date\n');
      return 0;
    }
    writeFileSync(file, text);
    process.stdout.write(`wrote ${CONFUSABLES_LATIN_FILE} (${text.length} characters)\n`);
    return 0;
  });
}
