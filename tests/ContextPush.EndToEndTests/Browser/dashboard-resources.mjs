// Opens the Aspire dashboard's resources page and waits until every expected resource is listed as
// Running and none is unhealthy, keeps a screenshot, and prints the page's text.
// Usage: node dashboard-resources.mjs <dashboard url> <screenshot.png> <resource,resource,...>
import { withPage } from './chromium.mjs';

const [, , dashboard, screenshot, resources] = process.argv;
const allRunning = (names) => {
  const rows = [...document.querySelectorAll('[role="row"]')].map((r) => r.innerText.split('\n').map((t) => t.trim()));
  return names.every((n) => rows.some((cells) => cells[0] === n && cells.includes('Running')))
    && !document.body.innerText.includes('Unhealthy');
};

await withPage(async (page) => {
  // The dashboard's Blazor circuit has been seen to die while resources start (a disposed
  // Virtualize interop); the page then never updates, so a fresh load gets another look, as a person
  // would reload. The check itself is the same on every load.
  // The services start one after another (each waits for the next stage's queues), which a loaded
  // two-core CI machine has been seen to take over 100 s to finish.
  const deadline = Date.now() + 200_000;
  let failure;
  try {
    do {
      try {
        await page.goto(dashboard);
        await page.waitForFunction(allRunning, resources.split(','), { timeout: Math.max(1_000, Math.min(35_000, deadline - Date.now())) });
        failure = undefined;
      } catch (e) {
        failure = e;
      }
    } while (failure && Date.now() < deadline);
    if (failure) throw failure;
  } finally {
    await page.screenshot({ path: screenshot });
    console.log(await page.innerText('body'));
  }
});
