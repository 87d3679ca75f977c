import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { serviceUnavailable } from '@slipway/testkit';
import { repoRoot } from './harness.js';

const chromiumPath = '/usr/bin/chromium';

/** Where the dashboard tests keep their screenshots (committed). */
export const screenshots = join(repoRoot, 'test-results', 'screenshots');

/** Why the browser tests cannot run here, or undefined; fails instead under SLIPWAY_REQUIRE_SERVICES=1. */
export const noChromium = serviceUnavailable('chromium', () => (existsSync(chromiumPath) ? undefined : `${chromiumPath} does not exist (apt-get install chromium)`));

/** The system Chromium, headless, with a profile of its own and a 1440×900 page that reports page errors. */
export async function launchChromium(profileDir: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1440, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => console.error(`[browser] ${e.message}`));
  mkdirSync(screenshots, { recursive: true });
  return { context, page };
}
