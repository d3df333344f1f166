import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withChannelEnums } from '../../../shared/contracts/channel-enums';
import { CHANNELS } from '../../../shared/contracts/channel-names';
import { generatedSchemaTexts, generateValidatorSource, SCHEMAS_FOLDER, VALIDATORS_FILE } from '../../../shared/contracts/generate';
import { validateSignal } from '../../../shared/contracts';
import { CONSENT_KEYS } from '../../../shared/store/profile';

const ROOT = join(__dirname, '..', '..', '..');

describe('generated validators', () => {
  it('are what the schemas compile to today (run npm run generate:validators after a schema change)', () => {
    const committed = readFileSync(join(ROOT, VALIDATORS_FILE), 'utf8');
    expect(committed).toBe(generateValidatorSource());
  });

  it('still name the field and the rule', () => {
    const r = validateSignal({ type: 'track', event: 'Product Viewed', messageId: 'm-1', timestamp: '2026-11-23T12:00:00Z', userId: 'u', context: { timezone: 7 } });
    expect(r).toEqual({ ok: false, error: 'Signal.context.timezone: must be string (type)' });
  });
});

describe('channel names, declared once (shared/contracts/channel-names.ts)', () => {
  it('every schema file carries them in each channel enum (run npm run generate:validators after changing the names)', () => {
    for (const [file, text] of Object.entries(generatedSchemaTexts())) {
      expect({ file, text: readFileSync(join(ROOT, SCHEMAS_FOLDER, file), 'utf8') }).toEqual({ file, text });
    }
  });

  it('the generator rewrites a stale enum in place and keeps the rest of the text', () => {
    const stale = '{\n  "properties": {\n    "channel": { "type": "string", "enum": ["push", "fax"] },\n    "consent": { "properties": { "channels": { "type": "array", "items": { "enum": [] } } } }\n  }\n}\n';
    const list = JSON.stringify(CHANNELS).replace(/,/g, ', ');
    expect(withChannelEnums(stale, 'x.json')).toBe(stale.replace('["push", "fax"]', list).replace('"enum": []', `"enum": ${list}`));
  });

  it('a channel enum it cannot rewrite fails the generation, naming the file and the place', () => {
    const spread = '{ "properties": { "channel": {\n "enum": ["push"] } } }';
    expect(() => withChannelEnums(spread, 'x.json')).toThrow('x.json/properties/channel/enum');
  });

  it('the PROFILE has a consent key for each channel', () => {
    for (const c of CHANNELS) expect(CONSENT_KEYS[c]).toBe(c);
    expect(Object.keys(CONSENT_KEYS).sort()).toEqual(['locationOffers', 'personalization', ...CHANNELS].sort());
  });
});
