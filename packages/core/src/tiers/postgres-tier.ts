import { hsError } from '../errors.ts';
import type { Family, KeyRef } from '../keyspace/family.ts';
import type { ReservedSql, SqlClient } from '../sql/sql-client.ts';
import { toSqlError } from '../sql/sql-errors.ts';
import { type PendingCas, PostgresCasBatch } from './postgres-cas-batch.ts';
import { migrate } from './postgres-migrations.ts';
import { PostgresStatements } from './postgres-statements.ts';
import { TickBatcher } from './tick-batcher.ts';
import type { StoredEntry, Tier, TierWrite, WriteOutcome } from './tier.ts';

/** Options of {@link PostgresTier}. */
export interface PostgresTierOptions {
  /** Schema that holds the tables (`hs_kv`, `hs_kv_dirty`, `hs_migrations`). @default 'hybridstate' */
  readonly schema?: string;
}

/** Defaults of {@link PostgresTierOptions}. */
export const POSTGRES_TIER_DEFAULTS = { schema: 'hybridstate' } as const;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Most reads in one statement: a bigger batch makes its first reader wait for the others' rows. */
const READ_CHUNK = 32;

/** A read waiting for its tick's statement. */
interface PendingRead {
  readonly refs: readonly KeyRef[];
  readonly resolve: (entries: (StoredEntry | null)[]) => void;
  readonly reject: (error: unknown) => void;
}

/** A row for {@link PostgresTier.upsertGuarded}: stored only if `version` is newer. */
export interface GuardedRow {
  readonly namespace: string;
  readonly key: string;
  readonly value: string | null;
  readonly expiresAt: number | null;
  readonly version: number;
}

interface EntryRow {
  i: number | string;
  value: string;
  version: number | string;
  expires_at: number | null;
}

/**
 * PostgreSQL (or PGlite: same SQL) as a tier: one key-value table, `namespace` + `key`,
 * `value jsonb`, `version`, `expires_at`. It is the source of truth for durable families.
 * Versions it assigns are `max(stored + 1, clock_timestamp() in µs)`.
 *
 * @example
 * ```ts
 * const tier = new PostgresTier(pgSqlClient(pool));
 * await tier.migrate();
 * ```
 */
