// Opens the Aspire dashboard's resources page and waits until every expected resource is listed as
// Running and none is unhealthy, keeps a screenshot, and prints the page's text.
// Usage: node dashboard-resources.mjs <dashboard url> <screenshot.png> <resource,resource,...>
import { withPage } from './chromium.mjs';

const [, , dashboard, screenshot, resources] = process.argv;
await withPage(async (page) => {
  await page.goto(dashboard);
  try {
    await page.waitForFunction(
      (names) => {
        const rows = [...document.querySelectorAll('[role="row"]')].map((r) => r.innerText.split('\n').map((t) => t.trim()));
        return names.every((n) => rows.some((cells) => cells[0] === n && cells.includes('Running')))
          && !document.body.innerText.includes('Unhealthy');
      },
      resources.split(','),
      { timeout: 120_000 },
    );
  } finally {
    await page.screenshot({ path: screenshot });
    console.log(await page.innerText('body'));
  }
});
