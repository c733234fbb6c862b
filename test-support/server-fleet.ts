import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { type BotApiEmulator, startBotApiEmulator } from './bot-api-emulator.ts';
import { type LoadBalancer, startLoadBalancer } from './load-balancer.ts';
import { freePort } from './redis-server.ts';

const ROOT = join(import.meta.dirname, '..');
const MAIN = join(ROOT, 'apps', 'server', 'src', 'main.ts');

/** The bot token every instance of a fleet shares (the emulator accepts any). */
export const FLEET_BOT_TOKEN = '424242:FLEET-TEST-TOKEN';
/** The first admin's password on every instance. */
export const FLEET_ADMIN_PASSWORD = 'fleet-admin-password';

/** Where a fleet keeps its state: one Redis (a URL) or a Redis Cluster (`host:port,...`). */
export type FleetRedis = { readonly url: string } | { readonly clusterNodes: string };

/** Options of {@link startServerFleet}. */
export interface ServerFleetOptions {
  /** @default 3 */
  readonly instances?: number;
  readonly redis: FleetRedis;
  /** A PostgreSQL server URL; the fleet creates a database of its own on it and drops it at `stop`. */
  readonly postgresUrl: string;
  /** `LOG_LEVEL` of every instance. @default 'warn' */
  readonly logLevel?: string;
  /** More environment for every instance. */
  readonly env?: Readonly<Record<string, string>>;
}

/** One `apps/server` process of a fleet. */
export interface FleetInstance {
  readonly index: number;
  readonly port: number;
  /** `http://127.0.0.1:<port>`, bypassing the load balancer. */
  readonly url: string;
  /** This instance's own Bot API emulator: its calls are the updates this instance handled. */
  readonly telegram: BotApiEmulator;
  /** Whether the process runs now. */
  readonly running: boolean;
  /** Start the process (again) and wait until it serves and its bot is initialised. */
  start(): Promise<void>;
  /** SIGKILL the process group: a crash, nothing flushed. */
  kill(): Promise<void>;
  /** SIGTERM and wait (a clean shutdown flushes). */
  stop(): Promise<void>;
  /** The last lines the process printed (for error messages). */
  output(): string;
}

/** N platform servers on one PostgreSQL database and one Redis, behind a load balancer. */
export interface ServerFleet {
  readonly instances: readonly FleetInstance[];
  readonly balancer: LoadBalancer;
  /** The load balancer's URL: what Telegram, the Mini App and the admin panel talk to. */
  readonly url: string;
  /** The fleet's own database (`postgres://.../hs_fleet_...`). */
  readonly databaseUrl: string;
  /** A pool on that database, for checks. */
  readonly sql: pg.Pool;
  /** `HS_KEY_PREFIX` shared by the instances. */
  readonly keyPrefix: string;
  /** The header Telegram sends with every webhook update. */
  readonly webhookSecret: string;
  /** Stop every instance, the balancer and the emulators, and drop the database. */
  stop(): Promise<void>;
}

/**
 * Start `instances` real `apps/server` processes (`node --import tsx apps/server/src/main.ts`,
 * as `npm start` runs it), each on its own port, on one fresh PostgreSQL database and one Redis
 * or Redis Cluster, sharing `HS_KEY_PREFIX`, `ADMIN_PASSWORD` and a bot token, in webhook mode
 * with `WEBHOOK_URL` at a round-robin {@link startLoadBalancer} in front of them, each bot
 * talking to its own Bot API emulator. Each process leads its own process group, killed as a
 * whole; a watcher kills them if the test process dies first.
 *
 * @example
 * ```ts
 * const fleet = await startServerFleet({ redis: { clusterNodes: cluster.nodesVariable }, postgresUrl });
 * await fetch(`${fleet.url}/health`);
 * await fleet.stop();
 * ```
 */
