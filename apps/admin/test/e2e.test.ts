/**
 * End to end, in a real browser: Debian's Chromium driven by playwright-core against the real
 * server (apps/server) on real PostgreSQL and Redis, with the built admin panel and Mini App.
 * Seed 002's checks: a button edited in the admin panel shows at the playground's next /start;
 * a task completed in the Mini App moves the balance on the admin's users page without a
 * reload; an approved payout reaches the user live. Also: every page loads, quiz answers, a
 * ban and an unban, a task done in the bot, a scenario from the editor run in the playground.
 * Screenshots: test-artifacts/e2e/ (see apps/admin/README.md).
 */
import { randomInt } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createButton, createLinkTask, createTask, savedInput } from './support/admin-flows.ts';
import { markDocument, openPage, signIn, startChat, wasReloaded } from './support/admin-ui.ts';
import { launchChromium, resetArtifacts, screenshot, waitForText } from './support/browser.ts';
import { completeLinkTask, openMiniApp, testUser } from './support/mini-app-flows.ts';
import { type PlatformServer, startPlatformServer } from './support/platform-server.ts';
import { ensureUisBuilt } from './support/ui-build.ts';

const WAIT_MS = 15_000;
const PAGES = [
  'buttons',
  'scenarios',
  'tasks',
  'users',
  'payouts',
  'reviews',
  'settings',
  'audit',
  'system',
];

let server: PlatformServer;
let browser: Browser;
let context: BrowserContext;
let admin: Page;

beforeAll(async () => {
  await resetArtifacts();
  await ensureUisBuilt();
  server = await startPlatformServer();
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(WAIT_MS);
  admin = await context.newPage();
  await signIn(admin, server);
}, 120_000);

