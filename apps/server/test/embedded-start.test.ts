import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../test-support/index.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const PASSWORD = 'embedded-test-password';

/** The environment without any Redis or PostgreSQL variable: the embedded defaults. */
function embeddedEnv(port: number, dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env))
    if (!/^(REDIS|DATABASE|PG|BOT_TOKEN|WEBHOOK|ADMIN_)/.test(name)) env[name] = value;
  return {
    ...env,
    PORT: String(port),
    PGLITE_DATA_DIR: dataDir,
    BUILD_UI: '0',
    LOG_PRETTY: '0',
    ADMIN_PASSWORD: PASSWORD,
  };
}

describe('npm start on the embedded defaults (PGlite, memory, local bus)', () => {
  let child: ChildProcess;
  let dataDir: string;
  let base: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hs-embedded-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
      cwd: ROOT,
      env: embeddedEnv(port, dataDir),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('hybridstate is up')) resolve();
      });
      child.stderr!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
    });
  }, 90_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    if (child?.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  it('answers /health and lets the first admin sign in with ADMIN_PASSWORD', async () => {
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      tiers: { redis: { mode: 'memory' }, postgres: { mode: 'pglite' } },
    });
    const login = await fetch(`${base}/api/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@localhost', password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    expect(await login.json()).toMatchObject({
      admin: { email: 'admin@localhost', role: 'admin' },
    });
  });

  it('delivers events over /sync to an admin (cookie) and to a Mini App user (initData), each its own', async () => {
    const login = await fetch(`${base}/api/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@localhost', password: PASSWORD }),
    });
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const admin = await connect({ extraHeaders: { cookie } });
    const link = await fetch(
      `${base}/api/admin/playground/mini-app-url?telegramId=4242&firstName=Ann`,
      {
        headers: { cookie },
      },
    );
    const { url } = (await link.json()) as { url: string };
    const initData = decodeURIComponent(url.slice('/app/#tgWebAppData='.length));
    const user = await connect({ auth: { initData } });
    const adminEvents = collect(admin);
    const userEvents = collect(user);

    const headers = { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
    const created = await fetch(`${base}/api/admin/tasks`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        title: 'Hello',
        rewardMinor: 120,
        type: 'link',
        url: 'https://example.com',
      }),
    });
    const task = (await created.json()) as { id: number };
    const other = await fetch(
      `${base}/api/admin/playground/mini-app-url?telegramId=777&firstName=Bo`,
      { headers: { cookie } },
    );
    const otherInit = decodeURIComponent(
      ((await other.json()) as { url: string }).url.split('tgWebAppData=')[1]!,
    );
    for (const data of [otherInit, initData])
      await fetch(`${base}/api/app/tasks/${task.id}/complete`, {
        method: 'POST',
        headers: { authorization: `tma ${data}` },
      });
    await until(() => userEvents.some((e) => e.type === 'users.balance_updated'));
    await until(() => adminEvents.filter((e) => e.type === 'users.balance_updated').length === 2);
    expect(adminEvents.map((e) => e.type)).toContain('tasks.created');
    const balanceEvents = userEvents.filter((e) => e.type === 'users.balance_updated');
    expect(balanceEvents.map((e) => e.data)).toEqual([{ userId: 4242, balance: 120, delta: 120 }]);
  });

  function connect(options: {
    extraHeaders?: Record<string, string>;
    auth?: Record<string, string>;
  }) {
    const socket = io(base, { path: '/sync', transports: ['websocket'], ...options });
    sockets.push(socket);
    return new Promise<Socket>((resolve, reject) => {
      socket.once('connected', () => {
        socket.emit('subscribe', { events: ['*'] }, () => resolve(socket));
      });
      socket.once('connect_error', reject);
    });
  }
});

function collect(socket: Socket): { type: string; data: unknown }[] {
  const events: { type: string; data: unknown }[] = [];
  socket.on('sync:event', (event: { type: string; data: unknown }) => events.push(event));
  return events;
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(condition()).toBe(true);
}
