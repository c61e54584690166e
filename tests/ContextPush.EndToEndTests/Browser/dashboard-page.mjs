// Opens one page of the Aspire dashboard the way on-call does, waits until every expected line of
// text is on it (Blazor renders after the page loads, and the data arrives over its circuit), keeps
// a screenshot, and prints what the page shows.
// Usage: node dashboard-page.mjs <dashboard url> <browser token or -> <path> <screenshot.png> <line|line|...>
import { withPage } from './chromium.mjs';

const [, , dashboard, token, path, screenshot, lines] = process.argv;
await withPage(async (page) => {
  if (token !== '-') {
    // The login link the AppHost prints, as a person would follow it: it sets the session cookie.
    await page.goto(new URL(`/login?t=${token}`, dashboard).toString());
  }
  await page.goto(new URL(path, dashboard).toString());
  try {
    await page.waitForFunction(
      (wanted) => {
        const shown = document.body.innerText.split('\n').map((l) => l.trim());
        return wanted.every((w) => shown.includes(w));
      },
      lines.split('|'),
      { timeout: 60_000 },
    );
  } finally {
    await page.screenshot({ path: screenshot });
    console.log(await page.innerText('body'));
  }
});
