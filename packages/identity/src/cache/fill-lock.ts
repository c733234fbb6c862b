import { randomUUID } from 'node:crypto';
import type { KeyRef, RedisClient } from '@hybridstate/core';
import type { GuardedRedis } from '../redis/guarded-redis.ts';

const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

type ScriptedClient = RedisClient & { hsFillRelease(key: string, token: string): Promise<number> };

/**
 * The cross-process half of single flight: the first instance to miss a key takes a short
 * Redis lease (`SET NX PX`) and runs the loader; the others poll the key until the value
 * appears or the lease is gone. The lease shares the value's hash tag (one Cluster slot),
 * and its key starts with `#`, which no family key can produce.
 */
export class FillLock {
  readonly #redis: GuardedRedis;

  constructor(redis: GuardedRedis) {
    this.#redis = redis;
    const client = redis.client;
    if (client !== undefined && !('hsFillRelease' in client))
      client.defineCommand('hsFillRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
  }

  /** Take the lease for `ref`; returns its token, or `undefined` when another holds it. */
  async acquire(ref: KeyRef, leaseMs: number): Promise<string | undefined> {
    const token = randomUUID();
    const ok = await this.#redis.call(
      (client) => client.set(lockKeyOf(ref), token, 'PX', leaseMs, 'NX'),
      'OK' as const,
    );
    return ok === 'OK' ? token : undefined;
  }

  /** Give the lease back (only if still ours). */
  async release(ref: KeyRef, token: string): Promise<void> {
    await this.#redis.call(
      (client) => (client as ScriptedClient).hsFillRelease(lockKeyOf(ref), token),
      0,
    );
  }

  /**
   * Poll until a value `accept`s (raw Redis text) appears, the lease disappears, or `waitMs`
   * passes. Returns the value text, or `undefined` when the holder gave up without writing.
   */
  async waitForValue(
    ref: KeyRef,
    waitMs: number,
    accept: (text: string) => boolean,
  ): Promise<string | undefined> {
    const deadline = Date.now() + waitMs;
    for (let delay = 5; Date.now() < deadline; delay = Math.min(delay * 2, 50)) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      const [value, lease] = await this.#redis.call(
        (client) => client.mget(ref.redisKey, lockKeyOf(ref)),
        [null, null],
      );
      if (value != null && accept(value)) return value;
      if (lease === null || lease === undefined) return undefined;
    }
    return undefined;
  }
}

function lockKeyOf(ref: KeyRef): string {
  return `${ref.redisKey.slice(0, ref.redisKey.indexOf('}') + 1)}:#fill:${ref.key}`;
}
