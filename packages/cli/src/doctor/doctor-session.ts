import type { RedisClient } from '@hybridstate/core';
import {
  type HybridStateConfig,
  type OpenSql,
  openPostgres,
  openStore,
  type TieredStore,
} from '@hybridstate/core';
import type { CliKeyspace } from '../cli-keyspace.ts';

/** The store and a raw SQL pool, for the checks that look behind the store. */
export interface DoctorSession {
  readonly store: TieredStore;
  readonly redis: RedisClient;
  readonly sql: OpenSql;
  readonly families: CliKeyspace;
  readonly schema: string;
  close(): Promise<void>;
}

/** Open the store (its flusher off: doctor observes, it does not flush) and a raw SQL pool. */
export async function openDoctorSession(
  config: HybridStateConfig,
  redis: RedisClient,
  families: CliKeyspace,
  schema: string,
): Promise<DoctorSession> {
  const opened = await openStore(config, families.keyspace, undefined, {
    sweepIntervalMs: 0,
    postgresTier: { schema },
    writeBehind: { enabled: false },
  });
  const sql = await openPostgres(config.postgres, { max: 2 });
  return {
    store: opened.store,
    redis,
    sql,
    families,
    schema,
    async close() {
      await sql.close();
      await opened.close();
    },
  };
}