export class PostgresTier implements Tier {
  readonly kind: 'postgres' | 'pglite';
  readonly schema: string;
  readonly sql: SqlClient;
  readonly #q: PostgresStatements;
  /** Reads issued in one tick, one statement per {@link READ_CHUNK} of them. */
  readonly #reads = new TickBatcher<PendingRead>((batch) => this.#readMany(batch), READ_CHUNK);
  /** Compare-and-sets issued in one tick, one statement per batch. */
  readonly #casBatch = new PostgresCasBatch(
    (batch) => this.#compareAndSetMany(batch),
    ({ entry, expected }) => this.#compareAndSetOne(entry, expected, false),
  );

  constructor(sql: SqlClient, options: PostgresTierOptions = {}) {
    this.schema = options.schema ?? POSTGRES_TIER_DEFAULTS.schema;
    if (!SCHEMA_NAME.test(this.schema)) {
      throw hsError(
        'HS_CONFIG_INVALID',
        `PostgreSQL schema "${this.schema}" must be a lowercase identifier (${SCHEMA_NAME}).`,
        { schema: this.schema },
      );
    }
    this.sql = sql;
    this.kind = sql.dialect;
    this.#q = new PostgresStatements(this.schema);
  }

  /** Create or upgrade the tables. Safe to call from many instances at once. */
  async migrate(): Promise<number[]> {
    return migrate(this.sql, this.schema);
  }

  /**
   * Reads issued in the same tick go as one statement (see {@link READ_CHUNK}): the lock of
   * each new session key reads PostgreSQL on its own, and a tick often holds dozens of them.
   */
  read(refs: readonly KeyRef[]): Promise<(StoredEntry | null)[]> {
    if (refs.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => this.#reads.add('', { refs, resolve, reject }));
  }

  /** One statement for the reads of a tick; each caller gets its own entries, or the error. */
  #readMany(batch: readonly PendingRead[]): void {
    const refs = batch.length === 1 ? batch[0]!.refs : batch.flatMap((read) => read.refs);
    this.#readNow(refs).then(
      (entries) => {
        let at = 0;
        for (const read of batch) {
          read.resolve(entries.slice(at, at + read.refs.length));
          at += read.refs.length;
        }
      },
      (error: unknown) => {
        for (const read of batch) read.reject(error);
      },
    );
  }

  async #readNow(refs: readonly KeyRef[]): Promise<(StoredEntry | null)[]> {
    const rows = await this.#run<EntryRow>(
      this.#q.read,
      [refs.map((r) => r.family.namespace), refs.map((r) => r.key)],
      'hs_read',
    );
    const out: (StoredEntry | null)[] = refs.map(() => null);
    for (const row of rows) out[Number(row.i) - 1] = toEntry(row);
    return out;
  }

  async write(entries: readonly TierWrite[]): Promise<WriteOutcome[]> {
    if (entries.length === 0) return [];
    return this.#write(entries, false);
  }

  /**
   * Apply version-guarded rows in one statement and return how many were newer than what
   * PostgreSQL held (the rest were superseded). For the write-behind flusher: no per-row reply.
   */
  async upsertGuarded(rows: readonly GuardedRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    const newest = new Map<string, GuardedRow>();
    for (const row of rows) {
      const id = `${row.namespace}\n${row.key}`;
      if ((newest.get(id)?.version ?? -1) < row.version) newest.set(id, row);
    }
    const batch = [...newest.values()];
    const params = [
      batch.map((r) => r.namespace),
      batch.map((r) => r.key),
      batch.map((r) => r.value),
      batch.map((r) => r.expiresAt),
      batch.map((r) => r.version),
    ];
    const result = await this.#run<{ applied: string }>(
      this.#q.upsertGuardedCount,
      params,
      'hs_upsert_count',
    );
    return Number(result[0]?.applied ?? 0);
  }

  /** Write and, in the same statement, mark the keys' Redis copies stale (Redis is unreachable). */
  async writeMarkingStale(entries: readonly TierWrite[]): Promise<WriteOutcome[]> {
    return this.#write(entries, true);
  }

  /**
   * Compare-and-set; with `markStale` the key's Redis copy is also marked stale in the same
   * statement (Redis is unreachable), so a crash between the two cannot leave it unmarked.
   */
  compareAndSet(
    entry: Omit<TierWrite, 'version'>,
    expected: number | null,
    options: { markStale?: boolean } = {},
  ): Promise<WriteOutcome> {
    const mark = options.markStale === true;
    // The common case, a durable session's commit (an existing key written at the version
    // read, or a new key's first write): joins the other compare-and-sets of this tick in one
    // statement.
    if (!mark) return this.#casBatch.add(rowId(entry.ref), entry, expected);
    return this.#compareAndSetOne(entry, expected, mark);
  }

  async #compareAndSetOne(
    entry: Omit<TierWrite, 'version'>,
    expected: number | null,
    mark: boolean,
  ): Promise<WriteOutcome> {
    const params = [entry.ref.family.namespace, entry.ref.key, entry.value, entry.expiresAt];
    const rows =
      expected === null
        ? await this.#run<{ version: string }>(
            this.#q.cas(this.#q.insertIfAbsent, mark),
            params,
            `hs_cas_absent_${mark}`,
          )
        : await this.#run<{ version: string }>(
            this.#q.cas(this.#q.updateIfVersion, mark),
            [...params, expected],
            `hs_cas_version_${mark}`,
          );
    return rows[0] === undefined
      ? { applied: false, version: 0 }
      : { applied: true, version: Number(rows[0].version) };
  }

  /** A batch of compare-and-sets in one statement: each write's new version, or `undefined`. */
  async #compareAndSetMany(unsorted: readonly PendingCas[]): Promise<(number | undefined)[]> {
    // One order for every batch: two batches locking the same rows cannot wait on each other.
    const ids = new Map(unsorted.map((c) => [c, rowId(c.entry.ref)]));
    const batch = [...unsorted].sort((a, b) => (ids.get(a)! < ids.get(b)! ? -1 : 1));
    const updates = batch.filter((c) => c.expected !== null);
    const inserts = batch.filter((c) => c.expected === null);
    const columns = (list: readonly PendingCas[]) => [
      list.map((c) => c.entry.ref.family.namespace),
      list.map((c) => c.entry.ref.key),
      list.map((c) => c.entry.value),
      list.map((c) => c.entry.expiresAt),
    ];
    const updateParams = [...columns(updates), updates.map((c) => c.expected)];
    type Row = { namespace: string; key: string; version: string };
    const rows =
      inserts.length === 0
        ? await this.#run<Row>(this.#q.updateIfVersions, updateParams, 'hs_cas_versions')
        : await this.#run<Row>(
            this.#q.updateIfVersionsOrInsert,
            [...updateParams, ...columns(inserts)],
            'hs_cas_versions_or_insert',
          );
    const written = new Map(rows.map((r) => [`${r.namespace}\n${r.key}`, Number(r.version)]));
    return unsorted.map((c) => written.get(ids.get(c)!));
  }

  async *scan(family: Family, pageSize = 500): AsyncIterable<KeyRef[]> {
    let after = '';
    for (;;) {
      const rows = await this.#run<{ key: string }>(
        this.#q.scan,
        [family.namespace, after, pageSize],
        'hs_scan',
      );
      if (rows.length === 0) return;
      yield rows.map((r) => family.keyFromStorage(r.key));
      if (rows.length < pageSize) return;
      after = rows.at(-1)!.key;
    }
  }

  /** Live keys of a family, counted through the primary-key index. */
  async count(family: Family): Promise<number> {
    const rows = await this.#run<{ n: string }>(this.#q.count, [family.namespace]);
    return Number(rows[0]?.n ?? 0);
  }

  async ping(): Promise<number> {
    const started = performance.now();
    await this.#run('SELECT 1', []);
    return performance.now() - started;
  }

  /** Delete up to `limit` expired rows and tombstones; returns how many went. */
  async sweepExpired(limit = 1000): Promise<number> {
    const rows = await this.#run<{ n: string }>(this.#q.sweep, [limit]);
    return Number(rows[0]?.n ?? 0);
  }

  /** Up to `limit` keys of these namespaces whose Redis copies are stale (written while Redis was unreachable). */
  async staleMarks(
    namespaces: readonly string[],
    limit = 1000,
  ): Promise<{ namespace: string; key: string; version: number; ageMs: number }[]> {
    const rows = await this.#run<{
      namespace: string;
      key: string;
      version: string;
      age_ms: string | number;
    }>(this.#q.staleMarks, [namespaces, limit]);
    return rows.map((r) => ({
      namespace: r.namespace,
      key: r.key,
      version: Number(r.version),
      ageMs: Number(r.age_ms),
    }));
  }

  /** Mark keys' Redis copies stale after a write-through failed. */
  async markStale(refs: readonly KeyRef[], versions: readonly number[]): Promise<void> {
    await this.#run(this.#q.markStale, [
      refs.map((r) => r.family.namespace),
      refs.map((r) => r.key),
      versions,
    ]);
  }

  /** Clear marks once their Redis copies were purged (only marks not re-marked since). */
  async clearStaleMarks(
    marks: readonly { namespace: string; key: string; version: number }[],
  ): Promise<void> {
    await this.#run(this.#q.clearStaleMarks, [
      marks.map((m) => m.namespace),
      marks.map((m) => m.key),
      marks.map((m) => m.version),
    ]);
  }

  /**
   * Session-level advisory locks on the keys, held on a connection of their own until the
   * returned function runs: the cross-process key lock while Redis is down. A crashed holder's
   * connection closes and PostgreSQL frees its locks. Waits at most `waitMs`.
   */
  async lockKeys(refs: readonly KeyRef[], waitMs: number): Promise<() => Promise<void>> {
    const ids = [
      ...new Set(refs.map((r) => `${this.schema}\n${r.family.namespace}\n${r.key}`)),
    ].sort();
    const locked: string[] = [];
    let connection: ReservedSql;
    try {
      connection = await this.sql.reserve();
    } catch (error) {
      throw toSqlError(error, 'reserve', { tier: this.kind });
    }
    try {
      const deadline = Date.now() + waitMs;
      for (const id of ids) {
        // lock_timeout counts per statement: give each lock what is left of the wait.
        await connection.query(
          `SET lock_timeout = ${Math.max(1, Math.ceil(deadline - Date.now()))}`,
        );
        await connection.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [id]);
        locked.push(id);
      }
    } catch (error) {
      for (const id of locked)
        await connection
          .query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [id])
          .catch(() => undefined);
      connection.release(true);
      if ((error as { code?: string }).code === '55P03') {
        throw hsError(
          'HS_LOCK_TIMEOUT',
          `Could not lock ${refs.map((r) => `"${r.key}"`).join(', ')} in PostgreSQL within ${waitMs} ms: another process holds it.`,
          { keys: refs.map((r) => r.key) },
          error,
        );
      }
      throw toSqlError(error, 'SELECT pg_advisory_lock', { tier: this.kind });
    }
    return async () => {
      try {
        // Only this holder's locks: a shared connection (PGlite) may hold others'.
        for (const id of locked)
          await connection.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [id]);
        await connection.query('RESET lock_timeout');
        connection.release();
      } catch {
        connection.release(true); // closing the connection frees its locks
      }
    };
  }

  /** Remove every row of a family (tests, `clear()` of the Keyv adapter). */
  async deleteFamily(family: Family): Promise<void> {
    await this.#run(`DELETE FROM ${this.schema}.hs_kv WHERE namespace = $1`, [family.namespace]);
  }

  async #write(entries: readonly TierWrite[], markStale: boolean): Promise<WriteOutcome[]> {
    const { assigned, guarded } = splitBatch(entries);
    const stored = new Map<string, number>();
    for (const [batch, guard] of [
      [assigned, false],
      [guarded, true],
    ] as const) {
      if (batch.length === 0) continue;
      const statement = this.#q.upsert(guard, markStale);
      const rows = await this.#run<{ namespace: string; key: string; version: string }>(
        statement,
        upsertParams(batch),
        `hs_upsert_${guard}_${markStale}`,
      );
      for (const row of rows) stored.set(`${row.namespace}\n${row.key}`, Number(row.version));
    }
    return entries.map((e) => {
      const version = stored.get(rowId(e.ref));
      const lost = version === undefined || (e.version !== undefined && e.version !== version);
      return lost ? { applied: false, version: e.version ?? 0 } : { applied: true, version };
    });
  }

  async #run<R extends object>(
    text: string,
    params: readonly unknown[],
    name?: string,
  ): Promise<R[]> {
    try {
      return await this.sql.query<R>(
        text,
        params,
        name === undefined ? undefined : `${name}_${this.schema}`,
      );
    } catch (error) {
      throw toSqlError(error, text, { tier: this.kind });
    }
  }
}

