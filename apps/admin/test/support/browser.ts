import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Where screenshots go (gitignored; CI keeps them as artifacts). */
export const ARTIFACTS_DIR = fileURLToPath(
  new URL('../../../../test-artifacts/e2e/', import.meta.url),
);

/** Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it when missing). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launch headless Chromium the way a container allows it (no sandbox, no GPU). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Empty the screenshot folder, so it shows this run only. */
export async function resetArtifacts(): Promise<void> {
  await rm(ARTIFACTS_DIR, { recursive: true, force: true });
}

/** Save a full-page screenshot as `test-artifacts/e2e/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}

/** Wait until the element with `testId` shows exactly `text`. */
export async function waitForText(page: Page, testId: string, text: string): Promise<void> {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await page
    .getByTestId(testId)
    .filter({ hasText: new RegExp(`^\\s*${escaped}\\s*$`) })
    .waitFor();
}
