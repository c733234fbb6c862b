import type { Page } from 'playwright-core';
import type { PlatformServer } from './platform-server.ts';

/** What the tests read in the page (the root tsconfig has no DOM types). */
interface BrowserGlobals {
  location: { hash: string };
  e2eMarker?: boolean;
}

/** Sign in through the login page and wait for the panel with /sync connected. */
export async function signIn(page: Page, server: PlatformServer): Promise<void> {
  await page.goto(`${server.url}/admin/`);
  await page.getByTestId('login-email').fill(server.adminEmail);
  await page.getByTestId('login-password').fill(server.adminPassword);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('live-status').filter({ hasText: 'live' }).waitFor();
}

/** Go to a page of the panel through its menu (a hash change: no reload). */
export async function openPage(page: Page, route: string): Promise<void> {
  await page.getByTestId(`nav-${route}`).click();
  await page.waitForFunction(
    (r) => (globalThis as unknown as BrowserGlobals).location.hash === `#/${r}`,
    route,
  );
}

/** Mark the document; {@link wasReloaded} tells whether it was replaced since. */
export async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => {
    (globalThis as unknown as BrowserGlobals).e2eMarker = true;
  });
}

/** True when the page was reloaded or navigated away since {@link markDocument}. */
export async function wasReloaded(page: Page): Promise<boolean> {
  return page.evaluate(() => (globalThis as unknown as BrowserGlobals).e2eMarker !== true);
}

/** Chat in the playground as `user` and send `/start`; resolves with the reply keyboard labels. */
export async function startChat(
  page: Page,
  user: { id: number; firstName: string },
): Promise<string[]> {
  await openPage(page, 'playground');
  await page.getByTestId('test-user-id').fill(String(user.id));
  await page.getByTestId('test-user-name').fill(user.firstName);
  await page.getByTestId('test-user-apply').click();
  const botMessages = page.getByTestId('chat-bot');
  const before = await botMessages.count();
  await page.getByTestId('chat-start').click();
  await botMessages.nth(before).waitFor();
  return page.getByTestId('reply-button').allTextContents();
}
