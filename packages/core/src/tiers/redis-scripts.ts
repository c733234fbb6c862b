/**
 * Lua scripts of the Redis tier. A value is a hash: `d` the encoded JSON, `v` the version,
 * `e` the logical expiry in epoch ms ('' for none). A tombstone is a hash with `v` only.
 * Every script touches keys of one hash tag only, so each runs unchanged on a Redis Cluster.
 */

/**
 * Shared body: a function `apply(K, A)` that applies one entry to K[1]. A: kind ('v' value |
 * 't' tombstone), value, version ('' = assign max(stored + 1, server time in µs)), ttl ms,
 * expiresAt ('' = none), expected ('' = no condition | '-' = must be absent | version = must
 * equal). Returns {applied 0|1, version string}. The server time is read once per script.
 */
const APPLY = `
local now
local function apply(K, A)
  -- 'e' rather than 'd': a live value always has both, and the value is not copied into Lua.
  local cur = redis.call('HMGET', K[1], 'v', 'e')
  local stored = tonumber(cur[1]) or 0
  local live = cur[2] ~= false
  local expected = A[6]
  if expected == '-' and live then return {0, '0'} end
  if expected ~= '' and expected ~= '-' and ((not live) or cur[1] ~= expected) then return {0, '0'} end
  local v
  if A[3] == '' then
    if not now then now = redis.call('TIME') end
    v = math.max(stored + 1, tonumber(now[1]) * 1000000 + tonumber(now[2]))
  else
    v = tonumber(A[3])
    if v <= stored then return {0, A[3]} end
  end
  local vs = string.format('%.0f', v)
  if A[1] == 't' then
    redis.call('DEL', K[1])
    redis.call('HSET', K[1], 'v', vs)
  else
    redis.call('HSET', K[1], 'd', A[2], 'v', vs, 'e', A[5])
  end
  redis.call('PEXPIRE', K[1], A[4])
  return {1, vs}
end
`;

/**
 * A session lock's value is its holder's token; a contender appends `!` to it to ask a holder
 * that keeps its lease (see `LockOptions.keepMs`) to give the key up. `HELD(v, t)`: lock value
 * `v` is token `t`'s, asked for or not.
 */
const HELD = (v: string, t: string) => `(${v} == ${t} or ${v} == ${t} .. '!')`;

/**
 * Session-lock handling around a write: lock key K[k], token A[a], mode A[a+1], lease A[a+2]
 * ms (kept leases only; '0' keeps the lease as it is). Modes: '0' release, '1' fence and
 * release, 'k' fence and keep, 'K' keep (not fenced). FENCE refuses the write ({0, '-1'}) when
 * the lock is no longer this token's (its lease ran out and another holder may have read older
 * data). AFTER releases the lock if still ours, or for a kept lease renews it, unless a
 * contender asked for it: then the lease is given up. It sets result[3]: 0 kept (or released
 * as asked), 1 given up to a contender, 2 not held.
 */
const FENCE = (k: number, a: number) => `
  local lockMode = K[${k}] and A[${a + 1}]
  local lockValue = lockMode and redis.call('GET', K[${k}])
  local ours = lockMode and ${HELD('lockValue', `A[${a}]`)}
  if (lockMode == '1' or lockMode == 'k') and not ours then return {0, '-1', 2} end
`;
const AFTER = (k: number, a: number) => `
  result[3] = 0
  if lockMode then
    if not ours then
      result[3] = 2
    elseif lockMode ~= 'k' and lockMode ~= 'K' then
      redis.call('DEL', K[${k}])
    elseif lockValue ~= A[${a}] then
      redis.call('DEL', K[${k}])
      result[3] = 1
    elseif A[${a + 2}] ~= '0' then
      redis.call('PEXPIRE', K[${k}], A[${a + 2}])
    end
  end
`;

/** `write(K, A)`: one entry (see APPLY) with the lock handling of K[2], A[7..9]. */
const WRITE = `
local function write(K, A)
${FENCE(2, 7)}
  local result = apply(K, A)
${AFTER(2, 7)}
  return result
end
`;

/** `journaled(K, A)`: see {@link JOURNALED_WRITE_SCRIPT}. */
const JOURNALED = `
local function journaled(K, A)
${FENCE(4, 10)}
  local result = apply(K, A)
  if result[1] == 1 then
    local vs = result[2]
    if A[1] == 't' or A[5] == '' then
      redis.call('PERSIST', K[1])
    else
      redis.call('PEXPIREAT', K[1], A[5])
    end
    if A[1] == 't' then
      redis.call('XADD', K[2], '*', 'n', A[7], 'k', A[8], 'v', vs, 'e', A[5], 'c', A[4], 't', '1')
    else
      redis.call('XADD', K[2], '*', 'n', A[7], 'k', A[8], 'v', vs, 'e', A[5], 'c', A[4], 'd', A[2])
    end
    local deadline = tonumber(redis.call('GET', K[3]) or '0') or 0
    if deadline == 0 or deadline > tonumber(A[9]) then redis.call('SET', K[3], A[9]) end
  end
${AFTER(4, 10)}
  return result
end
`;

