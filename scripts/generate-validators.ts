/**
 * Compiles the contract schemas into standalone validator code (ajv's standalone mode), written to
 * shared/contracts/generated/validators.js. The functions then carry a few KB of generated code
 * instead of ajv's compiler (about 130 KB minified with its URI parser and formats), and compile
 * nothing at cold start. `--check` (a test runs it) fails when the file differs from the schemas.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateValidatorSource, VALIDATORS_FILE } from '../shared/contracts/generate';
import { defineCommand, runCommand } from './cli';

export const command = defineCommand({
  name: 'npm run generate:validators',
  summary: `compile the contract schemas (shared/contracts/schemas) into ${VALIDATORS_FILE}.`,
  usage: ['[--check]'],
  flags: {
    check: { type: 'boolean', description: 'write nothing; exit 1 if the file is out of date with the schemas' },
  },
  examples: ['npm run generate:validators', 'npm run generate:validators -- --check'],
});

if (require.main === module) {
  runCommand(command, ({ values }) => {
    const file = join(__dirname, '..', VALIDATORS_FILE);
    const source = generateValidatorSource();
    if (values.check) {
      if (readFileSync(file, 'utf8') !== source) {
        process.stderr.write(`${VALIDATORS_FILE} is out of date with shared/contracts/schemas: run npm run generate:validators\n`);
        return 1;
      }
      process.stdout.write(`${VALIDATORS_FILE} is up to date\n`);
      return 0;
    }
    writeFileSync(file, source);
    process.stdout.write(`wrote ${VALIDATORS_FILE} (${source.length} characters)\n`);
    return 0;
  });
}
