import { randomInt } from 'node:crypto';
import type { Page } from 'playwright-core';
import { startChat } from './admin-ui.ts';

/** A Telegram test user. */
export interface TestUser {
  readonly id: number;
  readonly firstName: string;
}

/** A Telegram user no other run uses. */
export function testUser(firstName: string): TestUser {
  return { id: randomInt(700_000_000, 799_999_999), firstName };
}

/**
 * Open the Mini App as `user` with the playground's "Open Mini App as this user" (a new tab
 * with test-signed initData), and wait until it shows the balance and /sync is connected.
 */
export async function openMiniApp(admin: Page, user: TestUser): Promise<Page> {
  await startChat(admin, user);
  const [miniApp] = await Promise.all([
    admin.context().waitForEvent('page'),
    admin.getByTestId('open-mini-app').click(),
  ]);
  await miniApp.getByTestId('balance').waitFor();
  await miniApp.getByTestId('live-status').filter({ hasText: 'live' }).waitFor();
  return miniApp;
}

/** Complete the link task titled `title` in the Mini App ("Done"). */
export async function completeLinkTask(miniApp: Page, title: string): Promise<void> {
  const card = miniApp.locator('li[data-testid^="task-"]').filter({ hasText: title });
  await card.getByRole('button', { name: 'Done' }).click();
  await card.getByText('✓ Completed').waitFor();
}
