import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BotApiEmulator,
  startBotApiEmulator,
} from '../../../test-support/bot-api-emulator.ts';
import { messageUpdate } from '../../../test-support/telegram.ts';

describe('npm start on embedded defaults, pointed at a Bot API emulator with TELEGRAM_API_ROOT', () => {
  let emulator: BotApiEmulator;
  let dataDir: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'assistant-e2e-'));
    emulator = await startBotApiEmulator();
  });
  afterAll(async () => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    await emulator?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers a polled update through the emulator and exits cleanly on SIGTERM', async () => {
    // Only what the example needs: no Redis or PostgreSQL variables, so process memory + PGlite.
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      BOT_TOKEN: '123:E2E',
      TELEGRAM_API_ROOT: emulator.root,
      PGLITE_DATA_DIR: dataDir,
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
    emulator.push(messageUpdate(77, 77, 'hello from the emulator'));
    const reply = await Promise.race([
      emulator.waitFor('sendMessage'),
      exited.then(() => Promise.reject(new Error(`main exited early:\n${log}`))),
    ]);
    expect(reply).toEqual({
      method: 'sendMessage',
      token: '123:E2E',
      payload: expect.objectContaining({
        chat_id: 77,
        text: 'You said: "hello from the emulator". This is the start of our conversation.',
      }),
    });
    expect(log).toContain('using process memory');
    expect(log).toContain('using embedded PGlite');
    expect(log).toContain(`"apiRoot":"${emulator.root}"`);
    started.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
