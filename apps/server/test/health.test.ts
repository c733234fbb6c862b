import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import {
  createTieredStore,
  Keyspace,
  MemoryTier,
  PostgresTier,
  pgliteSqlClient,
} from '@hybridstate/core';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../test-support/index.ts';
import { buildServer } from '../src/build-server.ts';

const SERVER_DIR = fileURLToPath(new URL('..', import.meta.url));

describe('GET /health', () => {
  it('answers the documented shape from the real store', async () => {
    const db = await PGlite.create();
    const store = await createTieredStore({
      keyspace: new Keyspace(),
      cache: new MemoryTier(),
      postgres: new PostgresTier(pgliteSqlClient(db)),
      sources: { redis: 'embedded', postgres: 'embedded' },
    });
    const app = buildServer({ store });
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'ok',
      tiers: {
        redis: { mode: 'memory', source: 'embedded', status: 'up' },
        postgres: { mode: 'pglite', source: 'embedded', status: 'up' },
      },
    });
    await app.close();
    await store.close();
    await db.close();
  });

  it('npm start serves it with nothing configured (embedded defaults), and stops on SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'hs-start-'));
    const port = await freePort();
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: String(port),
      PGLITE_DATA_DIR: join(dataDir, 'pglite'),
    };
    // Its own process group: npm does not pass SIGTERM on to the server, the group gets it.
    const child = spawn('npm', ['start', '--silent'], {
      cwd: SERVER_DIR,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    try {
      const health = await poll(`http://127.0.0.1:${port}/health`, 60_000);
      expect(health).toMatchObject({
        status: 'ok',
        tiers: {
          redis: { mode: 'memory', source: 'embedded' },
          postgres: { mode: 'pglite', source: 'embedded' },
        },
      });
      expect(output).toContain('using process memory (local-only mode');
      expect(output).toContain('using embedded PGlite');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});

async function poll(url: string, timeoutMs: number): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      return await response.json();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
