import {
  createRedisClient,
  type HybridStateConfig,
  type OpenSql,
  openPostgres,
  openStore,
  type TieredStore,
} from '@hybridstate/core';
import type { Redis } from 'ioredis';
import type { CliKeyspace } from '../cli-keyspace.ts';

/** The connections the deeper checks share: the store, plus raw clients to look behind it. */
export interface DoctorSession {
  readonly store: TieredStore;
  readonly redis: Redis;
  readonly sql: OpenSql;
  readonly families: CliKeyspace;
  readonly schema: string;
  close(): Promise<void>;
}

/** Open the store (its flusher off: doctor observes, it does not flush) and raw clients. */
export async function openDoctorSession(
  config: HybridStateConfig & { redis: { mode: 'redis'; url: string } },
  families: CliKeyspace,
  schema: string,
): Promise<DoctorSession> {
  const opened = await openStore(config, families.keyspace, undefined, {
    sweepIntervalMs: 0,
    postgresTier: { schema },
    writeBehind: { enabled: false },
  });
  const redis = await createRedisClient(config.redis.url, { commandTimeout: 3000 });
  const sql = await openPostgres(config.postgres, { max: 2 });
  return {
    store: opened.store,
    redis,
    sql,
    families,
    schema,
    async close() {
      redis.disconnect();
      await sql.close();
      await opened.close();
    },
  };
}
