/**
 * The shape of a stored key: its segments with identifiers replaced by `*`, so keys of one
 * family group together without knowing the app's declarations. A segment is an identifier
 * when it holds a digit or an escape (`%`): `user_data:42:phone` -> `user_data:*:phone`,
 * `session:userSession:-1001` -> `session:userSession:*`.
 *
 * @example
 * ```ts
 * keyShape('legacy:month:2024_01:regular'); // 'legacy:month:*:regular'
 * ```
 */
export function keyShape(key: string): string {
  return key
    .split(':')
    .map((segment) => (/[0-9%]/.test(segment) || segment === '' ? '*' : segment))
    .join(':');
}

/** The part of a Redis key after its `{prefix:shard}:` hash tag; `undefined` for other keys. */
export function keyOfRedisKey(redisKey: string, prefix: string): string | undefined {
  if (!redisKey.startsWith(`{${prefix}:`)) return undefined;
  const close = redisKey.indexOf('}:');
  return close < 0 ? undefined : redisKey.slice(close + 2);
}

/** True when `shape` is the family a user named: the shape itself, or its leading segments. */
export function shapeMatches(shape: string, wanted: string): boolean {
  return shape === wanted || shape.startsWith(`${wanted}:`);
}

const LEGACY_GLOBAL = new Set(['global', 'lots', 'polls', 'channels']);

/** True for a key of seed 000's `telegraf-session-redis` layout (see `hybridstate import --legacy`). */
export function isLegacySessionKey(redisKey: string): boolean {
  return (
    LEGACY_GLOBAL.has(redisKey) ||
    /^-?\d+-(user|chat)$/.test(redisKey) ||
    /^-?\d+:-?\d+$/.test(redisKey)
  );
}
