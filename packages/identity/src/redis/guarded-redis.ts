import {
  CircuitBreaker,
  type Logger,
  masterAddressOf,
  type RedisClient,
  waitForReplicas,
} from '@hybridstate/core';
import type { Cluster } from 'ioredis';

/** How long a critical write waits for a replica's confirmation on a Redis Cluster. */
const REPLICA_WAIT_MS = 100;

/**
 * The injected Redis client behind a circuit breaker. Calls degrade instead of failing:
 * while Redis is unreachable (or not configured) a call returns its fallback at once, and
 * when Redis comes back `onRecover` runs (purging copies that may have missed changes)
 * before reads are trusted again. A Redis reply error (a bug, not an outage) still throws.
 */
export class GuardedRedis {
  readonly client: RedisClient | undefined;
  readonly #breaker: CircuitBreaker | undefined;
  readonly #logger: Logger;
  /**
   * Critical writes no replica confirmed, by key, with the master (`host:port`) that took
   * them. Until each is replicated, or its master was replaced (a failover), or that master
   * has no replica that could replace it, the circuit stays open: a purge before then could
   * run while the unreplicated master still serves, and the replica promoted later would
   * bring the old copies back.
   */
  readonly #unconfirmed = new Map<string, string>();

  constructor(
    client: RedisClient | undefined,
    name: string,
    logger: Logger,
    onRecover: () => Promise<void>,
  ) {
    this.client = client;
    this.#logger = logger;
    if (client === undefined) return;
    this.#breaker = new CircuitBreaker({
      name,
      probe: async () => {
        await probe(client);
        if (this.#unconfirmed.size > 0) await this.#settle(client as Cluster);
      },
      onRecover: async () => {
        // After a failover: purge on the masters that serve the slots now.
        if (client.isCluster) await refreshSlots(client as Cluster);
        await onRecover();
      },
      onStateChange: (state, error) =>
        logger.warn({ state, err: error }, `${name}: Redis circuit ${state}`),
    });
  }

  /** True when Redis is configured and its contents can be trusted now. */
  get readable(): boolean {
    return this.#breaker?.isReadable ?? false;
  }

  /**
   * Run `command` on the client, or return `fallback` while Redis is absent or down. A
   * `critical` command (one whose loss leaves a stale copy: a tombstone, an invalidation)
   * that fails opens the circuit at once, so the copies are purged before Redis is read again.
   */
  async call<T>(
    command: (client: RedisClient) => Promise<T>,
    fallback: T,
    critical = false,
  ): Promise<T> {
    const client = this.client;
    // Already open: the recovery purge will cover a lost critical write too.
    if (client === undefined || !this.#breaker!.isWritable) return fallback;
    try {
      return await command(client);
    } catch (error) {
      return this.#failed(error, critical, fallback);
    }
  }

  /**
   * After a critical write (a tombstone) on a Redis Cluster: wait up to 100 ms for a replica
   * of `key`'s master to confirm it. A master that dies before replicating hands its slots to
   * a replica that never saw the write (a revoked session would come back); unconfirmed, the
   * circuit opens, and the recovery purge drops the copies before Redis is read again. A
   * single Redis has no failover: nothing to wait for.
   */
  async confirmReplicated(key: string): Promise<void> {
    const client = this.client;
    if (client === undefined || !client.isCluster || !this.#breaker!.isWritable) return;
    const [confirmed] = await waitForReplicas(client, [key], 1, REPLICA_WAIT_MS);
    if (confirmed === true) return;
    this.#unconfirmed.set(key, masterAddressOf(client as Cluster, key));
    this.#breaker!.trip(new Error(`no replica confirmed the write of ${key} in time`));
  }

  /** Forget the unconfirmed writes that cannot be lost any more; throws while some still can. */
  async #settle(cluster: Cluster): Promise<void> {
    await refreshSlots(cluster);
    const nodes = String(await cluster.cluster('NODES')).split('\n');
    for (const [key, master] of this.#unconfirmed) {
      const node = cluster.nodes('master').find((n) => address(n.options) === master);
      if (
        masterAddressOf(cluster, key) !== master ||
        !hasReplica(nodes, master) ||
        (node !== undefined && (await node.wait(1, REPLICA_WAIT_MS).catch(() => 0)) >= 1)
      )
        this.#unconfirmed.delete(key);
    }
    if (this.#unconfirmed.size > 0)
      throw new Error('a critical write is not replicated yet and its master may still fail over');
  }

  #failed<T>(error: unknown, critical: boolean, fallback: T): T {
    if ((error as Error).name === 'ReplyError') throw error;
    if (critical) this.#breaker!.trip(error);
    else this.#breaker!.recordFailure(error);
    this.#logger.debug({ err: error }, 'Redis call failed; carrying on without it');
    return fallback;
  }

  /**
   * `GET key`, or `null` while Redis is absent or cannot be trusted. The hot path of every
   * session and cache read: a plain promise chain, no extra async frame.
   */
  get(key: string): Promise<string | null> {
    const client = this.client;
    if (client === undefined || !this.#breaker!.isReadable) return Promise.resolve(null);
    return client.get(key).catch((error: unknown) => this.#failed(error, false, null));
  }

  /**
   * Delete every key matching a SCAN pattern that `owns` accepts, on every master. A failure
   * opens the circuit (the keys left behind are purged on recovery) and returns the count so far.
   */
  async scanDelete(pattern: string, owns: (key: string) => boolean): Promise<number> {
    const client = this.client;
    if (client === undefined) return 0;
    try {
      return await this.#scanDelete(client, pattern, owns);
    } catch (error) {
      if ((error as Error).name === 'ReplyError') throw error;
      this.#breaker!.trip(error);
      return 0;
    }
  }

  async #scanDelete(
    client: RedisClient,
    pattern: string,
    owns: (key: string) => boolean,
  ): Promise<number> {
    const nodes = 'nodes' in client ? client.nodes('master') : [client];
    let deleted = 0;
    for (const node of nodes) {
      const stream = node.scanStream({ match: pattern, count: 500 }) as AsyncIterable<string[]>;
      for await (const page of stream) {
        const mine = page.filter(owns);
        if (mine.length > 0) await Promise.all(mine.map((key) => node.del(key)));
        deleted += mine.length;
      }
    }
    return deleted;
  }

  /** Stop probing. */
  close(): void {
    this.#breaker?.close();
  }
}

/** A Redis that answers; on a Cluster, also one whose every slot is served (a failover is over). */
async function probe(client: RedisClient): Promise<void> {
  await client.ping();
  if (!client.isCluster) return;
  const info = String(await (client as Cluster).cluster('INFO'));
  if (!info.includes('cluster_state:ok')) throw new Error('the Redis Cluster is not ok yet');
}

function refreshSlots(cluster: Cluster): Promise<void> {
  return new Promise((resolve, reject) =>
    cluster.refreshSlotsCache((error) => (error ? reject(error) : resolve())),
  );
}

function address(options: { host?: string | undefined; port?: number | undefined }): string {
  return `${options.host}:${options.port}`;
}

/** Whether `CLUSTER NODES` lists a replica of master `host:port` that is not failed. */
function hasReplica(nodes: readonly string[], master: string): boolean {
  const id = nodes.find((line) => line.split(' ')[1]?.split('@')[0] === master)?.split(' ')[0];
  return nodes.some((line) => {
    const [, , flags, masterId] = line.split(' ');
    return masterId === id && flags?.includes('slave') === true && !flags.includes('fail');
  });
}
