import { execFile } from 'node:child_process';
import { chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './redis-server.ts';

const run = promisify(execFile);

/** A throwaway PostgreSQL cluster owned by a test (initdb + pg_ctl), never the shared one. */
export interface PostgresServer {
  readonly port: number;
  readonly url: string;
  start(): Promise<void>;
  /** Stop at once (`-m immediate`: like a crash, no checkpoint). */
  stop(): Promise<void>;
  /** Stop and delete the data folder. */
  destroy(): Promise<void>;
}

async function binDir(): Promise<string> {
  const versions = await readdir('/usr/lib/postgresql').catch(() => [] as string[]);
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (newest === undefined)
    throw new Error(
      'PostgreSQL server binaries not found under /usr/lib/postgresql: install postgresql',
    );
  return `/usr/lib/postgresql/${newest}/bin`;
}

/** Run a PostgreSQL binary as the postgres user (initdb refuses root). */
async function asPostgres(command: string, args: string[]): Promise<void> {
  if (process.getuid?.() === 0)
    await run('su', ['postgres', '-s', '/bin/sh', '-c', [command, ...args].map(quote).join(' ')]);
  else await run(command, args);
}

function quote(arg: string): string {
  return `'${arg.replaceAll("'", "'\\''")}'`;
}

/** initdb a cluster on a free port and start it (about 2-3 s). */
export async function startPostgresServer(): Promise<PostgresServer> {
  const bin = await binDir();
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'hs-pg-'));
  const data = join(dir, 'data');
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  await asPostgres(`${bin}/initdb`, [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const server: PostgresServer = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: () =>
      asPostgres(`${bin}/pg_ctl`, [
        '-D',
        data,
        '-o',
        options,
        '-l',
        join(dir, 'log'),
        '-w',
        'start',
      ]),
    stop: () => asPostgres(`${bin}/pg_ctl`, ['-D', data, '-m', 'immediate', '-w', 'stop']),
    async destroy() {
      await server.stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
