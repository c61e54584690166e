// Opens the Aspire dashboard's resources page and waits until every expected resource is listed as
// Running and none is unhealthy, keeps a screenshot, and prints the page's text.
// Usage: node dashboard-resources.mjs <dashboard url> <screenshot.png> <resource,resource,...>
import { chromium } from 'playwright-core';

const [, , dashboard, screenshot, resources] = process.argv;
const expected = resources.split(',');
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(dashboard);
  await page.waitForFunction(
    (names) => {
      const rows = [...document.querySelectorAll('[role="row"]')].map((r) => r.innerText.split('\n').map((t) => t.trim()));
      return names.every((n) => rows.some((cells) => cells[0] === n && cells.includes('Running')))
        && !document.body.innerText.includes('Unhealthy');
    },
    expected,
    { timeout: 120_000 },
  );
  await page.screenshot({ path: screenshot });
  console.log(await page.innerText('body'));
} finally {
  await browser.close();
}
