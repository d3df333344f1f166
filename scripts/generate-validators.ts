/**
 * Writes the channel names (shared/contracts/channel-names.ts) into the contract schemas' channel
 * enums, then compiles the schemas into standalone validator code (ajv's standalone mode), written
 * to shared/contracts/generated/validators.js. The functions then carry a few KB of generated code
 * instead of ajv's compiler (about 130 KB minified with its URI parser and formats), and compile
 * nothing at cold start. `--check` (a test runs it) fails when a file differs from what it would write.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedSchemaTexts, generateValidatorSource, SCHEMAS_FOLDER, VALIDATORS_FILE } from '../shared/contracts/generate';
import { defineCommand, runCommand } from './cli';

export const command = defineCommand({
  name: 'npm run generate:validators',
  summary: `write the channel names into the contract schemas (${SCHEMAS_FOLDER}) and compile them into ${VALIDATORS_FILE}.`,
  usage: ['[--check]'],
  flags: {
    check: { type: 'boolean', description: 'write nothing; exit 1 if a schema or the validators file is out of date' },
  },
  examples: ['npm run generate:validators', 'npm run generate:validators -- --check'],
});

if (require.main === module) {
  runCommand(command, ({ values }) => {
    const root = join(__dirname, '..');
    const files: [string, string][] = [
      ...Object.entries(generatedSchemaTexts(root)).map(([name, text]): [string, string] => [join(SCHEMAS_FOLDER, name), text]),
      [VALIDATORS_FILE, generateValidatorSource(root)],
    ];
    const stale = files.filter(([file, text]) => readFileSync(join(root, file), 'utf8') !== text);
    if (values.check) {
      for (const [file] of stale) process.stderr.write(`${file} is out of date (channel names or schemas changed): run npm run generate:validators\n`);
      if (stale.length > 0) return 1;
      process.stdout.write(`${files.map(([f]) => f).join(', ')}: up to date\n`);
      return 0;
    }
    for (const [file, text] of stale) {
      writeFileSync(join(root, file), text);
      process.stdout.write(`wrote ${file} (${text.length} characters)\n`);
    }
    if (stale.length === 0) process.stdout.write('everything was up to date\n');
    return 0;
  });
}
