import { randomUUID } from 'node:crypto';
import {
  type FleetAdmin,
  http,
  miniAppAuth,
  postUpdate,
  textUpdate,
} from '../../../test-support/fleet-client.ts';
import type { ServerFleet } from '../../../test-support/server-fleet.ts';
import type { EditWatch } from './edit-watch.ts';
import type { SoakTracker } from './soak-tracker.ts';

/** What the platform was seeded with before the load starts. */
export interface SoakSeed {
  readonly tasks: readonly { id: number; rewardMinor: number }[];
  readonly buttonId: number;
  readonly payoutMinor: number;
}

/** The writes the servers acknowledged, kept by the clients to check against PostgreSQL. */
export interface SoakAcks {
  /** Bot updates answered 200: the user and the unique text. */
  readonly updates: { telegramId: number; text: string }[];
  /** Task completions answered 200 (or 409 on a retry: the first attempt landed). */
  readonly completions: { telegramId: number; taskId: number; rewardMinor: number }[];
  /** Payout requests answered 201. */
  readonly payouts: { telegramId: number; payoutId: number; amountMinor: number; key: string }[];
  /** Admin edits answered 200, in order. */
  readonly edits: { kind: 'button' | 'settings'; value: string }[];
}

/** Options of the load loops. */
export interface SoakLoadOptions {
  readonly fleet: ServerFleet;
  readonly admin: FleetAdmin;
  readonly seed: SoakSeed;
  readonly tracker: SoakTracker;
  readonly watch: EditWatch;
  readonly acks: SoakAcks;
  /** Epoch ms at which every loop stops starting new operations. */
  readonly stopAt: number;
  readonly botLoops: number;
  readonly miniAppLoops: number;
  /** Pause between two operations of one loop. */
  readonly pauseMs: number;
  readonly adminPauseMs: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let nextTelegramId = 8_000_000_000 + Math.floor(Math.random() * 900_000_000);

/** Run every load loop until `stopAt`; resolves when the last in-flight operation ended. */
export async function runLoad(options: SoakLoadOptions): Promise<void> {
  await Promise.all([
    ...Array.from({ length: options.botLoops }, (_, i) => botLoop(options, i)),
    ...Array.from({ length: options.miniAppLoops }, () => miniAppLoop(options)),
    adminLoop(options),
  ]);
}

/** A Telegram user sending messages one after another (as Telegram delivers one chat's updates). */
async function botLoop(o: SoakLoadOptions, loop: number): Promise<void> {
  const telegramId = nextTelegramId++;
  for (let n = 0; Date.now() < o.stopAt; n++) {
    const text = n % 10 === 0 ? `/start soak-${telegramId}-${n}` : `soak-${telegramId}-${n}`;
    const update = textUpdate(telegramId, text);
    const sent = await o.tracker.send('bot.update', () => postUpdate(o.fleet, update));
    if (sent?.answer.status === 200) {
      o.tracker.ack('bot.update');
      o.acks.updates.push({ telegramId, text });
    } else if (sent !== undefined) o.tracker.fail('bot.update', `http ${sent.answer.status}`);
    await pause(o.pauseMs + loop);
  }
}

/**
 * Mini App users completing tasks and asking for payouts (Idempotency-Key kept across
 * retries). A user who completed every task is replaced by a new one.
 */
async function miniAppLoop(o: SoakLoadOptions): Promise<void> {
  let telegramId = nextTelegramId++;
  let done = 0;
  let balance = 0;
  while (Date.now() < o.stopAt) {
    const headers = miniAppAuth(telegramId);
    if (balance >= o.seed.payoutMinor && Math.random() < 0.35) {
      const key = randomUUID();
      const body = { amountMinor: o.seed.payoutMinor, method: 'card', details: 'soak 4242' };
      const sent = await o.tracker.send('miniapp.payout', () =>
        http(o.fleet.url, 'POST', '/api/app/payouts', {
          body,
          headers: { ...headers, 'idempotency-key': key },
        }),
      );
      if (sent?.answer.status === 201) {
        const { payout } = sent.answer.body as { payout: { id: number } };
        o.tracker.ack('miniapp.payout');
        o.acks.payouts.push({
          telegramId,
          payoutId: payout.id,
          amountMinor: body.amountMinor,
          key,
        });
        balance -= body.amountMinor;
      } else if (sent !== undefined) o.tracker.fail('miniapp.payout', describe(sent.answer));
    } else {
      const task = o.seed.tasks[done]!;
      const sent = await o.tracker.send('miniapp.complete', () =>
        http(o.fleet.url, 'POST', `/api/app/tasks/${task.id}/complete`, { headers }),
      );
      const status = sent?.answer.status;
      // A 409 after a retry: the attempt whose answer was lost had completed it.
      if (status === 200 || (status === 409 && sent!.attempts > 1)) {
        o.tracker.ack('miniapp.complete');
        o.acks.completions.push({ telegramId, taskId: task.id, rewardMinor: task.rewardMinor });
        balance += task.rewardMinor;
      } else if (sent !== undefined) o.tracker.fail('miniapp.complete', describe(sent.answer));
      if (++done === o.seed.tasks.length) {
        telegramId = nextTelegramId++;
        done = 0;
        balance = 0;
      }
    }
    await pause(o.pauseMs);
  }
}

/** An admin alternating a button's label and the welcome text, each watched on every instance. */
async function adminLoop(o: SoakLoadOptions): Promise<void> {
  for (let n = 0; Date.now() < o.stopAt; n++) {
    const kind = n % 2 === 0 ? 'button' : 'settings';
    const value = `soak edit ${n}`;
    const operation = kind === 'button' ? 'admin.button' : 'admin.settings';
    const watching = o.watch.begin(
      kind === 'button' ? `buttons.updated:${o.seed.buttonId}` : 'settings.updated',
    );
    const sent = await o.tracker.send(operation, () =>
      kind === 'button'
        ? http(o.fleet.url, 'PATCH', `/api/admin/buttons/${o.seed.buttonId}`, {
            headers: o.admin.headers,
            body: { label: value },
          })
        : http(o.fleet.url, 'PUT', '/api/admin/settings', {
            headers: o.admin.headers,
            body: { welcomeText: value, minPayoutMinor: o.seed.payoutMinor, currency: 'USD' },
          }),
    );
    if (sent?.answer.status === 200) {
      o.tracker.ack(operation);
      o.acks.edits.push({ kind, value });
      await watching.settle();
    } else {
      watching.cancel();
      if (sent !== undefined) o.tracker.fail(operation, describe(sent.answer));
    }
    await pause(o.adminPauseMs);
  }
}

function describe(answer: { status: number; body: unknown }): string {
  const code = (answer.body as { error?: { code?: string } } | undefined)?.error?.code ?? '';
  return `http ${answer.status} ${code}`.trim();
}
