/**
 * `npm run fit` on a synthetic store where cart adds cause purchases: the fitted weight of an add
 * is positive and larger than any view's, the output is an ordinary configuration with its
 * provenance, `evaluate --held-out` reproduces the provenance's figures, the threshold follows the
 * rule asked for, and the same input and seed give the same file.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../shared/config';
import { DEFAULT_FIT, fitScoring, type FitSettings } from '../../../shared/evaluation/fit';
import { evaluatePrepared, prepareHistory, sha256 } from '../../../shared/evaluation/run-evaluation';
import { main as fitMain, parseFitArgs } from '../../../scripts/fit';
import { main as evaluateMain } from '../../../scripts/evaluate';
import { runCli } from './run-cli';
import { syntheticStore } from './synthetic-store';

const store = syntheticStore({ customers: 100, sessionsPerCustomer: 6, seed: 11, addRate: 0.3, purchaseAfterAdd: 0.7, purchaseWithoutAdd: 0.03 });
const text = store.lines.join('\n');
const session = { gapMinutes: 30 };
const base = loadConfig();
const settings: FitSettings = {
  ...DEFAULT_FIT,
  halfLivesMinutes: [10, 60],
  recencyHalfLivesMinutes: [30],
  intent: 'buy',
  seed: 3,
  replicates: 100,
  session,
};

describe('fit', () => {
  let prepared: Awaited<ReturnType<typeof prepareHistory>>;
  beforeAll(async () => {
    prepared = await prepareHistory({ name: 'store.jsonl', text, format: 'segment' }, base, session);
  });

  it('learns that adds predict purchases: a positive weight on adds, larger than on any view', async () => {
    const r = await fitScoring(prepared, base, settings);
    const add = r.coefficients['event:Product Added'];
    expect(add).toBeGreaterThan(0);
    for (const view of ['focus:product', 'focus:category', 'breadth']) expect(add).toBeGreaterThan(r.coefficients[view]);
    expect(r.patch.scoring.eventWeights?.['Product Added']?.buy).toBe(add);
    // Views are represented by focus and breadth.
    expect(r.patch.scoring.eventWeights?.['Product Viewed']?.buy).toBe(0);
    // What the history lacks keeps its prior.
    expect(r.priors).toContain('event:Checkout Started');
    expect(r.patch.scoring.eventWeights?.['Checkout Started']?.buy).toBe(base.scoring.eventWeights['Checkout Started'].buy);
    expect(r.grid).toHaveLength(2);
    // The intercept becomes the base log-odds: the fitted score is the regression's probability, and
    // the threshold sits above the score of a customer with no evidence (the base rate alone opens nothing).
    const baseLogOdds = r.config.scoring.intents.buy.baseLogOdds as number;
    expect(baseLogOdds).toBe(r.intercept);
    expect(r.config.scoring.intents.buy.threshold).toBeGreaterThan(1 / (1 + Math.exp(-baseLogOdds)));
    const p = r.patch.scoring.provenance?.buy;
    expect(p?.input).toEqual({ name: 'store.jsonl', sha256: sha256(text), signals: store.lines.length, customers: 100, sessions: expect.any(Number) });
    expect((p?.split?.trainCustomers ?? 0) + (p?.split?.testCustomers ?? 0)).toBe(100);
    expect(p?.heldOut?.rocAuc).toBe(r.heldOut.model.rocAuc.value);
    // Adds are the cause: the fitted model ranks held-out sessions well and beats the counts.
    expect(r.heldOut.model.rocAuc.value).toBeGreaterThan(0.8);
  });

  it('chooses the threshold from an alert budget or a target precision, not a constant', async () => {
    const tight = await fitScoring(prepared, base, { ...settings, threshold: { rule: 'alert-budget', value: 40 } });
    const loose = await fitScoring(prepared, base, { ...settings, threshold: { rule: 'alert-budget', value: 400 } });
    const precise = await fitScoring(prepared, base, { ...settings, threshold: { rule: 'target-precision', value: 0.9 } });
    const t = (r: typeof tight) => r.config.scoring.intents.buy.threshold;
    expect(t(tight)).toBeGreaterThan(t(loose));
    expect(t(precise)).toBeGreaterThan(t(loose));
    expect(tight.patch.scoring.provenance?.buy?.threshold).toEqual({ rule: 'alert-budget', value: 40 });
  });

  it('writes an ordinary configuration file that evaluate --held-out reproduces, the same for the same seed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm-fit-'));
    const input = join(dir, 'history.jsonl');
    writeFileSync(input, text);
    const out = (name: string) => join(dir, name);
    const fit = (name: string) => runCli(fitMain, ['--input', input, '--output', out(name), '--seed', '3', '--replicates', '100', '--half-lives', '10,60', '--recency-half-lives', '30']);
    expect((await fit('a.json')).code).toBe(0);
    expect((await fit('b.json')).code).toBe(0);
    expect(readFileSync(out('a.json'), 'utf8')).toBe(readFileSync(out('b.json'), 'utf8'));

    const config = loadConfig({ file: out('a.json') });
    const provenance = config.scoring.provenance?.buy;
    expect(config.scoring.version).toMatch(/^fit-buy-[0-9a-f]{8}-s3$/);
    const r = await evaluatePrepared(await prepareHistory({ name: input, text, format: 'segment' }, config, session), config, { intent: 'buy', seed: 3, replicates: 100, session, heldOut: true });
    expect(r.model.rocAuc.value).toBe(provenance?.heldOut.rocAuc);
    expect(r.model.f1?.value).toBe(provenance?.heldOut.f1);

    const evaluated = await runCli(evaluateMain, ['--input', input, '--config', out('a.json'), '--held-out', '--replicates', '50']);
    expect(evaluated.code).toBe(0);
    expect(evaluated.stdout).toContain('held-out customers');
    writeFileSync(join(dir, 'other.jsonl'), `${text}\n`);
    const mismatch = await runCli(evaluateMain, ['--input', join(dir, 'other.jsonl'), '--config', out('a.json'), '--held-out']);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain('is not the one the configuration was fitted on');
  });

  it('names what is wrong with the command line', () => {
    expect(() => parseFitArgs(['--input', 'x'])).toThrow('--output is required');
    expect(() => parseFitArgs(['--input', 'x', '--output', 'y', '--target-precision', '1.5'])).toThrow('--target-precision must be a number between 0 and 1');
    expect(() => parseFitArgs(['--input', 'x', '--output', 'y', '--target-precision', '0.5', '--alert-budget', '10'])).toThrow('alternatives');
    expect(() => parseFitArgs(['--input', 'x', '--output', 'y', '--half-lives', '10,0'])).toThrow('--half-lives must be a comma-separated list of minutes');
  });
});
