// Debian's Chromium, driven by playwright-core: never a browser of playwright's own. The flags keep
// it from reaching for Google's services, which this machine's closed network refuses.
import { chromium } from 'playwright-core';

export async function withPage(action) {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    return await action(await browser.newPage({ viewport: { width: 1600, height: 1000 } }));
  } finally {
    await browser.close();
  }
}
