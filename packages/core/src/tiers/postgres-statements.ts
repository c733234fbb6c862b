/** Microseconds since the epoch by the database clock: the version a PostgreSQL write assigns. */
const CLOCK_US = `(extract(epoch from clock_timestamp()) * 1000000)::bigint`;
const LIVE = `value IS NOT NULL AND (expires_at IS NULL OR expires_at > now())`;
const TO_TS = (param: string) =>
  `CASE WHEN ${param} IS NULL THEN NULL ELSE to_timestamp(${param} / 1000.0) END`;

/** Every SQL statement of the PostgreSQL tier, built once per schema. */
export class PostgresStatements {
  readonly read: string;
  readonly insertIfAbsent: string;
  readonly updateIfVersion: string;
  readonly scan: string;
  readonly count: string;
  readonly sweep: string;
  readonly staleMarks: string;
  readonly markStale: string;
  readonly clearStaleMarks: string;
  readonly #table: string;
  readonly #dirty: string;

  constructor(schema: string) {
    const kv = `${schema}.hs_kv`;
    this.#table = kv;
    this.#dirty = `${schema}.hs_kv_dirty`;
    this.read = `SELECT t.i, kv.value::text AS value, kv.version, (extract(epoch from kv.expires_at) * 1000)::float8 AS expires_at
      FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(n, k, i)
      JOIN ${kv} kv ON kv.namespace = t.n AND kv.key = t.k
      WHERE kv.value IS NOT NULL AND (kv.expires_at IS NULL OR kv.expires_at > now())`;
    this.insertIfAbsent = `INSERT INTO ${kv} AS kv (namespace, key, value, version, expires_at)
      VALUES ($1, $2, $3::jsonb, ${CLOCK_US}, ${TO_TS('$4::float8')})
      ON CONFLICT (namespace, key) DO UPDATE
        SET value = EXCLUDED.value, version = GREATEST(kv.version + 1, EXCLUDED.version), expires_at = EXCLUDED.expires_at, updated_at = now()
        WHERE kv.value IS NULL OR kv.expires_at <= now()
      RETURNING namespace, key, version`;
    this.updateIfVersion = `UPDATE ${kv}
      SET value = $3::jsonb, version = GREATEST(version + 1, ${CLOCK_US}), expires_at = ${TO_TS('$4::float8')}, updated_at = now()
      WHERE namespace = $1 AND key = $2 AND version = $5 AND ${LIVE}
      RETURNING namespace, key, version`;
    this.scan = `SELECT key FROM ${kv} WHERE namespace = $1 AND key > $2 AND ${LIVE} ORDER BY key LIMIT $3`;
    this.count = `SELECT count(*) AS n FROM ${kv} WHERE namespace = $1 AND ${LIVE}`;
    this.sweep = `WITH gone AS (DELETE FROM ${kv} WHERE ctid = ANY(ARRAY(
        SELECT ctid FROM ${kv} WHERE expires_at <= now() LIMIT $1)) RETURNING 1)
      SELECT count(*) AS n FROM gone`;
    this.staleMarks = `SELECT namespace, key, version, (extract(epoch FROM now() - marked_at) * 1000)::bigint AS age_ms FROM ${this.#dirty} WHERE namespace = ANY($1::text[]) ORDER BY marked_at LIMIT $2`;
    this.markStale = `INSERT INTO ${this.#dirty} (namespace, key, version)
      SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
      ON CONFLICT (namespace, key) DO UPDATE SET version = GREATEST(${this.#dirty}.version, EXCLUDED.version), marked_at = now()`;
    this.clearStaleMarks = `DELETE FROM ${this.#dirty} d USING unnest($1::text[], $2::text[], $3::bigint[]) AS t(n, k, v)
      WHERE d.namespace = t.n AND d.key = t.k AND d.version <= t.v`;
  }

