import type { RedisClient } from '@hybridstate/core';
import type { GuardedRedis } from './guarded-redis.ts';

/**
 * A Redis copy: `<version>|<payload>`. An empty payload is a tombstone: "the truth changed at
 * this version; anything older is stale". Copies are written only when newer than what is
 * there, so a reader that loaded old rows from PostgreSQL can never put them back over a
 * newer write, a revocation or an invalidation.
 */
export interface Copy {
  readonly version: number;
  /** `null` for a tombstone. */
  readonly payload: string | null;
}

/** Version of a tombstone nothing may overwrite (a revoked session). */
export const FINAL_VERSION = Number.MAX_SAFE_INTEGER;

const PUT_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current then
  local sep = string.find(current, '|', 1, true)
  local version = tonumber(string.sub(current, 1, sep - 1))
  local offered = tonumber(ARGV[1])
  if version > offered or (version == offered and sep < #current) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[3])
return 1`;

type ScriptedClient = RedisClient & {
  hsIdentityPut(key: string, version: number, payload: string, ttlMs: number): Promise<number>;
};

/** Version-guarded copies of PostgreSQL rows in Redis (see {@link Copy}). */
export class VersionedCopies {
  readonly #redis: GuardedRedis;

  constructor(redis: GuardedRedis) {
    this.#redis = redis;
    const client = redis.client;
    if (client !== undefined && !('hsIdentityPut' in client))
      client.defineCommand('hsIdentityPut', { numberOfKeys: 1, lua: PUT_SCRIPT });
  }

  /** The copy at `key`; `undefined` on a miss or while Redis cannot be trusted. */
  get(key: string): Promise<Copy | undefined> {
    return this.#redis.get(key).then(parseCopy);
  }

  /** Write a copy unless Redis holds a newer one. `payload: null` writes a tombstone. */
  async put(key: string, version: number, payload: string | null, ttlMs: number): Promise<void> {
    const ttl = Math.max(1, Math.ceil(ttlMs));
    await this.#redis.call(
      (client) => (client as ScriptedClient).hsIdentityPut(key, version, payload ?? '', ttl),
      0,
      payload === null,
    );
    // A tombstone must survive a failover, or the revoked copy comes back.
    if (payload === null) await this.#redis.confirmReplicated(key);
  }
}

function parseCopy(text: string | null): Copy | undefined {
  if (text === null) return undefined;
  const sep = text.indexOf('|');
  const payload = text.slice(sep + 1);
  return { version: Number(text.slice(0, sep)), payload: payload === '' ? null : payload };
}
