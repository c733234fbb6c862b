import { randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { hsError } from '../errors.ts';
import { type Logger, silentLogger } from '../logger.ts';
import type { RedisClient } from '../tiers/redis-tier.ts';
import { unwrapEnvelope, wrapEnvelope } from './bus-envelope.ts';
import { clusterSubscriberConnection, DropNotice, PublishRoute } from './cluster-pubsub.ts';
import { ListenerSet } from './listener-set.ts';
import type { BusListener, MessageBus } from './message-bus.ts';

/** Options of {@link RedisMessageBus}. */
export interface RedisMessageBusOptions {
  /** Prepended to every channel name on Redis. @default 'hs:bus:' */
  readonly channelPrefix?: string;
  /** The longest a `publish` waits for Redis before it counts the message as dropped. @default 1000 */
  readonly publishTimeoutMs?: number;
  /** @default silentLogger */
  readonly logger?: Logger;
}

/** Defaults of {@link RedisMessageBusOptions}. */
export const REDIS_MESSAGE_BUS_DEFAULTS = {
  channelPrefix: 'hs:bus:',
  publishTimeoutMs: 1000,
} as const;

/**
 * The channel (after the prefix) of the "messages were dropped, resync" notice on a Redis
 * Cluster: reserved, not for applications.
 */
export const RESYNC_CHANNEL = '__resync__';

/** Options with every default applied. */
export type ResolvedRedisMessageBusOptions = Required<RedisMessageBusOptions>;

/** Apply defaults and check the options once. */
export function resolveRedisMessageBusOptions(
  options: RedisMessageBusOptions = {},
): Readonly<ResolvedRedisMessageBusOptions> {
  const resolved = {
    channelPrefix: options.channelPrefix ?? REDIS_MESSAGE_BUS_DEFAULTS.channelPrefix,
    publishTimeoutMs: options.publishTimeoutMs ?? REDIS_MESSAGE_BUS_DEFAULTS.publishTimeoutMs,
    logger: options.logger ?? silentLogger,
  };
  if (!Number.isSafeInteger(resolved.publishTimeoutMs) || resolved.publishTimeoutMs <= 0)
    throw hsError(
      'HS_CONFIG_INVALID',
      `RedisMessageBus option publishTimeoutMs must be a positive whole number of ms, got ${resolved.publishTimeoutMs}.`,
      { option: 'publishTimeoutMs' },
    );
  return Object.freeze(resolved);
}

/**
 * The {@link MessageBus} over Redis pub/sub. Publishing uses the injected client; listening
 * uses its own connection (`client.duplicate()`), because a subscribed connection can do
 * nothing else.
 *
 * - **Local first.** `publish` calls this process's listeners synchronously, then PUBLISHes;
 *   the copy coming back from Redis is skipped. So local-only work goes on while Redis is
 *   down, and local handlers do not pay a round trip.
 * - **Redis down.** `publish` never rejects for that and never hangs (at most
 *   `publishTimeoutMs`): the message is delivered locally, counted in `dropped` and logged
 *   once per outage. The other instances lose their subscriber connection in the same outage,
 *   so they resync when it returns.
 * - **Reconnect.** After every reconnect the channels are subscribed again, and then the
 *   resync listeners run: messages of the gap are lost for good (pub/sub is at most once).
 * - **Cluster.** Channel names are plain; PUBLISH on any node reaches every node of a Redis
 *   Cluster, so the subscriber is one plain connection to one node. When that node dies (a
 *   failover), the bus subscribes on another node the cluster knows and runs the resync
 *   listeners, as after any reconnect. The publishes of one bus all leave through one master,
 *   so other instances hear them in order (see {@link PublishRoute}). A bus that dropped
 *   messages (its master died or hung) announces it on {@link RESYNC_CHANNEL} once a master
 *   takes it, and the others run their resync listeners: their subscribers, on other nodes,
 *   saw no outage. Sharded pub/sub (SSUBSCRIBE/SPUBLISH) would scale further and is a later
 *   option.
 *
 * @example
 * ```ts
 * const bus = new RedisMessageBus(await connectRedis(config.redis), { logger });
 * bus.subscribe('l1', (key, origin) => origin !== bus.instanceId && cache.delete(key));
 * await bus.publish('l1', 'user:42');
 * ```
 */
export class RedisMessageBus implements MessageBus {
  readonly instanceId = randomUUID();
  readonly #publisher: RedisClient;
  readonly #route: PublishRoute;
  readonly #dropNotice: DropNotice;
  #subscriber: Redis;
  /**
   * Which cluster node to subscribe on next (round robin over the known nodes), from a random
   * start so the instances of a deployment spread their subscribers over the nodes.
   */
  #nextNode = Math.floor(Math.random() * 1024);
  readonly #options: ResolvedRedisMessageBusOptions;
  readonly #listeners: ListenerSet;
  readonly #resync = new Set<() => void>();
  #dropped = 0;
  #missed = false;
  #outageLogged = false;
  #closed = false;
  #settling: Promise<unknown> = Promise.resolve();

  constructor(client: RedisClient, options: RedisMessageBusOptions = {}) {
    this.#options = resolveRedisMessageBusOptions(options);
    this.#listeners = new ListenerSet(this.#options.logger);
    this.#publisher = client;
    this.#route = new PublishRoute(client);
    this.#dropNotice = new DropNotice(() =>
      this.#withTimeout(
        this.#route.publish(
          this.#options.channelPrefix + RESYNC_CHANNEL,
          wrapEnvelope(this.instanceId, ''),
        ),
      ),
    );
    this.#subscriber = this.#openSubscriber();
  }

  /**
   * The listening connection. We subscribe again ourselves on 'ready', so resync runs after
   * the channels are back. On a single server it reconnects by itself; on a cluster it does
   * not: when its node is gone, another node takes over (see {@link #replaceSubscriber}).
   */
  #openSubscriber(): Redis {
    const subscriber = this.#publisher.isCluster
      ? clusterSubscriberConnection(this.#publisher as Cluster, this.#nextNode++)
      : (this.#publisher as Redis).duplicate({ autoResubscribe: false, lazyConnect: true });
    subscriber.on('error', () => undefined);
    subscriber.on('message', (channel: string, raw: string) => this.#receive(channel, raw));
    subscriber.on('ready', () => this.#onReady());
    subscriber.on('close', () => this.#onClose());
    if (this.#publisher.isCluster) subscriber.once('end', () => this.#replaceSubscriber());
    subscriber.connect().catch(() => undefined);
    return subscriber;
  }

  #replaceSubscriber(): void {
    if (this.#closed) return;
    this.#missed = true;
    setTimeout(() => {
      if (this.#closed) return;
      this.#subscriber.removeAllListeners();
      this.#subscriber = this.#openSubscriber();
    }, 200).unref();
  }

  /** `true` while both connections are ready. */
  get connected(): boolean {
    return this.#subscriber.status === 'ready' && this.#publisher.status === 'ready';
  }

  /**
   * The server the listening connection points at now: on a Redis Cluster, the node this bus
   * subscribes on (it changes after that node dies). Read-only, for health output and tests.
   */
  get subscriberNode(): { readonly host: string; readonly port: number } {
    const { host, port } = this.#subscriber.options;
    return { host: host ?? '127.0.0.1', port: port ?? 6379 };
  }

  /**
   * The cluster master this bus publishes through now (see {@link PublishRoute}); undefined
   * on a single server, or before the first publish. Read-only, for health output and tests.
   */
  get publisherNode(): { readonly host: string; readonly port: number } | undefined {
    const pinned = this.#route.pinned;
    return pinned === undefined
      ? undefined
      : { host: pinned.options.host ?? '127.0.0.1', port: pinned.options.port ?? 6379 };
  }

  /** Messages that reached only this process because Redis refused or timed out. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Deliver locally now, then to every other instance through Redis (best effort). */
  async publish(channel: string, payload: string): Promise<void> {
    this.#listeners.deliver(channel, payload, this.instanceId);
    try {
      await this.#withTimeout(
        this.#route.publish(
          this.#options.channelPrefix + channel,
          wrapEnvelope(this.instanceId, payload),
        ),
      );
      this.#outageLogged = false;
    } catch (error) {
      this.#dropped++;
      if (this.#publisher.isCluster) this.#dropNotice.owe();
      if (!this.#outageLogged && !this.#closed) {
        this.#outageLogged = true;
        this.#options.logger.warn(
          { err: error, channel },
          'message bus: Redis did not take a message; it reached this process only (further drops stay quiet until Redis answers)',
        );
      }
    }
  }

  /** Calls `listener` for each message on `channel`, from this process and every other. */
  subscribe(channel: string, listener: BusListener): () => void {
    if (this.#listeners.add(channel, listener)) this.#redisSubscribe([channel]);
    return () => {
      if (this.#listeners.remove(channel, listener)) this.#redisUnsubscribe(channel);
    };
  }

  /** Calls `listener` after every reconnect, once the channels are subscribed again. */
  onResync(listener: () => void): () => void {
    this.#resync.add(listener);
    return () => {
      this.#resync.delete(listener);
    };
  }

  /**
   * Resolves once every SUBSCRIBE sent so far was answered (or failed): from then on, messages
   * other instances publish on those channels arrive. While the listening connection is still
   * opening (a new bus), it waits for that first (at most the connect timeout): the channels
   * are subscribed when it is ready. Tests and startup code await it.
   */
  async settled(): Promise<void> {
    await this.#opened();
    let current: Promise<unknown>;
    do {
      current = this.#settling;
      await current;
    } while (current !== this.#settling);
  }

  /** Resolves when the subscriber connection that is opening is ready, or failed to open. */
  #opened(): Promise<void> {
    const subscriber = this.#subscriber;
    if (!['wait', 'connecting', 'connect'].includes(subscriber.status)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        for (const event of ['ready', 'close', 'end']) subscriber.off(event, done);
        resolve();
      };
      // Registered after the bus's own 'ready' handler, which sends the SUBSCRIBEs first.
      for (const event of ['ready', 'close', 'end']) subscriber.once(event, done);
    });
  }

  /** Drops every subscription and closes the subscriber connection (the injected client stays open). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.clear();
    this.#resync.clear();
    this.#dropNotice.close();
    this.#subscriber.disconnect();
  }

  #receive(prefixed: string, raw: string): void {
    const { origin, payload } = unwrapEnvelope(raw);
    // Our own messages were delivered locally inside publish().
    if (origin === this.instanceId) return;
    const channel = prefixed.slice(this.#options.channelPrefix.length);
    if (channel !== RESYNC_CHANNEL) {
      this.#listeners.deliver(channel, payload, origin);
      return;
    }
    this.#options.logger.info(
      { origin },
      'message bus: another instance dropped messages; caches fed by the bus resynchronize',
    );
    this.#runAllResync();
  }

  #onReady(): void {
    const resync = this.#missed;
    this.#missed = false;
    const notices = this.#publisher.isCluster ? [RESYNC_CHANNEL] : [];
    this.#redisSubscribe([...this.#listeners.channels(), ...notices]);
    if (!resync) return;
    void this.settled().then(() => {
      this.#options.logger.info({}, 'message bus reconnected: caches fed by it resynchronize');
      this.#runAllResync();
    });
  }

  #onClose(): void {
    if (this.#closed) return;
    this.#missed = true;
  }

  #runAllResync(): void {
    for (const listener of [...this.#resync]) this.#runResync(listener);
  }

  #runResync(listener: () => void): void {
    try {
      listener();
    } catch (error) {
      this.#options.logger.error({ err: error }, 'a message-bus resync listener threw');
    }
  }

  #redisSubscribe(channels: string[]): void {
    if (channels.length === 0 || this.#subscriber.status !== 'ready') return;
    const names = channels.map((c) => this.#options.channelPrefix + c);
    this.#track(this.#subscriber.subscribe(...names), 'subscribe');
  }

  #redisUnsubscribe(channel: string): void {
    if (this.#subscriber.status !== 'ready') return;
    this.#track(this.#subscriber.unsubscribe(this.#options.channelPrefix + channel), 'unsubscribe');
  }

  #track(command: Promise<unknown>, what: string): void {
    const done = command.catch((error: unknown) => {
      // The channel list is replayed on the next 'ready', so a failure here heals on reconnect.
      if (!this.#closed)
        this.#options.logger.warn(
          { err: error },
          `message bus: ${what} failed; retried on reconnect`,
        );
    });
    this.#settling = Promise.all([this.#settling, done]);
  }

  #withTimeout<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${this.#options.publishTimeoutMs} ms`)),
        this.#options.publishTimeoutMs,
      );
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }
}
