import { type Cluster, Redis } from 'ioredis';
import type { RedisClient } from '../tiers/redis-tier.ts';

/**
 * Where one bus sends its PUBLISHes. On a single server, the injected client. On a Redis
 * Cluster, one master connection of the cluster client's pool, kept while it is ready: the
 * Cluster client would send each keyless PUBLISH to a random node, and two messages leaving
 * through two nodes can reach a subscriber on a third node in either order (each travels its
 * own cluster-bus link). One node per publisher keeps the order a single server gives.
 *
 * @example
 * ```ts
 * const route = new PublishRoute(redis);
 * await route.publish('hs:bus:l1', message);
 * ```
 */
export class PublishRoute {
  readonly #redis: RedisClient;
  /** The client's own PUBLISH, taken at construction (callers may wrap `redis.publish` later). */
  readonly #publish: (channel: string, message: string | Buffer) => Promise<number>;
  #pinned: Redis | undefined;

  constructor(redis: RedisClient) {
    this.#redis = redis;
    this.#publish = redis.publish.bind(redis) as (
      channel: string,
      message: string | Buffer,
    ) => Promise<number>;
  }

  /** The master connection publishes go through now, on a cluster (undefined before the first). */
  get pinned(): Redis | undefined {
    return this.#pinned;
  }

  /** PUBLISH through the route's connection; resolves with the number of receivers. */
  publish(channel: string, message: string | Buffer): Promise<number> {
    const node = this.#node();
    return node === undefined ? this.#publish(channel, message) : node.publish(channel, message);
  }

  /** The pinned master connection on a cluster; undefined on a single server or none ready. */
  #node(): Redis | undefined {
    if (!this.#redis.isCluster) return undefined;
    const masters = (this.#redis as Cluster).nodes('master');
    if (this.#pinned?.status === 'ready' && masters.includes(this.#pinned)) return this.#pinned;
    const ready = masters.filter((node) => node.status === 'ready');
    // Random, so the instances of a deployment spread their publishes over the masters.
    // With no master ready (a failover, the cluster down) the Cluster client fails fast.
    this.#pinned = ready[Math.floor(Math.random() * ready.length)];
    return this.#pinned;
  }
}

/**
 * A plain connection to the `attempt`-th node a cluster client knows (round robin over every
 * node, replicas included: PUBLISH on any node reaches subscribers on all of them), or to a
 * seed node while the client knows none (the cluster was unreachable so far). It does not
 * reconnect: when the node dies, 'end' fires and the caller opens one to the next node.
 */
export function clusterSubscriberConnection(cluster: Cluster, attempt: number): Redis {
  const nodes = cluster.nodes('all');
  const node = nodes[attempt % Math.max(nodes.length, 1)];
  const seed = seedNode(cluster, attempt);
  return new Redis({
    ...(node?.options ?? cluster.options.redisOptions ?? {}),
    host: node?.options.host ?? seed.host,
    port: node?.options.port ?? seed.port,
    autoResubscribe: false,
    lazyConnect: true,
    retryStrategy: () => null,
  });
}

function seedNode(cluster: Cluster, attempt: number): { host: string; port: number } {
  // ioredis keeps the seeds in a private field; the option types do not expose it.
  const seeds = (cluster as unknown as { startupNodes?: { host?: string; port?: number }[] })
    .startupNodes;
  const seed = seeds?.[attempt % Math.max(seeds.length, 1)];
  return { host: seed?.host ?? '127.0.0.1', port: seed?.port ?? 6379 };
}

/**
 * After a bus dropped messages on a Redis Cluster, tells the other instances so they resync:
 * on a single server the outage that dropped them also cut every subscriber (they resync on
 * reconnect), but a cluster node that dies under one publisher leaves the others' subscribers
 * on other nodes connected, unaware of the gap. `owe()` starts sending the notice (`send`),
 * every `retryMs` until one send succeeds.
 */
export class DropNotice {
  readonly #send: () => Promise<unknown>;
  readonly #retryMs: number;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(send: () => Promise<unknown>, retryMs = 500) {
    this.#send = send;
    this.#retryMs = retryMs;
  }

  /** Messages were dropped: send the notice once Redis takes it (no-op while one is pending). */
  owe(): void {
    if (this.#timer !== undefined || this.#closed) return;
    this.#timer = setTimeout(() => void this.#attempt(), this.#retryMs);
    this.#timer.unref();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  async #attempt(): Promise<void> {
    const sent = await this.#send().then(
      () => true,
      () => false,
    );
    this.#timer = undefined;
    if (!sent) this.owe();
  }
}
