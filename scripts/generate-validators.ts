/**
 * Compiles the contract schemas into standalone validator code (ajv's standalone mode), written to
 * shared/contracts/generated/validators.js. The functions then carry a few KB of generated code
 * instead of ajv's compiler (about 130 KB minified with its URI parser and formats), and compile
 * nothing at cold start.
 *
 *   npm run generate:validators          writes the file
 *   npm run generate:validators -- --check   fails if the file differs from the schemas (a test runs this)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateValidatorSource, VALIDATORS_FILE } from '../shared/contracts/generate';

function main(): void {
  const check = process.argv.includes('--check');
  const file = join(__dirname, '..', VALIDATORS_FILE);
  const source = generateValidatorSource();
  if (check) {
    const current = readFileSync(file, 'utf8');
    if (current !== source) {
      console.error(`${VALIDATORS_FILE} is out of date with shared/contracts/schemas: run npm run generate:validators`);
      process.exit(1);
    }
    console.log(`${VALIDATORS_FILE} is up to date`);
    return;
  }
  writeFileSync(file, source);
  console.log(`wrote ${VALIDATORS_FILE} (${source.length} characters)`);
}

main();
