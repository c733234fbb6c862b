import type { Family, KeyPart, KeyRef, Logger, MessageBus } from '@hybridstate/core';
import type { CacheDefinition } from '../contexts/app-context.ts';
import { IdentityError } from '../errors.ts';
import type { GuardedRedis } from '../redis/guarded-redis.ts';
import { type CacheEntry, decodeEntry, encodeEntry, isTag } from './cache-entry.ts';
import {
  APPLICATION_CACHE_DEFAULTS,
  type ApplicationCacheOptions,
  type CacheWriteOptions,
} from './cache-options.ts';
import { FillLock } from './fill-lock.ts';
import { type InvalidationMessage, parseInvalidation } from './invalidation-message.ts';
import { LocalCache, type LocalEntry } from './local-cache.ts';
import { SingleFlight } from './single-flight.ts';

/** One declared cache of the context: its definition and key family. */
export interface DeclaredCache {
  readonly definition: CacheDefinition;
  readonly family: Family<'cache:x:x:{key}'>;
}

/** What a stack gives its application cache. */
export interface ApplicationCacheDeps {
  readonly context: string;
  readonly caches: ReadonlyMap<string, DeclaredCache>;
  readonly tagFamily: Family<'cache-tag:x:{tag}'>;
  readonly redis: GuardedRedis;
  readonly bus: MessageBus;
  /** Bus channel of this context's invalidations. */
  readonly channel: string;
  readonly logger: Logger;
}

/**
 * Seed 001's per-application caches (`cache:web:rates` 5 min...), as declared in the
 * context: memory L1 -> Redis -> your loader. `getOrSet` runs the loader once per key across
 * all instances (in-process single flight plus a Redis fill lease), serves the last value
 * for the cache's `graceMs` while the loader fails, and invalidates by key, prefix and tag on
 * every instance (Redis directly, L1s over the bus; a bus that may have missed messages
 * clears the L1).
 *
 * @example
 * ```ts
 * const rate = await stack.cache.getOrSet('rates', 'usd_uah', () => loadRate('USD', 'UAH'));
 * await stack.cache.invalidatePrefix('rates', 'usd_');
 * ```
 */
export class ApplicationCache {
  readonly context: string;
  readonly #deps: ApplicationCacheDeps;
  readonly #options: Required<ApplicationCacheOptions>;
  readonly #l1: LocalCache;
  readonly #flights = new SingleFlight();
  readonly #lock: FillLock;
  readonly #unsubscribe: (() => void)[];

  constructor(deps: ApplicationCacheDeps, options: ApplicationCacheOptions = {}) {
    this.context = deps.context;
    this.#deps = deps;
    this.#options = { ...APPLICATION_CACHE_DEFAULTS, ...options };
    this.#l1 = new LocalCache(this.#options.maxLocalEntries);
    this.#lock = new FillLock(deps.redis);
    this.#unsubscribe = [
      // Own messages are skipped: this instance already changed its L1 before publishing.
      deps.bus.subscribe(deps.channel, (payload, origin) => {
        if (origin !== deps.bus.instanceId) this.#onMessage(payload);
      }),
      deps.bus.onResync(() => this.#l1.clear()),
    ];
  }