  /**
   * Batch upsert from arrays ($1 namespaces, $2 keys, $3 values, $4 expiresAt ms, $5 versions).
   * `guarded`: apply only rows newer than the stored version. `markStale`: also record the keys
   * in `hs_kv_dirty` in the same statement (Redis is unreachable, its copies are now stale).
   * Rows are sorted so concurrent batches lock in the same order and cannot deadlock.
   */
  upsert(guarded: boolean, markStale: boolean): string {
    const version = guarded ? 't.v' : CLOCK_US;
    const upsert = `INSERT INTO ${this.#table} AS kv (namespace, key, value, version, expires_at)
      SELECT t.n, t.k, t.val::jsonb, ${version}, ${TO_TS('t.e')}
      FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::bigint[]) AS t(n, k, val, e, v)
      ORDER BY t.n, t.k
      ON CONFLICT (namespace, key) DO UPDATE
        SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at, updated_at = now(),
            version = ${guarded ? 'EXCLUDED.version' : 'GREATEST(kv.version + 1, EXCLUDED.version)'}
        ${guarded ? 'WHERE kv.version < EXCLUDED.version' : ''}
      RETURNING namespace, key, version`;
    return markStale ? this.#markingStale(upsert) : upsert;
  }

  /**
   * Compare-and-set of many keys at once, from arrays ($1 namespaces, $2 keys, $3 values, $4
   * expiresAt ms, $5 expected versions): each row is written only if it is live at its
   * expected version. One statement, so one transaction commit (one WAL flush) for them all.
   * Returns the rows written.
   */
  get updateIfVersions(): string {
    return `UPDATE ${this.#table} AS kv
      SET value = t.val::jsonb, version = GREATEST(kv.version + 1, ${CLOCK_US}), expires_at = ${TO_TS('t.e')}, updated_at = now()
      FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::bigint[]) AS t(n, k, val, e, x)
      WHERE kv.namespace = t.n AND kv.key = t.k AND kv.version = t.x
        AND kv.value IS NOT NULL AND (kv.expires_at IS NULL OR kv.expires_at > now())
      RETURNING kv.namespace, kv.key, kv.version`;
  }

  /**
   * {@link updateIfVersions} and, in the same statement, first writes of absent keys as
   * {@link insertIfAbsent} does ($6..$9: namespaces, keys, values, expiries). A key is in one
   * list only (a batch holds it once).
   */
  get updateIfVersionsOrInsert(): string {
    return `WITH u AS (${this.updateIfVersions}),
      i AS (INSERT INTO ${this.#table} AS kv (namespace, key, value, version, expires_at)
        SELECT t.n, t.k, t.val::jsonb, ${CLOCK_US}, ${TO_TS('t.e')}
        FROM unnest($6::text[], $7::text[], $8::text[], $9::float8[]) AS t(n, k, val, e)
        ON CONFLICT (namespace, key) DO UPDATE
          SET value = EXCLUDED.value, version = GREATEST(kv.version + 1, EXCLUDED.version), expires_at = EXCLUDED.expires_at, updated_at = now()
          WHERE kv.value IS NULL OR kv.expires_at <= now()
        RETURNING kv.namespace, kv.key, kv.version)
      SELECT namespace, key, version FROM u UNION ALL SELECT namespace, key, version FROM i`;
  }

  /** A compare-and-set statement, optionally also marking the key stale in `hs_kv_dirty`. */
  cas(statement: string, markStale: boolean): string {
    return markStale ? this.#markingStale(statement) : statement;
  }

  #markingStale(statement: string): string {
    return `WITH w AS (${statement}), d AS (
        INSERT INTO ${this.#dirty} (namespace, key, version) SELECT namespace, key, version FROM w
        ON CONFLICT (namespace, key) DO UPDATE SET version = GREATEST(${this.#dirty}.version, EXCLUDED.version), marked_at = now())
      SELECT namespace, key, version FROM w`;
  }

  /** Guarded batch upsert that returns only how many rows it applied (the write-behind flush). */
  get upsertGuardedCount(): string {
    return `WITH w AS (${this.upsert(true, false).replace('RETURNING namespace, key, version', 'RETURNING 1')}) SELECT count(*) AS applied FROM w`;
  }
}
