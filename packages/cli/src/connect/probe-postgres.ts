import pg from 'pg';
import { type Explanation, explainFailure } from './explain-failure.ts';
import { round } from './probe-redis.ts';

/** What connecting to PostgreSQL showed. */
export type PostgresProbe =
  | {
      readonly ok: true;
      readonly host: string;
      readonly port: number;
      readonly connectMs: number;
      /** One `SELECT 1` round trip on the open connection, ms. */
      readonly latencyMs: number;
      readonly serverVersion: string;
      /** Newest applied hybridstate migration in the schema; 0 when the schema has none. */
      readonly schemaVersion: number;
    }
  | {
      readonly ok: false;
      readonly host: string;
      readonly port: number;
      readonly explanation: Explanation;
    };

/**
 * Connect once to `url`, run `SELECT 1`, read the server version and the schema's migration
 * version, disconnect. Failures are explained, never thrown.
 *
 * @example
 * ```ts
 * const probe = await probePostgres(config.postgres.url, 'DATABASE_URL', 'hybridstate');
 * ```
 */
export async function probePostgres(
  url: string,
  source: string,
  schema: string,
  timeoutMs = 3000,
): Promise<PostgresProbe> {
  const parsed = new URL(url);
  const host = decodeURIComponent(parsed.hostname);
  const port = Number(parsed.port || 5432);
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  client.on('error', () => undefined);
  const started = performance.now();
  try {
    await client.connect();
    await client.query('SELECT 1');
    const connectMs = performance.now() - started;
    const queried = performance.now();
    await client.query('SELECT 1');
    const latencyMs = performance.now() - queried;
    const version = await client.query<{ server_version: string }>('SHOW server_version');
    return {
      ok: true,
      host,
      port,
      connectMs: round(connectMs),
      latencyMs: round(latencyMs),
      serverVersion: version.rows[0]?.server_version ?? 'unknown',
      schemaVersion: await schemaVersion(client, schema),
    };
  } catch (error) {
    const tls = /sslmode=(require|verify)/.test(parsed.search);
    const target = { tier: 'postgres', source, host, port, tls } as const;
    return { ok: false, host, port, explanation: explainFailure(error, target) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function schemaVersion(client: pg.Client, schema: string): Promise<number> {
  const table = await client.query<{ exists: string | null }>('SELECT to_regclass($1) AS exists', [
    `${schema}.hs_migrations`,
  ]);
  if (table.rows[0]?.exists == null) return 0;
  const rows = await client.query<{ version: number | null }>(
    `SELECT max(version) AS version FROM ${schema}.hs_migrations`,
  );
  return Number(rows.rows[0]?.version ?? 0);
}