  /**
   * The cached value of `key` in cache `name`, or the loader's result stored for the cache's
   * TTL. Throws `HS_CACHE_UNKNOWN` for an undeclared cache and `HS_CACHE_LOAD_FAILED` when the
   * loader fails with no value within grace to serve.
   */
  async getOrSet<T>(
    name: string,
    key: KeyPart,
    loader: () => Promise<T> | T,
    options: CacheWriteOptions = {},
  ): Promise<T> {
    const localKey = `${name}\u0000${key}`;
    const local = this.#l1.get(localKey, Date.now());
    if (local !== undefined && local.freshUntil > Date.now()) return local.value as T;
    return this.#flights.run(localKey, () =>
      this.#fill(this.#declared(name), key, localKey, loader, options),
    ) as Promise<T>;
  }

  /** The fresh cached value, or `undefined`. */
  async get<T>(name: string, key: KeyPart): Promise<T | undefined> {
    const localKey = `${name}\u0000${key}`;
    const now = Date.now();
    const local = this.#l1.get(localKey, now);
    if (local !== undefined && local.freshUntil > now) return local.value as T;
    const remote = await this.#readRemote(this.#ref(this.#declared(name), key));
    if (remote === undefined || remote.freshUntil <= now) return undefined;
    this.#l1.set(localKey, { ...remote, retryAt: 0 });
    return remote.value as T;
  }

  /** Store a value (replacing any) and drop other instances' L1 copies. */
  async set(
    name: string,
    key: KeyPart,
    value: unknown,
    options: CacheWriteOptions = {},
  ): Promise<void> {
    await this.#store(this.#declared(name), key, `${name}\u0000${key}`, value, options);
    await this.#publish({ keys: [[name, String(key)]] });
  }

  /** Drop one entry everywhere. */
  async delete(name: string, key: KeyPart): Promise<void> {
    const ref = this.#ref(this.#declared(name), key);
    this.#l1.delete(`${name}\u0000${key}`);
    await this.#deps.redis.call((client) => client.del(ref.redisKey), 0, true);
    await this.#publish({ keys: [[name, String(key)]] });
  }

  /** Drop every entry of cache `name` whose key starts with `prefix` (`''`: the whole cache). */
  async invalidatePrefix(name: string, prefix: string): Promise<number> {
    const { family } = this.#declared(name);
    this.#dropLocalPrefix(name, prefix);
    const deleted = await this.#deps.redis.scanDelete(
      family.redisPattern(),
      (redisKey) =>
        family.ownsRedisKey(redisKey) &&
        (family.paramsOf(redisKey.slice(redisKey.indexOf('}:') + 2)).key ?? '').startsWith(prefix),
    );
    await this.#publish({ prefix: [name, prefix] });
    return deleted;
  }

  /** Drop every entry stored with `tag`, in every cache of the context. */
  async invalidateTag(tag: string): Promise<void> {
    if (!isTag(tag)) return;
    this.#l1.deleteWhere((_, entry) => entry.tags.includes(tag));
    const tagKey = this.#deps.tagFamily.key({ tag }).redisKey;
    await this.#deps.redis.call(
      async (client) => {
        const members = await client.smembers(tagKey);
        await Promise.all([...members, tagKey].map((member) => client.del(member)));
      },
      undefined,
      true,
    );
    await this.#publish({ tag });
  }

  /** Stop listening to the bus. */
  close(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#l1.clear();
  }

  async #fill<T>(
    cache: DeclaredCache,
    key: KeyPart,
    localKey: string,
    loader: () => Promise<T> | T,
    options: CacheWriteOptions,
  ): Promise<T> {
    const ref = this.#ref(cache, key);
    const remote = await this.#readRemote(ref);
    const now = Date.now();
    if (remote !== undefined && remote.freshUntil > now) {
      this.#l1.set(localKey, { ...remote, retryAt: 0 });
      return remote.value as T;
    }
    const stale = this.#l1.get(localKey, now) ?? (remote && { ...remote, retryAt: 0 });
    if (stale !== undefined && stale.retryAt > now) return stale.value as T;
    const token = await this.#lock.acquire(ref, this.#options.fillLeaseMs);
    if (token === undefined) {
      const filled = await this.#waitForFill(ref);
      if (filled !== undefined) {
        this.#l1.set(localKey, { ...filled, retryAt: 0 });
        return filled.value as T;
      }
    }
    try {
      const value = await this.#load(cache, key, localKey, loader, stale);
      if (value.loaded) await this.#store(cache, key, localKey, value.value, options);
      return value.value as T;
    } finally {
      if (token !== undefined) await this.#lock.release(ref, token);
    }
  }

  async #load<T>(
    cache: DeclaredCache,
    key: KeyPart,
    localKey: string,
    loader: () => Promise<T> | T,
    stale: LocalEntry | undefined,
  ): Promise<{ value: T; loaded: boolean }> {
    try {
      return { value: await loader(), loaded: true };
    } catch (error) {
      if (stale === undefined || stale.staleUntil <= Date.now())
        throw loadFailed(cache, key, error);
      this.#deps.logger.warn(
        { err: error, cache: cache.family.name, key: String(key) },
        'cache loader failed: serving the last value within its grace period',
      );
      this.#l1.set(localKey, { ...stale, retryAt: Date.now() + this.#options.retryAfterFailureMs });
      return { value: stale.value as T, loaded: false };
    }
  }

  async #waitForFill(ref: KeyRef): Promise<CacheEntry | undefined> {
    const text = await this.#lock.waitForValue(
      ref,
      this.#options.fillLeaseMs,
      (raw) => Number(raw.slice(0, raw.indexOf('|'))) > Date.now(),
    );
    return text === undefined ? undefined : decodeEntry(text, ref.redisKey);
  }

  async #store(
    cache: DeclaredCache,
    key: KeyPart,
    localKey: string,
    value: unknown,
    options: CacheWriteOptions,
  ): Promise<void> {
    const ref = this.#ref(cache, key);
    const ttlMs = Math.min(options.ttlMs ?? cache.definition.ttlMs, cache.family.ttlMs ?? Infinity);
    const now = Date.now();
    const tags = (options.tags ?? []).filter(isTag);
    const entry: CacheEntry = {
      value,
      freshUntil: now + ttlMs,
      staleUntil: now + ttlMs + (cache.definition.graceMs ?? 0),
      tags,
    };
    this.#l1.set(localKey, { ...entry, retryAt: 0 });
    await this.#deps.redis.call(
      // Separate commands, not a pipeline: a tag's set and the entry sit in different slots,
      // often on different Cluster masters, and ioredis sends a pipeline to one node only.
      // PEXPIRE waits for SADD: a redirected SADD arriving second would leave a set without TTL.
      async (client) => {
        await Promise.all([
          client.set(ref.redisKey, encodeEntry(entry), 'PX', entry.staleUntil - now),
          ...tags.map(async (tag) => {
            const tagKey = this.#deps.tagFamily.key({ tag }).redisKey;
            await client.sadd(tagKey, ref.redisKey);
            await client.pexpire(tagKey, this.#deps.tagFamily.ttlMs ?? ttlMs);
          }),
        ]);
      },
      undefined,
      true,
    );
  }

  async #readRemote(ref: KeyRef): Promise<CacheEntry | undefined> {
    const text = await this.#deps.redis.get(ref.redisKey);
    return text === null ? undefined : decodeEntry(text, ref.redisKey);
  }

  #declared(name: string): DeclaredCache {
    const cache = this.#deps.caches.get(name);
    if (cache !== undefined) return cache;
    throw new IdentityError(
      'HS_CACHE_UNKNOWN',
      `No cache "${name}" is declared for context "${this.context}"; declared: ${[...this.#deps.caches.keys()].join(', ') || 'none'}. Add it to the context's caches.`,
      { context: { cache: name, appContext: this.context } },
    );
  }

  #ref(cache: DeclaredCache, key: KeyPart): KeyRef {
    return cache.family.key({ key });
  }

  #dropLocalPrefix(name: string, prefix: string): void {
    const start = `${name}\u0000${prefix}`;
    this.#l1.deleteWhere((localKey) => localKey.startsWith(start));
  }

  async #publish(message: InvalidationMessage): Promise<void> {
    try {
      await this.#deps.bus.publish(this.#deps.channel, JSON.stringify(message));
    } catch (error) {
      // The write itself succeeded; other instances' L1s catch up at their TTL or on resync.
      this.#deps.logger.warn({ err: error }, 'cache invalidation not published on the bus');
    }
  }

  #onMessage(payload: string): void {
    const message = parseInvalidation(payload);
    if (message === undefined) return;
    for (const [name, key] of message.keys ?? []) this.#l1.delete(`${name}\u0000${key}`);
    if (message.prefix !== undefined) this.#dropLocalPrefix(...message.prefix);
    if (message.tag !== undefined) {
      const tag = message.tag;
      this.#l1.deleteWhere((_, entry) => entry.tags.includes(tag));
    }
  }
}

function loadFailed(cache: DeclaredCache, key: KeyPart, cause: unknown): IdentityError {
  return new IdentityError(
    'HS_CACHE_LOAD_FAILED',
    `The loader of cache "${cache.family.name}" failed for key "${String(key).slice(0, 80)}" and no value within its grace period is cached: fix the source, or give the cache a graceMs.`,
    { cause, context: { cache: cache.family.name, key: String(key).slice(0, 80) } },
  );
}
