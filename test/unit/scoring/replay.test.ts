/**
 * Replay: enrich + score over a file of signals, deterministic (byte-identical output for the
 * same input and configuration), with a summary that accounts for every signal. The CLI is run
 * once as a user runs it, through tsx.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../../shared/config';
import { formatSummary, orderLines, parseArgs, runReplay } from '../../../scripts/replay';
import { generateSignals } from './signal-generator';

const run = promisify(execFile);
const config = loadConfig();

describe('replay', () => {
  const lines = generateSignals(3000, { seed: 7 });

  it('gives byte-identical output for the same input and configuration', async () => {
    const a = await runReplay(lines, config, { withScores: true });
    const b = await runReplay(lines, config, { withScores: true });
    expect(a.moments.length).toBeGreaterThan(50);
    expect(a.moments.join('\n')).toBe(b.moments.join('\n'));
    expect(a.scores.join('\n')).toBe(b.scores.join('\n'));
    expect(a.summary).toEqual(b.summary);
  });

  it('accounts for every signal: read = enriched + quarantined + dropped', async () => {
    const { summary, scores } = await runReplay(lines, config, { withScores: true });
    const dropped = Object.values(summary.dropped).reduce((x, y) => x + y, 0);
    expect(summary.signalsRead).toBe(lines.length);
    expect(summary.enriched + summary.quarantined + dropped).toBe(summary.signalsRead);
    expect(summary.quarantined).toBeGreaterThan(0);
    expect(summary.dropped.sensitive).toBeGreaterThan(0);
    expect(summary.dropped['no-consent']).toBeGreaterThan(0);
    expect(scores).toHaveLength(summary.enriched - summary.alreadyApplied);
    expect(formatSummary(summary)).toMatch(/signals read\s+3000\n/);
  });

  it('processes signals in timestamp order whatever the file order', async () => {
    const shuffled = [...lines].reverse();
    const a = await runReplay(lines, config);
    const b = await runReplay(shuffled, config);
    // Same moments; equal timestamps keep file order, so only ties may differ: compare as sets.
    expect([...b.moments].sort()).toEqual([...a.moments].sort());
    const ordered = orderLines(['{"timestamp":"2026-11-23T09:00:00Z"}', 'not json', '', '{"timestamp":"2026-11-23T08:00:00Z"}']);
    expect(ordered.map((l) => l.index)).toEqual([1, 3, 0]);
  });

  it('tries another threshold: a lower go threshold gives more go moments', async () => {
    const base = await runReplay(lines, config);
    const eager = loadConfig({ overrides: { scoring: { intents: { go: { threshold: 0.3 } } } } });
    const more = await runReplay(lines, eager);
    expect(more.summary.moments.go).toBeGreaterThan(base.summary.moments.go);
  });

  it('names the missing or unknown argument', () => {
    expect(() => parseArgs(['--output', 'x'])).toThrow('--input is required');
    expect(() => parseArgs(['--input', 'x'])).toThrow('--output is required');
    expect(() => parseArgs(['--input'])).toThrow('--input needs a value');
    expect(() => parseArgs(['--input', 'a', '--output', 'b', '--fast'])).toThrow('unknown flag --fast');
    expect(parseArgs(['--input', 'a', '--output', 'b', '--config', 'c', '--scores', 'd'])).toEqual({ input: 'a', output: 'b', config: 'c', scores: 'd' });
  });

  it('runs as a command: writes moments and scores, prints the summary, same bytes twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replay-'));
    const input = join(dir, 'signals.jsonl');
    writeFileSync(input, `${generateSignals(500, { seed: 3 }).join('\n')}\n`);
    const cfg = join(dir, 'config.json');
    writeFileSync(cfg, JSON.stringify({ scoring: { intents: { buy: { threshold: 0.5 } } } }));
    const args = (n: number) => ['--import', 'tsx', 'scripts/replay.ts', '--input', input, '--output', join(dir, `m${n}.jsonl`), '--scores', join(dir, `s${n}.jsonl`), '--config', cfg];
    const first = await run(process.execPath, args(1), { cwd: join(__dirname, '../../..') });
    await run(process.execPath, args(2), { cwd: join(__dirname, '../../..') });
    expect(first.stderr).toMatch(/signals read\s+500/);
    expect(first.stderr).toMatch(/moments\s+\d+ \(know: \d+, go: \d+, do: \d+, buy: \d+, life-event: \d+\)/);
    const m1 = readFileSync(join(dir, 'm1.jsonl'));
    expect(m1.length).toBeGreaterThan(0);
    expect(m1.equals(readFileSync(join(dir, 'm2.jsonl')))).toBe(true);
    expect(readFileSync(join(dir, 's1.jsonl')).equals(readFileSync(join(dir, 's2.jsonl')))).toBe(true);
    const moment = JSON.parse(m1.toString().split('\n')[0]);
    expect(moment).toMatchObject({ version: 1, scoringVersion: config.scoring.version });

    await expect(run(process.execPath, ['--import', 'tsx', 'scripts/replay.ts', '--output', 'x'], { cwd: join(__dirname, '../../..') })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--input is required'),
    });
  });
});