// A failed check leaves a picture of every open page and the server's last lines.
afterEach(async (test) => {
  if (test.task.result?.state !== 'fail') return;
  const pages = context?.pages() ?? [];
  for (const [i, page] of pages.entries())
    await screenshot(page, `failed-${test.task.name.slice(0, 40)}-${i}`);
  console.error(server?.output().slice(-4000));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the platform in a browser (seed 002)', () => {
  it('a wrong password is refused with the server’s message; every admin page loads without an error', async () => {
    const stranger = await browser.newContext();
    const login = await stranger.newPage();
    await login.goto(`${server.url}/admin/`);
    await login.getByTestId('login-email').fill(server.adminEmail);
    await login.getByTestId('login-password').fill('not-the-password');
    await login.getByTestId('login-submit').click();
    await login.getByTestId('login-error').waitFor();
    expect(await login.getByTestId('login-error').textContent()).not.toBe('');
    await screenshot(login, '0-login-refused');
    await stranger.close();

    for (const route of PAGES) {
      await openPage(admin, route);
      await admin.locator('main h2').waitFor();
      await admin.waitForLoadState('networkidle');
      expect(await admin.getByRole('alert').allTextContents(), route).toEqual([]);
      await screenshot(admin, `0-admin-${route}`);
    }
    // Navigating sends no /sync frames (one subscription per session): the socket stays up.
    await waitForText(admin, 'live-status', 'live');
  });

  it('an admin edits a button label, and the playground’s next /start shows it', async () => {
    const user = testUser('Bob');
    const n = randomInt(1000, 9999);
    const id = await createButton(admin, `Tasks ${n}`);
    expect(await startChat(admin, user)).toContain(`Tasks ${n}`);

    await openPage(admin, 'buttons');
    await admin.getByTestId(`button-label-${id}`).fill(`Earn ${n}`);
    await admin.getByTestId(`button-save-${id}`).click();
    await savedInput(admin, 'button-label', `Earn ${n}`).waitFor();
    await screenshot(admin, 'a1-admin-button-edited');

    const keyboard = await startChat(admin, user);
    expect(keyboard).toContain(`Earn ${n}`);
    expect(keyboard).not.toContain(`Tasks ${n}`);
    await screenshot(admin, 'a2-playground-start-shows-new-label');

    await openPage(admin, 'audit');
    const entry = admin
      .getByTestId('audit-table')
      .locator('tr')
      .filter({ hasText: `Earn ${n}` });
    await entry
      .filter({ hasText: `Tasks ${n}` })
      .first()
      .waitFor(); // old and new values
    await screenshot(admin, 'a3-audit-log-button-change');
  });

  it('a user completes a task in the Mini App, and the users page shows the new balance without a reload', async () => {
    const title = `Visit the site ${randomInt(1000, 9999)}`;
    await createLinkTask(admin, title, '1.50');
    const user = testUser('Alice');
    const miniApp = await openMiniApp(admin, user);
    await waitForText(miniApp, 'balance', '0.00 USD');

    await openPage(admin, 'users');
    await waitForText(admin, `user-balance-${user.id}`, '0.00 USD');
    await markDocument(admin);

    await completeLinkTask(miniApp, title);
    await waitForText(miniApp, 'balance', '1.50 USD');
    await screenshot(miniApp, 'b1-mini-app-task-completed');
    await waitForText(admin, `user-balance-${user.id}`, '1.50 USD');
    expect(await wasReloaded(admin)).toBe(false);
    await screenshot(admin, 'b2-admin-users-balance-live');
    await admin.getByTestId(`user-row-${user.id}`).getByRole('button', { name: 'Alice' }).click();
    await admin
      .getByTestId('user-detail')
      .locator('tr')
      .filter({ hasText: 'task_reward' })
      .waitFor();
    await screenshot(admin, 'b3-admin-user-ledger');
    await miniApp.close();
  });

  it('a payout below the minimum is refused with its message; an approved payout reaches the user live', async () => {
    await openPage(admin, 'settings');
    await admin.getByTestId('settings-min-payout').fill('1.00');
    await admin.getByTestId('settings-save').click();
    await admin.getByText('Saved').waitFor();

    const title = `Join the channel ${randomInt(1000, 9999)}`;
    await createLinkTask(admin, title, '5.00');
    const user = testUser('Carol');
    const miniApp = await openMiniApp(admin, user);
    await completeLinkTask(miniApp, title);
    await waitForText(miniApp, 'balance', '5.00 USD');

    await miniApp.getByTestId('payout-amount').fill('0.50');
    await miniApp.getByTestId('payout-details').fill('carol@example.com');
    await miniApp.getByTestId('payout-submit').click();
    await miniApp.getByTestId('payout-error').waitFor();
    expect(await miniApp.getByTestId('payout-error').textContent()).not.toBe('');
    await waitForText(miniApp, 'balance', '5.00 USD');
    expect(await miniApp.locator('li[data-testid^="payout-"]').count()).toBe(0);
    await screenshot(miniApp, 'c1-mini-app-payout-below-minimum');

    await miniApp.getByTestId('payout-amount').fill('2.00');
    await miniApp.getByTestId('payout-submit').click();
    await miniApp.getByTestId('payout-requested').waitFor();
    await waitForText(miniApp, 'balance', '3.00 USD');
    await waitForText(miniApp, 'held', '2.00 USD held for payouts');
    const row = miniApp.locator('li[data-testid^="payout-"]').first();
    const payoutId = (await row.getAttribute('data-testid'))?.replace('payout-', '') ?? '';
    await waitForText(miniApp, `payout-status-${payoutId}`, 'pending');
    await markDocument(miniApp);

    await openPage(admin, 'payouts');
    await admin.getByTestId('payouts-status').selectOption('');
    await admin.getByTestId(`payout-approve-${payoutId}`).click();
    await waitForText(admin, `payout-status-${payoutId}`, 'approved');
    await screenshot(admin, 'c2-admin-payout-approved');

    await waitForText(miniApp, `payout-status-${payoutId}`, 'approved ✓');
    await miniApp.getByTestId('held').waitFor({ state: 'detached' });
    await waitForText(miniApp, 'balance', '3.00 USD');
    expect(await wasReloaded(miniApp)).toBe(false);
    await screenshot(miniApp, 'c3-mini-app-payout-approved-live');
    await miniApp.close();
  });

  it('a manual task pays nothing until an admin approves it on the Reviews page; then the Mini App balance moves live', async () => {
    const title = `Post a review ${randomInt(1000, 9999)}`;
    await createTask(admin, title, '2.00', 'manual');
    const user = testUser('Dora');
    const miniApp = await openMiniApp(admin, user);
    await waitForText(miniApp, 'balance', '0.00 USD');
    const card = miniApp.locator('li[data-testid^="task-"]').filter({ hasText: title });
    await card.getByRole('button', { name: 'Submit for review' }).click();
    await card
      .getByText(/review/i)
      .first()
      .waitFor();
    await waitForText(miniApp, 'balance', '0.00 USD');

    await openPage(admin, 'reviews');
    const row = admin.locator('tr[data-testid^="review-row-"]').filter({ hasText: title });
    await row.waitFor();
    await screenshot(admin, 'd1-admin-review-pending');
    await row.getByRole('button', { name: 'Approve' }).click();
    await row.waitFor({ state: 'detached' });
    await waitForText(miniApp, 'balance', '2.00 USD');
    await screenshot(miniApp, 'd2-mini-app-review-paid');
    await miniApp.close();
  });

  it('a quiz refuses a wrong answer with the server’s message and pays the right one; a ban and an unban reach the Mini App live', async () => {
    const title = `Capital quiz ${randomInt(1000, 9999)}`;
    await openPage(admin, 'tasks');
    await admin.getByTestId('task-title-new').fill(title);
    await admin.getByTestId('task-reward-new').fill('0.75');
    await admin.getByTestId('task-type-new').selectOption('quiz');
    await admin.getByTestId('task-question-new').fill('The capital of France?');
    await admin.getByTestId('task-answer-new').fill('Paris');
    await admin.getByTestId('task-save-new').click();
    await savedInput(admin, 'task-title', title).waitFor();

    const user = testUser('Dave');
    const miniApp = await openMiniApp(admin, user);
    await markDocument(miniApp);
    const card = miniApp.locator('li[data-testid^="task-"]').filter({ hasText: title });
    await card.getByPlaceholder('Your answer').fill('Lyon');
    await card.getByRole('button', { name: 'Answer' }).click();
    await card.getByRole('alert').waitFor();
    expect(await card.getByRole('alert').textContent()).not.toBe('');
    await screenshot(miniApp, 'd1-mini-app-quiz-wrong-answer');
    await card.getByPlaceholder('Your answer').fill('paris');
    await card.getByRole('button', { name: 'Answer' }).click();
    await card.getByText('✓ Completed').waitFor();
    await waitForText(miniApp, 'balance', '0.75 USD');

    await openPage(admin, 'users');
    await waitForText(admin, `user-balance-${user.id}`, '0.75 USD');
    await admin.getByTestId(`user-row-${user.id}`).getByRole('button', { name: 'Ban' }).click();
    await waitForText(admin, `user-status-${user.id}`, 'banned');
    await miniApp.getByTestId('refused').waitFor();
    expect(await wasReloaded(miniApp)).toBe(false);
    await screenshot(miniApp, 'd2-mini-app-banned-live');
    await admin.getByTestId(`user-row-${user.id}`).getByRole('button', { name: 'Unban' }).click();
    await waitForText(miniApp, 'balance', '0.75 USD');
    expect(await wasReloaded(miniApp)).toBe(false);
    await miniApp.close();
  });

  it('a user completes a task in the bot (playground), and the users page in another tab shows the new balance without a reload', async () => {
    const n = randomInt(1000, 9999);
    const title = `Follow us ${n}`;
    await createLinkTask(admin, title, '2.00');
    await createButton(admin, `My tasks ${n}`);
    const user = testUser('Erin');
    await startChat(admin, user);

    const usersPage = await context.newPage();
    await usersPage.goto(`${server.url}/admin/#/users`);
    await waitForText(usersPage, 'live-status', 'live');
    await waitForText(usersPage, `user-balance-${user.id}`, '0.00 USD');
    await markDocument(usersPage);

    await admin
      .getByTestId('reply-button')
      .filter({ hasText: `My tasks ${n}` })
      .click();
    await admin.getByTestId('inline-button').filter({ hasText: title }).last().click();
    await admin
      .getByTestId('inline-button')
      .filter({ hasText: /^Done$/ })
      .last()
      .click();
    await admin.getByTestId('chat-bot').filter({ hasText: 'Done!' }).waitFor();
    await screenshot(admin, 'e1-playground-task-done');

    await waitForText(usersPage, `user-balance-${user.id}`, '2.00 USD');
    expect(await wasReloaded(usersPage)).toBe(false);
    await screenshot(usersPage, 'e2-admin-users-balance-from-bot');
    await usersPage.close();
  });

  it('a scenario written in the editor runs in the playground from its button, asking and going on', async () => {
    const n = randomInt(1000, 9999);
    await openPage(admin, 'scenarios');
    await admin.getByTestId('scenario-name-new').fill(`Booking ${n}`);
    await admin.getByTestId('scenario-steps-new').fill('[{ "type": "ask", "text": "Phone?" }]');
    await admin.getByTestId('steps-errors').waitFor();
    expect(await admin.getByTestId('scenario-save-new').isDisabled()).toBe(true);
    await screenshot(admin, 'f1-admin-scenario-invalid-steps');
    const steps = [
      { type: 'text', text: `Let us book ${n}.` },
      { type: 'ask', text: 'Your phone?', field: 'phone', store: 'profile' },
      { type: 'text', text: 'Thanks, we will call you.' },
    ];
    await admin.getByTestId('scenario-steps-new').fill(JSON.stringify(steps));
    await admin.getByTestId('scenario-save-new').click();
    await savedInput(admin, 'scenario-name', `Booking ${n}`).waitFor();

    await openPage(admin, 'buttons');
    await admin.getByTestId('button-label-new').fill(`Book ${n}`);
    await admin.getByTestId('button-action-new').selectOption('scenario');
    await admin.getByTestId('button-payload-new').selectOption({ label: `Booking ${n}` });
    await admin.getByTestId('button-save-new').click();
    await savedInput(admin, 'button-label', `Book ${n}`).waitFor();

    await startChat(admin, testUser('Frank'));
    await admin
      .getByTestId('reply-button')
      .filter({ hasText: `Book ${n}` })
      .click();
    await admin.getByTestId('chat-bot').filter({ hasText: 'Your phone?' }).waitFor();
    await admin.getByTestId('chat-input').fill('+1 555 0100');
    await admin.getByTestId('chat-send').click();
    await admin.getByTestId('chat-bot').filter({ hasText: 'Thanks, we will call you.' }).waitFor();
    await screenshot(admin, 'f2-playground-scenario');
  });
});
