import { launchChromium } from '../fixtures/chromium';

// The page tests (evaluation report, local console) need a working headless Chromium; this one
// fails first, with the install hint, when the machine has none.
test('headless Chromium runs a page script', async () => {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.setContent('<div id="x"></div><script>document.getElementById("x").textContent = String(6 * 7)</script>');
    expect(await page.textContent('#x')).toBe('42');
  } finally {
    await browser.close();
  }
});
