import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { freePort, type RedisServer, startRedisServer } from './redis-server.ts';

const run = promisify(execFile);

/**
 * Per-command timeout for the clients of tests about correctness rather than latency: the
 * project's 250 ms default turns a loaded (shared, 2-core) machine into "Redis unavailable".
 */
export const PATIENT_COMMAND_TIMEOUT_MS = 2000;

/** One node of a throwaway cluster. */
export interface ClusterNode {
  readonly port: number;
  readonly server: RedisServer;
}

/** A local Redis Cluster owned by a test: masters with replicas, each on its own port. */
export interface RedisCluster {
  readonly nodes: readonly ClusterNode[];
  /** `host:port` of every node, the value of `REDIS_CLUSTER_NODES`. */
  readonly nodesVariable: string;
  /** Seed nodes for `new Cluster(...)`. */
  readonly seeds: readonly { host: string; port: number }[];
  /** Ports of the nodes that are masters now (asked of the cluster, so it follows failovers). */
  masters(): Promise<number[]>;
  /**
   * SIGKILL the master serving `slot` (default 0) and wait until a replica took over and the
   * cluster answers again; resolves with the killed node and how long recovery took. It does
   * not wait for the replica to be in sync first (a test may kill a master whose replica is
   * behind on purpose): after restarting a node, call {@link waitUntilHealthy}.
   */
  killMaster(slot?: number): Promise<{ node: ClusterNode; recoveredMs: number }>;
  /** Wait until every running node reports `cluster_state:ok` and every replica is in sync with its master. */
  waitUntilHealthy(timeoutMs?: number): Promise<void>;
  /** Stop every node. */
  stop(): Promise<void>;
}

/** Options of {@link startRedisCluster}. */
export interface RedisClusterOptions {
  /** @default 3 */
  readonly masters?: number;
  /** Replicas per master. @default 1 */
  readonly replicas?: number;
  /** `cluster-node-timeout`: how soon a dead master is failed over. @default 1000 */
  readonly nodeTimeoutMs?: number;
}

/**
 * Start a throwaway Redis Cluster (`redis-server --cluster-enabled yes` on its own ports,
 * joined with `redis-cli --cluster create`), never touching the shared server on 6379. Each
 * node's cluster bus gets its own free port (`cluster-port`), so ports near 65535 are fine.
 *
 * @example
 * ```ts
 * const cluster = await startRedisCluster();
 * const client = new Cluster([...cluster.seeds]);
 * ```
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const masters = options.masters ?? 3;
  const replicas = options.replicas ?? 1;
  const nodeTimeout = options.nodeTimeoutMs ?? 1000;
  const nodes = await createNodesRetried(masters, replicas, nodeTimeout);
  const down = new Set<number>();
  const cluster: RedisCluster = {
    nodes,
    nodesVariable: nodes.map((n) => `127.0.0.1:${n.port}`).join(','),
    seeds: nodes.map((n) => ({ host: '127.0.0.1', port: n.port })),
    async masters() {
      const live = nodes.find((n) => !down.has(n.port));
      if (live === undefined) return [];
      const text = await cli(live.port, 'cluster', 'nodes');
      return text
        .split('\n')
        .filter((line) => /\bmaster\b/.test(line) && !/\bfail\b/.test(line))
        .map((line) => Number(line.split(' ')[1]?.split('@')[0]?.split(':')[1]));
    },
    async killMaster(slot = 0) {
      const live = nodes.find((n) => !down.has(n.port));
      if (live === undefined) throw new Error('every node of the test cluster is down');
      const owner = await slotOwner(live.port, slot);
      const node = nodes.find((n) => n.port === owner);
      if (node === undefined) throw new Error(`no node owns slot ${slot}`);
      const started = performance.now();
      await node.server.kill();
      down.add(node.port);
      await waitFor(async () => {
        const other = nodes.find((n) => !down.has(n.port));
        if (other === undefined) return false;
        const now = await slotOwner(other.port, slot).catch(() => undefined);
        return now !== undefined && now !== node.port && (await stateOk(now));
      }, 30_000);
      return {
        node: {
          port: node.port,
          server: {
            ...node.server,
            async start() {
              await node.server.start();
              down.delete(node.port);
            },
          },
        },
        recoveredMs: performance.now() - started,
      };
    },
    async waitUntilHealthy(timeoutMs = 30_000) {
      await waitFor(async () => {
        for (const n of nodes) {
          if (down.has(n.port)) continue;
          if (!(await stateOk(n.port)) || !(await replicaSynced(n.port))) return false;
        }
        return true;
      }, timeoutMs);
    },
    async stop() {
      await Promise.all(nodes.map((n) => n.server.kill()));
    },
  };
  await cluster.waitUntilHealthy();
  return cluster;
}

/**
 * Ports are picked free, then bound a moment later: on a shared machine another process (or
 * this cluster's own bus port) may take one in between. Such a start is tried again once, on
 * fresh ports; the error keeps redis-cli's own report.
 */