/**
 * Write one entry (see APPLY). With KEYS[2] (a session lock), ARGV[7] (its token), ARGV[8]
 * (mode) and ARGV[9] (lease), release or keep the lock in the same step
 * (see FENCE), so the next holder can only read the new value. Returns {applied 0|1, version,
 * lock state}; {0, '-1'} when fenced off.
 */
export const WRITE_SCRIPT = `${APPLY}${WRITE}
return write(KEYS, ARGV)
`;

/**
 * Write one entry and, in the same atomic step, append it to the shard's write-behind journal
 * (KEYS[2], a Stream) and lower the shard's flush deadline (KEYS[3]) to ARGV[9] (epoch ms).
 * ARGV[7] namespace, ARGV[8] PostgreSQL key. There is never a value without its journal entry.
 * Until it is flushed the key keeps no cache TTL (only its logical expiry, if any), so a late
 * flush can never let it expire and PostgreSQL's older value take its place; the flusher sets
 * the cache TTL (ARGV[4], carried in the entry as `c`) once the entry is committed. With
 * KEYS[4] (lock), ARGV[10] (token), ARGV[11] (mode), ARGV[12] (lease), a session
 * lock is released or kept in the same step.
 */
export const JOURNALED_WRITE_SCRIPT = `${APPLY}${JOURNALED}
return journaled(KEYS, ARGV)
`;

/**
 * Several writes of one hash tag in one step (the kept-lease writes of one tick). ARGV[1] is
 * a JSON array with one `[kind, key count, args]` per write (kind 'w' WRITE_SCRIPT | 'j'
 * JOURNALED_WRITE_SCRIPT): one argument instead of a dozen per write, which is what costs
 * the client most; its keys follow one another in KEYS. Returns the writes' replies (as the
 * single scripts give them, {-2, error, 2} for a write that failed) one after another in one
 * flat array: a table per write made Redis check each for error fields (~1 us per write).
 */
export const BATCH_WRITE_SCRIPT = `${APPLY}${WRITE}${JOURNALED}
local out = {}
local ki = 1
for e, w in ipairs(cjson.decode(ARGV[1])) do
  local nk = w[2]
  local K = {}
  for j = 1, nk do K[j] = KEYS[ki + j - 1] end
  ki = ki + nk
  local ok, reply = pcall(w[1] == 'j' and journaled or write, K, w[3])
  local at = e * 3 - 2
  if ok then
    out[at], out[at + 1], out[at + 2] = reply[1], reply[2], reply[3] or 2
  else
    -- One failing write (a foreign value on its key) fails alone: the others stand.
    out[at], out[at + 1], out[at + 2] = -2, type(reply) == 'table' and reply.err or tostring(reply), 2
  end
end
return out
`;

/**
 * Take lock KEYS[1] for token ARGV[1] for ARGV[2] ms; re-entrant for the same token. When
 * another token holds it, ask that holder for it: a `!` after its token (seen by its next
 * write) and the lock's name in the shard's wanted set KEYS[#KEYS] (seen by its next tick when
 * idle). Taking a free lock takes its name out of that set.
 */
const TAKE_LOCK = `
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
  redis.call('SREM', KEYS[#KEYS], KEYS[1])
else
  local holder = redis.call('GET', KEYS[1])
  if not ${HELD('holder', 'ARGV[1]')} then
    if holder and string.sub(holder, -1) ~= '!' then redis.call('APPEND', KEYS[1], '!') end
    redis.call('SADD', KEYS[#KEYS], KEYS[1])
    redis.call('PEXPIRE', KEYS[#KEYS], ARGV[2])
    return {0}
  end
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
`;

/** Take the session lock KEYS[1] (wanted set KEYS[2], token ARGV[1], lease ARGV[2] ms). Returns {1} or {0}. */
export const LOCK_SCRIPT = `${TAKE_LOCK}
return {1}
`;

/**
 * Take the session lock KEYS[1] (token ARGV[1], lease ARGV[2] ms; wanted set KEYS[3]) and, when
 * taken, read the value hash KEYS[2] in the same step: `{1, d, v, e}` or `{0}`. Re-entrant for the same token,
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
  local holder = redis.call('GET', KEYS[i])
  if ${HELD('holder', 'ARGV[1]')} then
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
  local holder = redis.call('GET', KEYS[i])
  if ${HELD('holder', 'ARGV[1]')} then
    redis.call('PEXPIRE', KEYS[i], ARGV[2])
    renewed = renewed + 1
  end
end
return renewed
`;

/**
 * Kept leases of one shard: extend each lock KEYS[2..] still held by token ARGV[1] to ARGV[2]
 * ms, and list the shard's wanted set KEYS[1]. Returns {states, wanted lock names}: per lock 0
 * not held, 1 renewed, 2 renewed but asked for.
 */
export const CHECK_KEPT_SCRIPT = `
local states = {}
for i = 2, #KEYS do
  local holder = redis.call('GET', KEYS[i])
  local state = 0
  if ${HELD('holder', 'ARGV[1]')} then
    redis.call('PEXPIRE', KEYS[i], ARGV[2])
    state = holder == ARGV[1] and 1 or 2
  end
  states[#states + 1] = state
end
return {states, redis.call('SMEMBERS', KEYS[1])}
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
