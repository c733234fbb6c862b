import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, TEST_REDIS_URL, testRedis, uniqueId } from '../../../test-support/index.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const PASSWORD = 'key-prefix-test';

/** `npm start`'s entry point on the test Redis and a PGlite of its own. */
function startServer(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const inherited: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env))
    if (!/^(REDIS|DATABASE|PG|BOT_TOKEN|WEBHOOK|ADMIN_|HS_)/.test(name)) inherited[name] = value;
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: ROOT,
    env: { ...inherited, BUILD_UI: '0', LOG_PRETTY: '0', SEED_DEMO: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

describe('HS_KEY_PREFIX', () => {
  it('a bad value stops the start with one line naming the variable', async () => {
    const { child, output } = startServer({ HS_KEY_PREFIX: 'two words' });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    const lines = output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!).msg).toMatch(
      /^HS_KEY_PREFIX="two words" is not a valid key prefix/,
    );
  }, 30_000);

  describe('a valid value', () => {
    const prefix = uniqueId('kp');
    let server: ReturnType<typeof startServer>;
    let redis: Redis;
    let dataDir: string;
    let base: string;

    beforeAll(async () => {
      redis = await testRedis();
      dataDir = await mkdtemp(join(tmpdir(), 'hs-key-prefix-'));
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      server = startServer({
        HS_KEY_PREFIX: prefix,
        REDIS_URL: TEST_REDIS_URL,
        PGLITE_DATA_DIR: dataDir,
        PORT: String(port),
        ADMIN_PASSWORD: PASSWORD,
      });
      await new Promise<void>((resolve, reject) => {
        const timer = setInterval(() => {
          if (server.output().includes('hybridstate is up')) {
            clearInterval(timer);
            resolve();
          }
        }, 50);
        server.child.once('exit', (code) => {
          clearInterval(timer);
          reject(new Error(`server exited with ${code}:\n${server.output()}`));
        });
      });
    }, 90_000);

    afterAll(async () => {
      if (server?.child.exitCode === null) {
        const exited = new Promise((resolve) => server.child.once('exit', resolve));
        server.child.kill('SIGTERM');
        await exited;
      }
      if (redis !== undefined) {
        const keys = await scan(redis, `{${prefix}:*`);
        if (keys.length > 0) await redis.del(...keys);
        redis.disconnect();
      }
      if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
    });

    it('names the prefix at startup and keeps keys and bus channels under it', async () => {
      expect(server.output()).toContain(`key prefix: ${prefix} (HS_KEY_PREFIX)`);
      const login = await fetch(`${base}/api/admin/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@localhost', password: PASSWORD }),
      });
      expect(login.status).toBe(200);
      expect((await scan(redis, `{${prefix}:*`)).length).toBeGreaterThan(0);
      const channels = (await redis.pubsub('CHANNELS', `${prefix}:*`)) as string[];
      expect(channels.some((c) => c.startsWith(`${prefix}:bus:`))).toBe(true);
      expect(channels.some((c) => c.startsWith(`${prefix}:sio`))).toBe(true);
    });
  });
});

async function scan(redis: Redis, match: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}