async function createNodesRetried(
  masters: number,
  replicas: number,
  nodeTimeout: number,
): Promise<ClusterNode[]> {
  try {
    return await createNodes(masters, replicas, nodeTimeout);
  } catch {
    return createNodes(masters, replicas, nodeTimeout);
  }
}

async function createNodes(
  masters: number,
  replicas: number,
  nodeTimeout: number,
): Promise<ClusterNode[]> {
  const nodes: ClusterNode[] = [];
  try {
    for (let i = 0; i < masters * (1 + replicas); i++) {
      const busPort = await freePort();
      const server = await startRedisServer([
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        'nodes.conf',
        '--cluster-node-timeout',
        String(nodeTimeout),
        '--cluster-port',
        String(busPort),
        // A replica may take over even if it lost touch with its master a while ago.
        '--cluster-replica-validity-factor',
        '0',
        // Redis waits 5 s by default before a replica's first full sync starts: a master
        // killed in that window hands its slots to an EMPTY replica (every key of the shard
        // lost, a real hazard right after a replica is added or restarted). Tests fail over
        // synced replicas only (see waitUntilHealthy).
        '--repl-diskless-sync-delay',
        '0',
      ]);
      nodes.push({ port: server.port, server });
    }
    await run('redis-cli', [
      '--cluster',
      'create',
      ...nodes.map((n) => `127.0.0.1:${n.port}`),
      '--cluster-replicas',
      String(replicas),
      '--cluster-yes',
    ]).catch((error: { stdout?: string; message: string }) => {
      throw new Error(
        `redis-cli --cluster create failed: ${error.stdout?.slice(-600) ?? error.message}`,
      );
    });
    return nodes;
  } catch (error) {
    await Promise.all(nodes.map((n) => n.server.kill()));
    throw error;
  }
}

async function cli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-p', String(port), ...args], { timeout: 5000 });
  return stdout;
}

async function stateOk(port: number): Promise<boolean> {
  const info = await cli(port, 'cluster', 'info').catch(() => '');
  return info.includes('cluster_state:ok');
}

/** A master, or a replica whose link to its master is up with no sync in progress. */
async function replicaSynced(port: number): Promise<boolean> {
  const info = await cli(port, 'info', 'replication').catch(() => '');
  if (!info.includes('role:slave')) return info.includes('role:master');
  return info.includes('master_link_status:up') && info.includes('master_sync_in_progress:0');
}

async function slotOwner(port: number, slot: number): Promise<number | undefined> {
  // `cluster slots`, one value per line: start, end, then ip, port, id of the master first.
  const slots = await cli(port, 'cluster', 'slots');
  const lines = slots.split('\n').map((l) => l.trim());
  for (let i = 0; i + 3 < lines.length; i++) {
    const start = Number(lines[i]);
    const end = Number(lines[i + 1]);
    if (!Number.isInteger(start) || !Number.isInteger(end) || lines[i + 2] !== '127.0.0.1')
      continue;
    if (slot >= start && slot <= end) return Number(lines[i + 3]);
  }
  return undefined;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the test Redis Cluster did not become healthy within ${timeoutMs} ms`);
}
