import { hsError } from '../errors.ts';
import { decodeKeyPart } from './key-part.ts';
import { type KeyParams, parseTemplate, renderTemplate, type Segment } from './template.ts';
import type { ValueSchema } from './value-schema.ts';

/**
 * How a family's writes are acknowledged.
 * - `durable`: after the PostgreSQL commit; Redis is written through, version-guarded.
 * - `buffered`: after Redis holds the value and its journal entry (one atomic step); the
 *   write-behind flusher copies it to PostgreSQL in batches, before the Redis copy expires.
 *   Without Redis (embedded mode) it behaves as `durable`.
 * - `ephemeral`: Redis (or process memory) only; a TTL is required.
 */
export type Durability = 'durable' | 'buffered' | 'ephemeral';

/** Declaration of one key family. */
export interface FamilyDefinition<T extends string, V> {
  /** Unique name; with the keyspace prefix it is the PostgreSQL `namespace`. */
  readonly name: string;
  /** Key template, `:`-separated, each segment fixed text or one `{param}`: `user_data:{userId}:phone`. */
  readonly key: T;
  /** See {@link Durability}. */
  readonly durability: Durability;
  /** Lifetime of a value in every tier. Required for `ephemeral`. @default undefined (forever) */
  readonly ttlMs?: number;
  /** How long Redis keeps the hot copy of a durable value. @default min(ttlMs, 1 hour) */
  readonly cacheTtlMs?: number;
  /** Application context that owns the family (`web`, `admin`, `telegram`...). */
  readonly context?: string;
  /** Validates values on write (zod, valibot... anything implementing Standard Schema). */
  readonly schema?: ValueSchema<V>;
  /** Opt-in process-memory L1 in front of Redis for this family. @default undefined (off) */
  readonly l1?: { readonly ttlMs: number; readonly maxEntries?: number };
}

/** One concrete key of a family, ready for every tier. */
export interface KeyRef<V = unknown> {
  readonly family: Family<string, V>;
  /** The rendered template, e.g. `user_data:42:phone` (the PostgreSQL `key` column). */
  readonly key: string;
  /** The Redis key: `{prefix:shard}:` + `key`; the hash tag keeps a key, its lock and its journal in one slot. */
  readonly redisKey: string;
  /** The shard (hash slot group) the key lives in. */
  readonly shard: number;
}

/** Longest rendered key, in bytes (encoded keys are ASCII). PostgreSQL's index limits rows to about 2.7 kB. */
export const MAX_KEY_BYTES = 1024;

/** Default hot-copy TTL for durable families without a lifetime (1 hour, as seed 003). */
export const DEFAULT_CACHE_TTL_MS = 3_600_000;

/** Resolved placement of a family inside its keyspace. */
export interface FamilyPlacement {
  readonly prefix: string;
  readonly shardOf: (key: string) => number;
}

/**
 * A declared key family. Create it with `keyspace.family({...})`, then make keys with
 * {@link Family.key}.
 *
 * @example
 * ```ts
 * const phone = keyspace.family({ name: 'user_phone', key: 'user_data:{userId}:phone', durability: 'durable' });
 * await store.set(phone.key({ userId: 42 }), '+79991234567');
 * ```
 */
export class Family<T extends string = string, V = unknown> {
  readonly name: string;
  readonly template: T;
  readonly durability: Durability;
  readonly ttlMs: number | undefined;
  readonly cacheTtlMs: number;
  readonly context: string | undefined;
  readonly schema: ValueSchema<V> | undefined;
  readonly l1: { readonly ttlMs: number; readonly maxEntries: number } | undefined;
  /** PostgreSQL `namespace` column value: `prefix:name`. */
  readonly namespace: string;
  readonly segments: readonly Segment[];
  readonly #placement: FamilyPlacement;

  constructor(definition: FamilyDefinition<T, V>, placement: FamilyPlacement) {
    this.name = definition.name;
    this.template = definition.key;
    this.durability = definition.durability;
    this.ttlMs = definition.ttlMs;
    this.cacheTtlMs =
      definition.cacheTtlMs ??
      Math.min(definition.ttlMs ?? DEFAULT_CACHE_TTL_MS, DEFAULT_CACHE_TTL_MS);
    this.context = definition.context;
    this.schema = definition.schema;
    this.l1 = definition.l1 && {
      ttlMs: definition.l1.ttlMs,
      maxEntries: definition.l1.maxEntries ?? 10_000,
    };
    this.namespace = `${placement.prefix}:${definition.name}`;
    this.segments = parseTemplate(definition.key, definition.name);
    this.#placement = placement;
    Object.freeze(this);
  }

  /** Build the key for these parameters. User-supplied parts are escaped. */
  key(params: KeyParams<T>): KeyRef<V> {
    const key = renderTemplate(this.segments, params as Record<string, string>);
    if (key.length > MAX_KEY_BYTES) {
      throw hsError(
        'HS_KEY_INVALID',
        `Key "${key.slice(0, 60)}..." of family "${this.name}" is ${key.length} bytes; the limit is ${MAX_KEY_BYTES} (PostgreSQL indexes keys). Use shorter identifiers.`,
        { family: this.name, bytes: key.length },
      );
    }
    return this.keyFromStorage(key);
  }

  /** Rebuild a {@link KeyRef} from a stored `key` column value (already rendered). */
  keyFromStorage(key: string): KeyRef<V> {
    const shard = this.#placement.shardOf(key);
    return { family: this, key, redisKey: `{${this.#placement.prefix}:${shard}}:${key}`, shard };
  }

  /** The decoded parameters of a rendered key of this family. */
  paramsOf(key: string): Record<string, string> {
    const parts = key.split(':');
    const params: Record<string, string> = {};
    this.segments.forEach((s, i) => {
      if (s.kind === 'param') params[s.name] = decodeKeyPart(parts[i] ?? '');
    });
    return params;
  }

  /** SCAN `MATCH` pattern that covers the family (filter results with {@link Family.ownsRedisKey}). */
  redisPattern(): string {
    const body = this.segments.map((s) => (s.kind === 'static' ? s.text : '*')).join(':');
    return `{${this.#placement.prefix}:*}:${body}`;
  }

  /** True when a Redis key found by SCAN belongs to this family (a `*` also matches `:`). */
  ownsRedisKey(redisKey: string): boolean {
    const close = redisKey.indexOf('}:');
    if (close < 0 || !redisKey.startsWith(`{${this.#placement.prefix}:`)) return false;
    return this.ownsKey(redisKey.slice(close + 2));
  }

  /** True when a rendered key has this family's shape. */
  ownsKey(key: string): boolean {
    const parts = key.split(':');
    if (parts.length !== this.segments.length) return false;
    return this.segments.every((s, i) =>
      s.kind === 'static' ? s.text === parts[i] : parts[i] !== '',
    );
  }

  /** Remaining-lifetime defaults for a write made now. */
  expiresAtFrom(now: number, ttlMs: number | undefined): number | null {
    const ttl = ttlMs ?? this.ttlMs;
    return ttl === undefined ? null : now + ttl;
  }
}

/** Check a TTL given by a caller or a definition. */
export function assertTtl(ttlMs: unknown, what: string): asserts ttlMs is number | undefined {
  if (ttlMs === undefined) return;
  if (typeof ttlMs !== 'number' || !Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
    throw hsError(
      'HS_TTL_INVALID',
      `${what} must be a positive whole number of milliseconds, got ${String(ttlMs)}.`,
      { ttlMs: String(ttlMs) },
    );
  }
}
