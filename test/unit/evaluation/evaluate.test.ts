/**
 * `npm run evaluate` on synthetic stores with known answers: the real enrich and score code over
 * history dated far from today (the clock is the recording's), sessions and left-out sessions
 * counted as made, the cart-add rule exact where adds are the only cause, a configuration that
 * scores adds only catching every purchase, and a byte-identical report for the same seed.
 */
import { loadConfig } from '../../../shared/config';
import { BASELINE_NAMES } from '../../../shared/evaluation/evaluate';
import { evaluatePrepared, prepareHistory } from '../../../shared/evaluation/run-evaluation';
import { main, parseEvaluateArgs } from '../../../scripts/evaluate';
import { runCli } from './run-cli';
import { syntheticStore } from './synthetic-store';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const session = { gapMinutes: 30 };
const run = { intent: 'buy' as const, seed: 1, replicates: 200, session };
// Adds are the only cause of purchases: every add session buys, no other session does.
const store = syntheticStore({ customers: 60, sessionsPerCustomer: 8, seed: 5, addRate: 0.3, purchaseAfterAdd: 1, purchaseWithoutAdd: 0, purchaseFirstRate: 0.05 });
const text = store.lines.join('\n');

describe('evaluate', () => {
  const config = loadConfig();

  it('runs the real pipeline on old history with the clock set to the recording, and counts sessions as made', async () => {
    const prepared = await prepareHistory({ name: 'store', text, format: 'segment' }, config, session);
    const r = await evaluatePrepared(prepared, config, run);
    expect(r.pipeline.enriched).toBe(store.lines.length);
    expect(r.pipeline.quarantined).toEqual({});
    expect(r.sessions.leftOut['outcome-first']).toEqual({ sessions: store.purchaseFirst, positives: store.purchaseFirst });
    expect(r.sessions.evaluated).toBe(store.sessions - store.purchaseFirst);
    expect(r.sessions.positives).toBe(store.positives - store.purchaseFirst);
    expect(r.sessions.customers).toBe(60);
    const rule = r.baselines.find((b) => b.name === BASELINE_NAMES.cartRule);
    expect(rule?.f1?.value).toBe(1);
    expect(rule?.rocAuc.value).toBe(1);
    expect(r.baselines.map((b) => b.name)).toEqual(Object.values(BASELINE_NAMES));
    for (const f of [r.model, ...r.baselines]) expect(f.rocAuc.low).toBeLessThanOrEqual(f.rocAuc.value);
  });

  it('catches every purchase, minutes ahead, when adds alone open a buy moment', async () => {
    const addsOnly = loadConfig({
      overrides: {
        scoring: {
          version: 'adds-only',
          eventWeights: { 'Product Viewed': { buy: 0 }, 'Product Added': { buy: 2 } },
          behaviour: {
            focusProduct: { buy: 0 },
            focusCategory: { buy: 0 },
            breadth: { buy: 0 },
            cartItems: { weights: { buy: 0 } },
            recency: { weights: { buy: 0 } },
            priorPurchases: { weights: { buy: 0 } },
          },
        },
      },
    });
    const prepared = await prepareHistory({ name: 'store', text, format: 'segment' }, addsOnly, session);
    const r = await evaluatePrepared(prepared, addsOnly, run);
    expect(r.scoringVersion).toBe('adds-only');
    expect(r.model.precision?.value).toBe(1);
    expect(r.model.recall?.value).toBe(1);
    expect(r.model.rocAuc.value).toBe(1);
    expect(r.model.alertsPer1000Sessions?.value).toBeCloseTo((1000 * r.sessions.positives) / r.sessions.evaluated, 3);
    // The add comes 30 s to 5 min before the purchase.
    expect(r.model.leadTimeMinutes.q1).toBeGreaterThanOrEqual(0.5);
    expect(r.model.leadTimeMinutes.q3).toBeLessThanOrEqual(5);
    expect(r.model.leadTimeMinutes.count).toBe(r.sessions.positives);
  });

  it('ranks sessions by their highest score, and reports the score at their last signal beside it', async () => {
    // Browsers add first and then look around widely (no purchase); buyers look once, add and buy.
    const line = (user: string, n: number, minute: number, event: string, product: string) =>
      JSON.stringify({
        type: 'track',
        event,
        messageId: `${user}-${n}`,
        userId: user,
        timestamp: new Date(Date.UTC(2019, 9, 1, 0, minute)).toISOString(),
        properties: { product_id: product, category: `c-${product}` },
        context: { consent: { categoryPreferences: { personalization: true } } },
      });
    const lines: string[] = [];
    for (const u of ['browser-1', 'browser-2']) {
      lines.push(line(u, 0, 0, 'Product Added', 'p0'));
      for (let k = 1; k <= 6; k++) lines.push(line(u, k, k, 'Product Viewed', `p${k}`));
    }
    for (const u of ['buyer-1', 'buyer-2']) lines.push(line(u, 0, 0, 'Product Viewed', 'p1'), line(u, 1, 1, 'Product Added', 'p1'), line(u, 2, 2, 'Order Completed', 'p1'));
    const peaked = loadConfig({
      overrides: {
        scoring: {
          version: 'peaked',
          intents: { buy: { halfLifeMinutes: 600, baseLogOdds: -2 } },
          eventWeights: { 'Product Viewed': { buy: 0 }, 'Product Added': { buy: 2 } },
          behaviour: { focusProduct: { buy: 0 }, focusCategory: { buy: 0 }, breadth: { buy: -1 }, cartItems: { weights: { buy: 0 } }, recency: { weights: { buy: 0 } }, priorPurchases: { weights: { buy: 0 } } },
        },
      },
    });
    const prepared = await prepareHistory({ name: 'peaked', text: lines.sort((x, y) => JSON.parse(x).timestamp.localeCompare(JSON.parse(y).timestamp)).join('\n'), format: 'segment' }, peaked, session);
    const r = await evaluatePrepared(prepared, peaked, run);
    expect(r.sessions).toMatchObject({ evaluated: 4, positives: 2 });
    // Highest: the browsers' add alone (2) beats the buyers' view and add (-1 + 2, barely decayed).
    expect(r.model.rocAuc.value).toBe(0);
    // Last: the browsers' six new categories have taken it to 2 - 6 (nearly), below the buyers' 1.
    expect(r.model.atLastSignal.rocAuc.value).toBe(1);
  });

  it('writes the same report, byte for byte, for the same input and seed (and says so on the command line)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm-evaluate-'));
    const input = join(dir, 'history.jsonl');
    writeFileSync(input, text);
    const once = async (name: string) => {
      const out = await runCli(main, ['--input', input, '--replicates', '100', '--report-json', join(dir, `${name}.json`), '--html', join(dir, `${name}.html`)]);
      expect(out.code).toBe(0);
      return out;
    };
    const a = await once('a');
    await once('b');
    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe(readFileSync(join(dir, 'b.json'), 'utf8'));
    expect(readFileSync(join(dir, 'a.html'), 'utf8')).toBe(readFileSync(join(dir, 'b.html'), 'utf8'));
    expect(a.stdout).toMatch(/logistic regression on counts +[01]\.\d{3} \[/);
  });

  it('names what is wrong with the command line, and exits 2', async () => {
    expect(() => parseEvaluateArgs([])).toThrow('--input is required');
    expect(() => parseEvaluateArgs(['--input', 'x', '--intent', 'purchase'])).toThrow('--intent must be one of know, go, do, buy, got purchase');
    expect(() => parseEvaluateArgs(['--input', 'x', '--nope'])).toThrow('unknown flag --nope');
    const out = await runCli(main, ['--format', 'csv', '--input', 'x']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--format must be one of segment, taobao, rees46');
    expect((await runCli(main, ['--help'])).stdout).toContain('npm run evaluate --');
    const noOutcome = await runCli(main, ['--input', __filename, '--intent', 'go']);
    expect(noOutcome.code).toBe(1);
    expect(noOutcome.stderr).toContain('set scoring.intents.go.outcomeEvents');
  });
});
