// Opens one page of the Aspire dashboard the way on-call does, waits until every expected line of
// text is on it (Blazor renders after the page loads, and the data arrives over its circuit), keeps
// a screenshot, and prints what the page shows.
// Usage: node dashboard-page.mjs <dashboard url> <browser token or -> <path> <screenshot.png> <line|line|...>
import { chromium } from 'playwright-core';

const [, , dashboard, token, path, screenshot, lines] = process.argv;
const expected = lines.split('|');
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
  await page.goto(new URL(path, dashboard).toString());
  try {
    await page.waitForFunction(
      (wanted) => {
        const shown = document.body.innerText.split('\n').map((l) => l.trim());
        return wanted.every((w) => shown.includes(w));
      },
      expected,
      { timeout: 60_000 },
    );
  } finally {
    await page.screenshot({ path: screenshot });
    console.log(await page.innerText('body'));
  }
} finally {
  await browser.close();
}
