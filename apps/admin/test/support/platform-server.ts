import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { freePort, TEST_DATABASE_URL, TEST_REDIS_URL } from '../../../../test-support/index.ts';

const SERVER_DIR = fileURLToPath(new URL('../../../server/', import.meta.url));

/** A running `apps/server` process on real PostgreSQL and Redis, isolated from other tests. */
export interface PlatformServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly adminEmail: string;
  readonly adminPassword: string;
  /** Everything the server printed (for failure messages). */
  output(): string;
  /** Stop the server (SIGTERM), then drop its database. */
  close(): Promise<void>;
}

/** `postgres://…/test` → the same server, database `name`. */
function databaseUrl(name: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * The Redis database the e2e server uses. The server's key prefix is fixed (`hs`), so a
 * database index of its own keeps its keys (and stale bot caches from an earlier run) apart;
 * it is emptied before and after the run.
 */
const E2E_REDIS_DB = 13;

/** The test Redis, database {@link E2E_REDIS_DB}, emptied. */
async function emptyRedisDatabase(): Promise<string> {
  const url = new URL(TEST_REDIS_URL);
  url.pathname = `/${E2E_REDIS_DB}`;
  const redis = new Redis(url.toString(), { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  await redis.flushdb();
  redis.disconnect();
  return url.toString();
}

/** A fresh database of its own: the platform creates several schemas, so a schema is not enough. */
async function createDatabase(name: string): Promise<() => Promise<void>> {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await client.end();
  };
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string) {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null)
      throw new Error(`the server exited with ${child.exitCode}:\n${output()}`);
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the server did not answer /health within 60 s:\n${output()}`);
}

/**
 * Start the real server (`tsx apps/server/src/main.ts`) on a free port with its own PostgreSQL
 * database, its own Redis database, no bot token (the playground's stand-in bot), and a known
 * first-admin password.
 */
export async function startPlatformServer(): Promise<PlatformServer> {
  const id = randomBytes(4).toString('hex');
  const dropDatabase = await createDatabase(`hs_e2e_${id}`);
  const redisUrl = await emptyRedisDatabase();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const adminEmail = 'admin@e2e.test';
  const adminPassword = `e2e-${randomBytes(8).toString('hex')}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: SERVER_DIR,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      DATABASE_URL: databaseUrl(`hs_e2e_${id}`),
      REDIS_URL: redisUrl,
      BUILD_UI: '0',
      ADMIN_EMAIL: adminEmail,
      ADMIN_PASSWORD: adminPassword,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const read = () => output;
  try {
    await waitForHealth(url, child, read);
  } catch (error) {
    child.kill('SIGKILL');
    await dropDatabase();
    throw error;
  }
  return {
    url,
    adminEmail,
    adminPassword,
    output: read,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        // A server that does not stop within 10 s is killed, so the database can be dropped.
        const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(kill);
      }
      await dropDatabase();
      await emptyRedisDatabase();
    },
  };
}