function rowId(ref: KeyRef): string {
  return `${ref.family.namespace}\n${ref.key}`;
}

/**
 * Split a batch into assigned-version and guarded writes, one row per key in each (a
 * statement may not touch a row twice): the last assigned write and the highest guarded
 * version win, as they would if applied one after another.
 */
function splitBatch(entries: readonly TierWrite[]): {
  assigned: TierWrite[];
  guarded: TierWrite[];
} {
  const assigned = new Map<string, TierWrite>();
  const guarded = new Map<string, TierWrite>();
  for (const entry of entries) {
    const id = rowId(entry.ref);
    if (entry.version === undefined) assigned.set(id, entry);
    else if ((guarded.get(id)?.version ?? -1) < entry.version) guarded.set(id, entry);
  }
  return { assigned: [...assigned.values()], guarded: [...guarded.values()] };
}

function upsertParams(batch: readonly TierWrite[]): unknown[] {
  return [
    batch.map((e) => e.ref.family.namespace),
    batch.map((e) => e.ref.key),
    batch.map((e) => e.value),
    batch.map((e) => e.expiresAt),
    batch.map((e) => e.version ?? null),
  ];
}

function toEntry(row: EntryRow): StoredEntry {
  return {
    value: row.value,
    version: Number(row.version),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
  };
}
