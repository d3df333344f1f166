/**
 * `npm start` end to end, as a user runs it: Ctrl-C in the middle of a run, and the live console
 * in headless Chromium against the JSON report of the same run.
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../fixtures/chromium';
import { killGroup, startNpmStart, type StartedRun } from '../../fixtures/npm-start';

const SHORT_RUN = ['--customers', '30', '--rate', '20', '--seed', '5'];

let run: StartedRun | undefined;
afterEach(() => {
  if (run) killGroup(run);
  run = undefined;
});

test('Ctrl-C to the process group: the emulators outlive it, what was sent drains, the report adds up, exit 130', async () => {
  run = startNpmStart([...SHORT_RUN, '--duration', '60', '--no-console']);
  await run.waitFor(/simulating 30 customers/);
  // Let a few seconds of signals reach the stream, then interrupt mid-run.
  await run.waitFor(/\[\s+5 s\] sent [1-9]/);
  run.interrupt();
  expect(await run.exited).toBe(130);
  const report = run.report();
  expect(report.counts.put).toBeGreaterThan(0);
  expect(report.counts.put).toBeLessThan(20 * 60); // stopped early
  expect(report.counts.addsUp).toBe(true);
  expect(report.counts.put).toBe(report.counts.enrich.enriched + report.counts.enrich.quarantined + Object.values(report.counts.enrich.droppedByPolicy).reduce((a, b) => a + b, 0) + report.counts.enrich.onFailureRecords);
  expect(run.stdout()).toMatch(/ adds up: /);
  expect(run.stdout()).not.toMatch(/DOES NOT ADD UP/);
  expect(run.stderr()).not.toMatch(/ECONNREFUSED|not everything was processed/);
}, 180_000);

async function shown(page: Page, key: string): Promise<number> {
  return Number(await page.textContent(`[data-count="${key}"]`));
}

async function reasonsShown(page: Page, list: string): Promise<Record<string, number>> {
  return page.$$eval(`[data-by="${list}"] li`, (items) =>
    Object.fromEntries(items.map((li) => [li.getAttribute('data-reason') ?? '', Number(li.querySelector('span')?.textContent)])),
  );
}

const nonZero = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).filter(([, n]) => n > 0));
const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

test('the live console shows the counts of the JSON report, moments with reasons and outcomes, quarantined records; it loads nothing from elsewhere', async () => {
  // With the email channel on (examples/email.json): the console counts every channel's stand-in, email's too.
  run = startNpmStart([...SHORT_RUN, '--duration', '6', '--keep-running', '--config', 'examples/email.json']);
  const url = (await run.waitFor(/live console +(http:\/\/127\.0\.0\.1:\d+\/)/))[1];
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(url);
    // While the run goes on, the page is live.
    await page.waitForSelector('[data-state="running"], [data-state="draining"], [data-state="finished"]');

    await run.waitFor(/report written to/);
    await page.waitForSelector('[data-state="finished"]', { timeout: 20_000 });
    const report = run.report();
    const c = report.counts;
    // One more poll after "finished", so the numbers read are those of a snapshot taken after the report.
    await page.waitForTimeout(1_500);

    expect(await shown(page, 'put')).toBe(c.put);
    expect(await shown(page, 'enriched')).toBe(c.enrich.enriched);
    expect(await shown(page, 'quarantined')).toBe(c.enrich.quarantined);
    expect(await shown(page, 'dropped')).toBe(sum(c.enrich.droppedByPolicy));
    expect(await shown(page, 'givenUp')).toBe(c.enrich.onFailureRecords);
    expect(await shown(page, 'moments')).toBe(sum(c.momentsByIntent));
    expect(await shown(page, 'sent')).toBe(sum(c.notificationsSent));
    expect(await shown(page, 'suppressed')).toBe(sum(c.notificationsSuppressed));
    expect(await shown(page, 'notRouted')).toBe(report.moments.filter((m) => m.notRoutedBecause).length);
    expect(c.put).toBeGreaterThan(50);
    expect(await reasonsShown(page, 'quarantined')).toEqual(nonZero(c.quarantinedByCode));
    expect(await reasonsShown(page, 'dropped')).toEqual(nonZero(c.enrich.droppedByPolicy));
    expect(await reasonsShown(page, 'suppressed')).toEqual(nonZero(c.notificationsSuppressed));
    const delivered = Object.fromEntries(Object.entries(c.delivered).map(([channel, d]) => [channel, d.received]));
    expect(Object.keys(delivered).sort()).toEqual(['email', 'push', 'sms', 'webhook']);
    expect(delivered.email).toBe(c.notificationsSent.email ?? 0);
    expect(await shown(page, 'delivered')).toBe(sum(delivered));
    expect(await reasonsShown(page, 'delivered')).toEqual(nonZero(delivered));
    expect(await page.textContent('#addsup')).toContain(`adds up: ${c.put} =`);

    // Moments, newest first, each with its reasons and what happened to it.
    const rows = await page.$$eval('#moments tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect(rows).toHaveLength(Math.min(50, report.moments.length));
    for (const cells of rows) {
      expect(cells[5]).toMatch(/"[^"]+" \d\.\d\d.* from (the trigger|signal \d+ of \d+)/);
      expect(cells[6]).toMatch(/^(\w+ sent|\w+ suppressed: [A-Z_]+|not routed: .+)(, .+)?$/);
    }
    // Quarantined records: why, never what they held.
    const quarantined = await page.$$eval('#quarantine tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(quarantined).toHaveLength(Math.min(50, c.enrich.quarantined));
    expect(await page.$$eval('#latency polyline', (lines) => lines.length)).toBeGreaterThan(0);
    expect(requests.every((r) => r.startsWith(url))).toBe(true);
  } finally {
    await browser?.close();
  }
  run.interrupt();
  // --keep-running ended by Ctrl-C is the normal end of such a run: the whole run is reported again.
  expect([0, 130]).toContain(await run.exited);
  expect(run.stdout()).toMatch(/The whole run, with what was sent while it kept running:[\s\S]* adds up: /);
}, 180_000);
