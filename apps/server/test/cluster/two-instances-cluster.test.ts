import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, TEST_DATABASE_URL, uniqueId } from '../../../../test-support/index.ts';
import { type RedisCluster, startRedisCluster } from '../../../../test-support/redis-cluster.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const PASSWORD = 'cluster-test-password';

/** `npm start` (apps/server/src/main.ts) as a child process; resolves once it is up. */
async function startServer(env: NodeJS.ProcessEnv): Promise<{ base: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: ROOT,
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('hybridstate is up')) resolve();
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return { base: `http://127.0.0.1:${port}`, child };
}

/** The test environment without the runner's Redis, PostgreSQL or Telegram variables. */
function serverEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env))
    if (!/^(REDIS|DATABASE|PG|BOT_TOKEN|WEBHOOK|ADMIN_|HS_)/.test(name)) env[name] = value;
  return { ...env, BUILD_UI: '0', LOG_PRETTY: '0', ADMIN_PASSWORD: PASSWORD, ...extra };
}

/** Poll `read` until `accept` holds (events cross the cluster asynchronously). */
async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  let value = await read();
  while (!accept(value)) {
    if (Date.now() > deadline) throw new Error(`not reached: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

describe('two server processes (npm start) on one Redis Cluster and PostgreSQL', () => {
  let cluster: RedisCluster;
  const database = uniqueId('hs_cluster_');
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  const servers: { base: string; child: ChildProcess }[] = [];
  const sockets: Socket[] = [];
  let a: string;
  let b: string;
  let headers: Record<string, string>;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${database}`;
    const env = serverEnv({ REDIS_CLUSTER_NODES: cluster.nodesVariable, DATABASE_URL: url.href });
    // One after the other: the first one migrates the schemas.
    servers.push(await startServer(env));
    servers.push(await startServer(env));
    [a, b] = servers.map((s) => s.base) as [string, string];
    const login = await fetch(`${a}/api/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@localhost', password: PASSWORD }),
    });
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    headers = { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
  }, 120_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await Promise.all(
      servers.map(async ({ child }) => {
        if (child.exitCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }),
    );
    await cluster?.stop();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }, 60_000);

  const call = (base: string, method: string, path: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const keyboardOn = (base: string, id: number) => async () => {
    const sent = await call(base, 'POST', '/api/admin/playground/send', {
      from: { id, firstName: 'Ann' },
      text: '/start',
    });
    const { replies } = (await sent.json()) as { replies: { replyKeyboard?: string[][] }[] };
    return replies[0]?.replyKeyboard?.flat() ?? [];
  };
  const syncSocket = async (base: string) => {
    const socket = io(base, {
      path: '/sync',
      transports: ['websocket'],
      extraHeaders: { cookie: headers.cookie! },
      reconnection: false,
    });
    sockets.push(socket);
    const events: { type: string; data: { label?: string } }[] = [];
    socket.on('sync:event', (event) => events.push(event));
    await new Promise((resolve, reject) => {
      socket.once('connected', resolve);
      socket.once('connect_error', reject);
    });
    await socket.timeout(5000).emitWithAck('subscribe', { events: ['buttons.*'] });
    return events;
  };
  const metric = async (base: string, name: string) => {
    const text = await (await fetch(`${base}/metrics`)).text();
    const value = Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1]);
    if (Number.isNaN(value)) throw new Error(`no ${name} in /metrics:\n${text.slice(0, 3000)}`);
    return value;
  };

  it('both boot on the cluster: /ready, /health with Redis up, /metrics with the bus and the flusher', async () => {
    for (const base of [a, b]) {
      expect((await fetch(`${base}/ready`)).status).toBe(200);
      const health = (await (await fetch(`${base}/health`)).json()) as {
        tiers: { redis: { status: string } };
      };
      expect(health.tiers.redis.status).toBe('up');
      expect(await metric(base, 'hybridstate_bus_connected')).toBe(1);
      expect(await metric(base, 'hybridstate_bus_dropped_total')).toBe(0);
      // The flusher reads the 16 journal shards across the masters.
      expect(await metric(base, 'hybridstate_write_behind_pending')).toBe(0);
      expect(await metric(base, 'hybridstate_write_behind_dead_letters')).toBe(0);
    }
  });

  it("an admin session from A works on B; a button edit on A shows in B's cached /start and on B's /sync", async () => {
    expect((await call(b, 'GET', '/api/admin/me')).status).toBe(200);
    const events = await syncSocket(b);
    const created = (await (
      await call(a, 'POST', '/api/admin/buttons', { label: 'Cluster tasks', action: 'tasks' })
    ).json()) as { id: number };
    const start = keyboardOn(b, 7_100_000_001);
    const first = await eventually(start, (labels) => labels.includes('Cluster tasks'));
    expect(first).toContain('Cluster tasks');
    await call(a, 'PATCH', `/api/admin/buttons/${created.id}`, { label: 'Cluster earn' });
    const after = await eventually(start, (labels) => labels.includes('Cluster earn'));
    expect(after).not.toContain('Cluster tasks');
    await eventually(
      async () => events.map((e) => e.type),
      (types) => types.includes('buttons.created') && types.includes('buttons.updated'),
    );
  });

  it('after a master is killed both stay ready, and edits on A still reach B', async () => {
    const events = await syncSocket(b);
    const [button] = (
      (await (await call(a, 'GET', '/api/admin/buttons')).json()) as {
        items: { id: number }[];
      }
    ).items;
    await cluster.killMaster();
    for (const base of [a, b])
      await eventually(
        async () => (await fetch(`${base}/ready`)).status,
        (s) => s === 200,
      );
    const start = keyboardOn(b, 7_100_000_002);
    // A request in flight during the failover may fail; a later edit must get through.
    let n = 0;
    await eventually(
      async () => {
        const label = `After ${++n}`;
        await call(a, 'PATCH', `/api/admin/buttons/${button!.id}`, { label });
        return { label, shown: await eventually(start, () => true) };
      },
      ({ label, shown }) => shown.includes(label),
    );
    await eventually(
      async () => events.some((e) => e.type === 'buttons.updated'),
      (seen) => seen,
    );
    expect(await metric(b, 'hybridstate_bus_connected')).toBe(1);
  }, 60_000);
});
