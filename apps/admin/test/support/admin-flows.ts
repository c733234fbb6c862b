import type { Locator, Page } from 'playwright-core';
import { openPage } from './admin-ui.ts';

/**
 * The input `<prefix>-<id>` of a saved row whose value is `value` (never the `<prefix>-new`
 * input of the "new" form, which holds the same text until the save succeeds).
 */
export function savedInput(page: Page, prefix: string, value: string): Locator {
  return page
    .locator(`input[data-testid^="${prefix}-"]:not([data-testid="${prefix}-new"])`)
    .and(page.locator(`[value="${value}"]`));
}

/** Add a main-keyboard button (action: show tasks) on the Buttons page; returns its id. */
export async function createButton(page: Page, label: string): Promise<string> {
  await openPage(page, 'buttons');
  await page.getByTestId('button-label-new').fill(label);
  await page.getByTestId('button-action-new').selectOption('tasks');
  await page.getByTestId('button-save-new').click();
  const testId = await savedInput(page, 'button-label', label).getAttribute('data-testid');
  return testId?.replace('button-label-', '') ?? '';
}

/** Add a link task on the Tasks page and wait until it is listed. */
export async function createLinkTask(page: Page, title: string, reward: string): Promise<void> {
  await createTask(page, title, reward, 'link');
}

/** Add a task of `type` (`link` gets a URL) on the Tasks page and wait until it is listed. */
export async function createTask(
  page: Page,
  title: string,
  reward: string,
  type: 'link' | 'manual',
): Promise<void> {
  await openPage(page, 'tasks');
  await page.getByTestId('task-title-new').fill(title);
  await page.getByTestId('task-reward-new').fill(reward);
  await page.getByTestId('task-type-new').selectOption(type);
  if (type === 'link') await page.getByTestId('task-url-new').fill('https://example.com/');
  await page.getByTestId('task-save-new').click();
  await savedInput(page, 'task-title', title).waitFor();
}
