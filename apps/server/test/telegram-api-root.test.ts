import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type BotApiEmulator,
  startBotApiEmulator,
} from '../../../test-support/bot-api-emulator.ts';
import { freePort } from '../../../test-support/index.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
let emulator: BotApiEmulator;
let child: ChildProcess;
let dataDir: string;

beforeAll(async () => {
  emulator = await startBotApiEmulator();
  dataDir = await mkdtemp(join(tmpdir(), 'hs-api-root-'));
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env))
    if (!/^(REDIS|DATABASE|PG|BOT_TOKEN|WEBHOOK|ADMIN_|TELEGRAM_)/.test(name)) env[name] = value;
  child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...env,
      PORT: String(await freePort()),
      PGLITE_DATA_DIR: dataDir,
      BUILD_UI: '0',
      LOG_PRETTY: '0',
      ADMIN_PASSWORD: 'api-root-test',
      BOT_TOKEN: '4242:API-ROOT-TEST',
      TELEGRAM_API_ROOT: emulator.root,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.resume();
  child.stderr!.resume();
}, 30_000);

afterAll(async () => {
  if (child?.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await emulator?.close();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
});

it('the platform bot talks to the Bot API at TELEGRAM_API_ROOT (long polling)', async () => {
  emulator.push({
    update_id: 1,
    message: {
      message_id: 1,
      date: Math.floor(Date.now() / 1000),
      chat: { id: 777001, type: 'private', first_name: 'Ann' },
      from: { id: 777001, is_bot: false, first_name: 'Ann' },
      text: '/start',
      entities: [{ type: 'bot_command', offset: 0, length: 6 }],
    },
  });
  const reply = await emulator.waitFor('sendMessage', (payload) => payload.chat_id === 777001);
  expect(reply.token).toBe('4242:API-ROOT-TEST');
  expect(typeof reply.payload.text).toBe('string');
}, 90_000);
