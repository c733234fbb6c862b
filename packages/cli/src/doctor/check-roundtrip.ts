import { randomBytes } from 'node:crypto';
import { round } from '../connect/probe-redis.ts';
import { type CheckResult, check } from './doctor-report.ts';
import type { DoctorSession } from './doctor-session.ts';

/**
 * Write -> read through every tier: a durable value (PostgreSQL commit, then Redis) and an
 * ephemeral one (Redis only), each then read back through the store and looked up directly
 * in Redis and in PostgreSQL, so a tier that silently drops writes shows. Probe keys are
 * deleted afterwards (and expire within a minute if the command dies).
 */
export async function checkRoundTrip(session: DoctorSession): Promise<CheckResult> {
  const { store, families } = session;
  const id = randomBytes(6).toString('hex');
  const durable = families.doctorDurable.key({ id });
  const ephemeral = families.doctorEphemeral.key({ id });
  const value = { probe: id, at: Date.now() };
  const started = performance.now();
  try {
    await store.setMany([
      { ref: durable, value },
      { ref: ephemeral, value },
    ]);
    const writeMs = performance.now() - started;
    const [viaStore] = await store.getMany([durable]);
    const inRedis = await session.redis.hget(durable.redisKey, 'd');
    const inEphemeral = await session.redis.hget(ephemeral.redisKey, 'd');
    const rows = await session.sql.sql.query<{ value: unknown }>(
      `SELECT value FROM ${session.schema}.hs_kv WHERE namespace = $1 AND key = $2`,
      [durable.family.namespace, durable.key],
    );
    const missing = [
      JSON.stringify(viaStore) === JSON.stringify(value) ? undefined : 'the store read',
      inRedis === null ? 'Redis (durable copy)' : undefined,
      inEphemeral === null ? 'Redis (ephemeral value)' : undefined,
      rows[0]?.value == null ? 'PostgreSQL' : undefined,
    ].filter((m) => m !== undefined);
    const details = { writeMs: round(writeMs), totalMs: round(performance.now() - started) };
    if (missing.length > 0)
      return check(
        'roundtrip',
        'fail',
        `a written value did not come back from ${missing.join(', ')}`,
        details,
        'check the server logs for write errors and run the check again',
      );
    return check(
      'roundtrip',
      'ok',
      `durable write -> PostgreSQL + Redis and ephemeral write -> Redis read back in ${details.totalMs} ms`,
      details,
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return check(
      'roundtrip',
      'fail',
      `the round trip failed: ${message}`,
      {},
      'see the message; run `hybridstate doctor` again once the tier is back',
    );
  } finally {
    await store.deleteMany([durable, ephemeral]).catch(() => undefined);
  }
}
