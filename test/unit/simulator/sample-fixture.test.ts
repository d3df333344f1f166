import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultConfig } from '../../../shared/config/defaults';
import { parseSignal } from '../../../shared/contracts';
import { createSimulator } from '../../../local/simulator';

const FIXTURE = join(__dirname, '../../fixtures/signals/sample.jsonl');
const REGENERATE =
  'npm run simulate -- --output test/fixtures/signals/sample.jsonl --seed 42 --start-time 2026-11-23T08:00:00.000Z --customers 60 --rate 10 --duration 20';

describe('test/fixtures/signals/sample.jsonl', () => {
  const lines = readFileSync(FIXTURE, 'utf8').trimEnd().split('\n');

  it('holds about 200 valid Segment-spec signals', () => {
    expect(lines.length).toBeGreaterThan(150);
    expect(lines.length).toBeLessThan(250);
    for (const line of lines) expect(parseSignal(Buffer.from(line, 'utf8'))).toMatchObject({ ok: true });
  });

  it(`is what the simulator makes with its seed and start time (regenerate: ${REGENERATE})`, () => {
    const records = [...createSimulator({ seed: 42, customers: 60, ratePerSecond: 10, durationSeconds: 20, config: defaultConfig, startTime: new Date('2026-11-23T08:00:00.000Z') })];
    const expected = records.filter((r) => r.kind !== 'malformed').map((r) => Buffer.from(r.record).toString('utf8'));
    expect(lines).toEqual(expected);
  });
});
