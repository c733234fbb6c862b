import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BotApiEmulator,
  startBotApiEmulator,
} from '../../../test-support/bot-api-emulator.ts';
import { freePort } from '../../../test-support/index.ts';
import { commandUpdate } from '../../../test-support/telegram.ts';
import { EXCHANGER_BOT_TEXT } from '../src/bot/exchanger-bot.ts';

/** Resolves once `url` answers 200 (the app is listening), or rejects when the process exits. */
async function ready(url: string, exited: Promise<unknown>, log: () => string): Promise<void> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  for (;;) {
    if (gone) throw new Error(`main exited early:\n${log()}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('npm start on embedded defaults: web, admin and the bot (through a Bot API emulator)', () => {
  let emulator: BotApiEmulator;
  let dataDir: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'exchanger-e2e-'));
    emulator = await startBotApiEmulator();
  });
  afterAll(async () => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    await emulator?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves the demo data over HTTP, answers /start through TELEGRAM_API_ROOT, exits cleanly', async () => {
    const [web, admin] = [await freePort(), await freePort()];
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PGLITE_DATA_DIR: dataDir,
      PORT: String(web),
      ADMIN_PORT: String(admin),
      BOT_TOKEN: '321:E2E',
      TELEGRAM_API_ROOT: emulator.root,
    };
    const started = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: join(import.meta.dirname, '..'),
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = started;
    let log = '';
    started.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => started.once('exit', resolve));
    await ready(`http://127.0.0.1:${web}/rates/USD/UAH`, exited, () => log);

    const login = await fetch(`http://127.0.0.1:${web}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'alice@example.com', password: 'alice-secret' }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const order = await fetch(`http://127.0.0.1:${web}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ from: 'USD', to: 'UAH', amount: '10' }),
    });
    expect(order.status).toBe(201);
    expect(await order.json()).toMatchObject({
      amount: '10.00000000',
      exchangeRate: '41.50000000',
    });
    const adminLogin = await fetch(`http://127.0.0.1:${admin}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'alice@example.com', password: 'alice-secret' }),
    });
    expect(adminLogin.status).toBe(403); // alice has no admin permission

    emulator.push(commandUpdate(88, 'start'));
    const reply = await emulator.waitFor('sendMessage');
    expect(reply).toMatchObject({
      token: '321:E2E',
      payload: { chat_id: 88, text: EXCHANGER_BOT_TEXT.welcomeUnlinked },
    });
    expect(log).toContain('demo data created');
    started.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