export async function startServerFleet(options: ServerFleetOptions): Promise<ServerFleet> {
  const count = options.instances ?? 3;
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const database = `hs_fleet_${id}`;
  const admin = new pg.Pool({ connectionString: options.postgresUrl, max: 1 });
  await admin.query(`CREATE DATABASE ${database}`);
  const databaseUrl = withDatabase(options.postgresUrl, database);
  const sql = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  sql.on('error', () => undefined);
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
  const balancer = await startLoadBalancer(ports);
  const keyPrefix = `fleet${id}`;
  const shared: Record<string, string> = {
    ...baseEnvironment(),
    ...('url' in options.redis
      ? { REDIS_URL: options.redis.url }
      : { REDIS_CLUSTER_NODES: options.redis.clusterNodes }),
    DATABASE_URL: databaseUrl,
    HS_KEY_PREFIX: keyPrefix,
    ADMIN_PASSWORD: FLEET_ADMIN_PASSWORD,
    BOT_TOKEN: FLEET_BOT_TOKEN,
    WEBHOOK_URL: balancer.url,
    WEBHOOK_SECRET: `fleet-secret-${id}`,
    PUBLIC_URL: 'https://fleet.test',
    BUILD_UI: '0',
    SEED_DEMO: '0',
    LOG_PRETTY: '0',
    LOG_LEVEL: options.logLevel ?? 'warn',
    ...options.env,
  };
  const instances: FleetInstance[] = [];
  try {
    for (const [index, port] of ports.entries())
      instances.push(await fleetInstance(index, port, shared));
    // The first alone (it migrates the fresh database and creates the first admin), then the rest.
    await instances[0]?.start();
    await Promise.all(instances.slice(1).map((instance) => instance.start()));
  } catch (error) {
    await stopAll(instances, balancer, sql, admin, database);
    throw error;
  }
  return {
    instances,
    balancer,
    url: balancer.url,
    databaseUrl,
    sql,
    keyPrefix,
    webhookSecret: shared.WEBHOOK_SECRET!,
    stop: () => stopAll(instances, balancer, sql, admin, database),
  };
}

async function stopAll(
  instances: readonly FleetInstance[],
  balancer: LoadBalancer,
  sql: pg.Pool,
  admin: pg.Pool,
  database: string,
): Promise<void> {
  await Promise.all(instances.map((i) => i.stop().catch(() => i.kill())));
  await Promise.all(instances.map((i) => i.telegram.close()));
  await balancer.close();
  await sql.end().catch(() => undefined);
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
  await admin.end();
}

/** The test process's environment without any variable the server reads for its wiring. */
function baseEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env))
    if (
      value !== undefined &&
      !/^(REDIS|DATABASE|PG|BOT_TOKEN|WEBHOOK|ADMIN_|TELEGRAM_|HS_|PUBLIC_URL|LOG_|NODE_OPTIONS|VITEST)/.test(
        name,
      )
    )
      env[name] = value;
  return env;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function fleetInstance(
  index: number,
  port: number,
  shared: Record<string, string>,
): Promise<FleetInstance> {
  const telegram = await startBotApiEmulator();
  const env = { ...shared, PORT: String(port), TELEGRAM_API_ROOT: telegram.root };
  let child: ChildProcess | undefined;
  let lines: string[] = [];
  const instance: FleetInstance = {
    index,
    port,
    url: `http://127.0.0.1:${port}`,
    telegram,
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    async start() {
      lines = [];
      const webhooksBefore = telegram.calls.filter((c) => c.method === 'setWebhook').length;
      const started = spawn(process.execPath, ['--import', 'tsx', MAIN], {
        cwd: ROOT,
        env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = started;
      reapWithThisProcess(started);
      for (const stream of [started.stdout!, started.stderr!])
        stream.on('data', (chunk: Buffer) => {
          lines.push(...chunk.toString().split('\n').filter(Boolean));
          if (lines.length > 60) lines = lines.slice(-60);
        });
      const exited = new Promise<never>((_, reject) =>
        started.once('exit', (code, signal) =>
          reject(
            new Error(
              `server ${index} exited (${code ?? signal}) while starting:\n${lines.join('\n')}`,
            ),
          ),
        ),
      );
      exited.catch(() => undefined);
      // Up = serving HTTP and its webhook set (the bot is initialised once setWebhook is sent).
      await Promise.race([
        exited,
        (async () => {
          await until(
            () => telegram.calls.filter((c) => c.method === 'setWebhook').length > webhooksBefore,
            60_000,
          );
          await until(async () => (await fetch(`${instance.url}/health`)).ok, 30_000);
        })(),
      ]);
    },
    kill: () => signalGroup(child, 'SIGKILL'),
    stop: () => signalGroup(child, 'SIGTERM'),
    output: () => lines.join('\n'),
  };
  return instance;
}

async function signalGroup(
  child: ChildProcess | undefined,
  signal: 'SIGTERM' | 'SIGKILL',
): Promise<void> {
  if (child?.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    process.kill(-child.pid, signal);
  } catch {
    return;
  }
  const timer =
    signal === 'SIGTERM'
      ? setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {}
        }, 10_000)
      : undefined;
  await exited;
  clearTimeout(timer);
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await Promise.resolve(check()).catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`a fleet instance did not come up within ${timeoutMs} ms`);
}

/** A test worker killed by the runner fires no exit event: a detached shell kills the group. */
function reapWithThisProcess(child: ChildProcess): void {
  if (child.pid === undefined) return;
  const watch = `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${child.pid} 2>/dev/null; do sleep 1; done; kill -9 -${child.pid} 2>/dev/null`;
  spawn('sh', ['-c', watch], { detached: true, stdio: 'ignore' }).unref();
}
