/**
 * The HTML report, loaded in headless Chromium: every chart is drawn (SVG paths with real
 * coordinates, not empty or collapsed), each baseline has its legend entry, and the page asks the
 * network for nothing.
 */
import { loadConfig } from '../../../shared/config';
import { BASELINE_NAMES } from '../../../shared/evaluation/evaluate';
import { renderHtmlReport } from '../../../shared/evaluation/report-html';
import { evaluatePrepared, prepareHistory } from '../../../shared/evaluation/run-evaluation';
import { launchChromium } from '../../fixtures/chromium';
import { syntheticStore } from './synthetic-store';

test('the HTML report renders its charts in headless Chromium, offline', async () => {
  const config = loadConfig();
  const session = { gapMinutes: 30 };
  const store = syntheticStore({ customers: 40, sessionsPerCustomer: 6, seed: 2, addRate: 0.3, purchaseAfterAdd: 0.6, purchaseWithoutAdd: 0.05 });
  const prepared = await prepareHistory({ name: 'store.jsonl', text: store.lines.join('\n'), format: 'segment' }, config, session);
  const report = await evaluatePrepared(prepared, config, { intent: 'buy', seed: 1, replicates: 50, session });
  const html = renderHtmlReport(report);

  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.setContent(html, { waitUntil: 'load' });
    expect(requests.filter((u) => !u.startsWith('data:') && u !== 'about:blank')).toEqual([]);

    for (const id of ['roc', 'pr', 'lead-time', 'thresholds', 'features']) {
      const box = await page.locator(`#${id} svg`).boundingBox();
      expect(box?.width).toBeGreaterThan(300);
      expect(box?.height).toBeGreaterThan(100);
    }
    // Each curve is a path through several distinct points inside the plot.
    const curves = await page.$$eval('#roc path.series, #pr path.series', (paths) =>
      paths.map((p) => ({
        name: p.getAttribute('data-series'),
        points: new Set((p.getAttribute('d') ?? '').match(/-?\d+(\.\d+)? -?\d+(\.\d+)?/g)).size,
        // The DOM's SVGPathElement, which the project's types (Node only) do not declare.
        length: (p as unknown as { getTotalLength(): number }).getTotalLength(),
      })),
    );
    const names = [report.model.name, ...Object.values(BASELINE_NAMES)];
    expect(curves.map((c) => c.name)).toEqual([...names, ...names]);
    for (const c of curves) {
      expect(c.points).toBeGreaterThanOrEqual(2);
      expect(c.length).toBeGreaterThan(50);
    }
    const legend = await page.$$eval('#roc .legend-entry text', (ts) => ts.map((t) => t.textContent));
    expect(legend).toEqual(names);
    expect(await page.locator('#lead-time .bar').count()).toBe(report.model.leadTimeMinutes.histogram.length);
    expect(await page.locator('#features .feature').count()).toBe(report.topFeatures.length);
    expect(await page.locator('#thresholds path.series').count()).toBe(2);
    expect(await page.locator('table tbody tr').count()).toBe(1 + report.baselines.length);
  } finally {
    await browser.close();
  }
});
