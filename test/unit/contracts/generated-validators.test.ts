import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateValidatorSource, VALIDATORS_FILE } from '../../../shared/contracts/generate';
import { validateSignal } from '../../../shared/contracts';

describe('generated validators', () => {
  it('are what the schemas compile to today (run npm run generate:validators after a schema change)', () => {
    const committed = readFileSync(join(__dirname, '..', '..', '..', VALIDATORS_FILE), 'utf8');
    expect(committed).toBe(generateValidatorSource());
  });

  it('still name the field and the rule', () => {
    const r = validateSignal({ type: 'track', event: 'Product Viewed', messageId: 'm-1', timestamp: '2026-11-23T12:00:00Z', userId: 'u', context: { timezone: 7 } });
    expect(r).toEqual({ ok: false, error: 'Signal.context.timezone: must be string (type)' });
  });
});
