/**
 * Lua scripts of the Redis tier. A value is a hash: `d` the encoded JSON, `v` the version,
 * `e` the logical expiry in epoch ms ('' for none). A tombstone is a hash with `v` only.
 * Every script touches keys of one hash tag only, so each runs unchanged on a Redis Cluster.
 */

/**
 * Shared body: a function `apply()` that applies one entry to KEYS[1]. ARGV: kind ('v' value |
 * 't' tombstone), value, version ('' = assign max(stored + 1, server time in µs)), ttl ms,
 * expiresAt ('' = none), expected ('' = no condition | '-' = must be absent | version = must
 * equal). Returns {applied 0|1, version string}.
 */
const APPLY = `
local function apply()
  local cur = redis.call('HMGET', KEYS[1], 'v', 'd')
  local stored = tonumber(cur[1]) or 0
  local live = cur[2] ~= false
  local expected = ARGV[6]
  if expected == '-' and live then return {0, '0'} end
  if expected ~= '' and expected ~= '-' and ((not live) or cur[1] ~= expected) then return {0, '0'} end
  local v
  if ARGV[3] == '' then
    local t = redis.call('TIME')
    v = math.max(stored + 1, tonumber(t[1]) * 1000000 + tonumber(t[2]))
  else
    v = tonumber(ARGV[3])
    if v <= stored then return {0, ARGV[3]} end
  end
  local vs = string.format('%.0f', v)
  if ARGV[1] == 't' then
    redis.call('DEL', KEYS[1])
    redis.call('HSET', KEYS[1], 'v', vs)
  else
    redis.call('HSET', KEYS[1], 'd', ARGV[2], 'v', vs, 'e', ARGV[5])
  end
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  return {1, vs}
end
`;

/**
 * Session-lock handling around a write: lock key KEYS[k], token ARGV[a], fence flag ARGV[a+1].
 * FENCE refuses the write ({0, '-1'}) when the lock is no longer this token's (its lease ran
 * out and another holder may have read older data); RELEASE deletes the lock if still ours.
 */
const FENCE = (k: number, a: number) => `
if KEYS[${k}] and ARGV[${a + 1}] == '1' and redis.call('GET', KEYS[${k}]) ~= ARGV[${a}] then return {0, '-1'} end
`;
const RELEASE = (k: number, a: number) => `
if KEYS[${k}] and redis.call('GET', KEYS[${k}]) == ARGV[${a}] then redis.call('DEL', KEYS[${k}]) end
`;

/**
 * Write one entry (see APPLY). With KEYS[2] (a session lock), ARGV[7] (its token) and ARGV[8]
 * (fence '1'|'0'), release the lock in the same step, so the next holder can only read the new
 * value. Returns {applied 0|1, version}; {0, '-1'} when fenced off.
 */
export const WRITE_SCRIPT = `${APPLY}
${FENCE(2, 7)}
local result = apply()
${RELEASE(2, 7)}
return result
`;

/**
 * Write one entry and, in the same atomic step, append it to the shard's write-behind journal
 * (KEYS[2], a Stream) and lower the shard's flush deadline (KEYS[3]) to ARGV[9] (epoch ms).
 * ARGV[7] namespace, ARGV[8] PostgreSQL key. There is never a value without its journal entry.
 * Until it is flushed the key keeps no cache TTL (only its logical expiry, if any), so a late
 * flush can never let it expire and PostgreSQL's older value take its place; the flusher sets
 * the cache TTL (ARGV[4], carried in the entry as `c`) once the entry is committed. With
 * KEYS[4], ARGV[10] (token) and ARGV[11] (fence), a session lock is released in the same step.
 */
export const JOURNALED_WRITE_SCRIPT = `${APPLY}
${FENCE(4, 10)}
local result = apply()
if result[1] == 1 then
  local vs = result[2]
  if ARGV[1] == 't' or ARGV[5] == '' then
    redis.call('PERSIST', KEYS[1])
  else
    redis.call('PEXPIREAT', KEYS[1], ARGV[5])
  end
  if ARGV[1] == 't' then
    redis.call('XADD', KEYS[2], '*', 'n', ARGV[7], 'k', ARGV[8], 'v', vs, 'e', ARGV[5], 'c', ARGV[4], 't', '1')
  else
    redis.call('XADD', KEYS[2], '*', 'n', ARGV[7], 'k', ARGV[8], 'v', vs, 'e', ARGV[5], 'c', ARGV[4], 'd', ARGV[2])
  end
  local deadline = tonumber(redis.call('GET', KEYS[3]) or '0') or 0
  if deadline == 0 or deadline > tonumber(ARGV[9]) then redis.call('SET', KEYS[3], ARGV[9]) end
end
${RELEASE(4, 10)}
return result
`;

/** Take lock KEYS[1] for token ARGV[1] for ARGV[2] ms; re-entrant for the same token. */
const TAKE_LOCK = `
if not redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
  if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {0} end
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
`;

/** Take the session lock KEYS[1] (token ARGV[1], lease ARGV[2] ms). Returns {1} or {0}. */
export const LOCK_SCRIPT = `${TAKE_LOCK}
return {1}
`;

/**
 * Take the session lock KEYS[1] (token ARGV[1], lease ARGV[2] ms) and, when taken, read the
 * value hash KEYS[2] in the same step: `{1, d, v, e}` or `{0}`. Re-entrant for the same token,
 * so a retry after a lost reply does not wait on its own lock.
 */
export const LOCK_READ_SCRIPT = `${TAKE_LOCK}
local cur = redis.call('HMGET', KEYS[2], 'd', 'v', 'e')
return {1, cur[1], cur[2], cur[3]}
`;

/** Release locks KEYS[i] that still hold token ARGV[1]. Returns how many were released. */
export const UNLOCK_SCRIPT = `
local released = 0
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then
    redis.call('DEL', KEYS[i])
    released = released + 1
  end
end
return released
`;

/** Extend locks KEYS[i] that still hold token ARGV[1] to ARGV[2] ms. Returns how many it extended. */
export const RENEW_SCRIPT = `
local renewed = 0
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then
    redis.call('PEXPIRE', KEYS[i], ARGV[2])
    renewed = renewed + 1
  end
end
return renewed
`;

/** Delete KEYS[1] when its version is lower than ARGV[1]. Returns 1 when deleted. */
export const EVICT_SCRIPT = `
local stored = tonumber(redis.call('HGET', KEYS[1], 'v') or '0') or 0
if stored < tonumber(ARGV[1]) then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * Acknowledge and delete committed journal entries of stream KEYS[1] (group ARGV[1]). For
 * entry i, KEYS[i + 1] is its value key and ARGV holds (id, version, cache ttl ms) triples:
 * when the key still holds that version, its cache TTL starts now (it had none while pending).
 */
export const ACK_SCRIPT = `
local ids = {}
for i = 1, #KEYS - 1 do
  local base = 1 + (i - 1) * 3
  ids[#ids + 1] = ARGV[base + 1]
  local version, ttl = ARGV[base + 2], tonumber(ARGV[base + 3])
  if version ~= '' and ttl and redis.call('HGET', KEYS[i + 1], 'v') == version then
    local pttl = redis.call('PTTL', KEYS[i + 1])
    if pttl == -1 or pttl > ttl then redis.call('PEXPIRE', KEYS[i + 1], ttl) end
  end
end
redis.call('XACK', KEYS[1], ARGV[1], unpack(ids))
return redis.call('XDEL', KEYS[1], unpack(ids))
`;
