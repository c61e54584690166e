// Opens one trace in the Aspire dashboard the way on-call does, waits until the waterfall shows spans
// of every expected service, keeps a screenshot, and prints what the page shows (one line per text node).
// Usage: node dashboard-trace.mjs <dashboard url> <browser token or -> <trace id> <screenshot.png> <service,service,...>
import { chromium } from 'playwright-core';

const [, , dashboard, token, traceId, screenshot, services] = process.argv;
const expected = services.split(',');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  if (token !== '-') {
    // The login link the AppHost prints, as a person would follow it: it sets the session cookie.
    await page.goto(new URL(`/login?t=${token}`, dashboard).toString());
  }
  await page.goto(new URL(`/traces/detail/${traceId}`, dashboard).toString());
  // Blazor renders after the page loads, and the spans arrive over its circuit: wait for the content itself.
  await page.waitForFunction(
    (names) => {
      const lines = document.body.innerText.split('\n').map((l) => l.trim());
      return lines.some((l) => l.startsWith('Total spans')) && names.every((n) => lines.includes(n));
    },
    expected,
    { timeout: 60_000 },
  );
  await page.screenshot({ path: screenshot });
  console.log(await page.innerText('body'));
} finally {
  await browser.close();
}
