import { hsError } from '../errors.ts';
import { assertTtl, Family, type FamilyDefinition } from './family.ts';
import { templatesOverlap } from './template.ts';

/** Options of {@link Keyspace}. */
export interface KeyspaceOptions {
  /** First part of every Redis key's hash tag and of every PostgreSQL namespace. @default 'hs' */
  readonly prefix?: string;
  /**
   * Number of shards keys are spread over. Each shard is one Redis Cluster hash tag, so a key,
   * its lock and its journal entry always share a slot. Fixed for the life of the data:
   * changing it moves every key. @default 16
   */
  readonly shards?: number;
}

/** Defaults of {@link KeyspaceOptions}. */
export const KEYSPACE_DEFAULTS = { prefix: 'hs', shards: 16 } as const;

const NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/**
 * The registry of key families: each family is declared once, here, and every key in the
 * system is built from a declaration. No string-built keys elsewhere.
 *
 * @example
 * ```ts
 * const keyspace = new Keyspace({ prefix: 'bot' });
 * const history = keyspace.family({ name: 'user_memory', key: 'user_memory:{userId}', durability: 'durable' });
 * history.key({ userId: 42 }).redisKey; // '{bot:9}:user_memory:42'
 * ```
 */
export class Keyspace {
  readonly prefix: string;
  readonly shards: number;
  readonly #families = new Map<string, Family>();

  constructor(options: KeyspaceOptions = {}) {
    this.prefix = options.prefix ?? KEYSPACE_DEFAULTS.prefix;
    this.shards = options.shards ?? KEYSPACE_DEFAULTS.shards;
    if (!NAME.test(this.prefix)) throw invalid(`prefix "${this.prefix}" must match ${NAME}`);
    if (!Number.isSafeInteger(this.shards) || this.shards < 1 || this.shards > 16_384) {
      throw invalid(`shards must be a whole number from 1 to 16384, got ${this.shards}`);
    }
  }

  /** Declare a family. Throws `HS_KEYSPACE_INVALID` on a bad or overlapping declaration. */
  family<const T extends string, V = unknown>(definition: FamilyDefinition<T, V>): Family<T, V> {
    validateDefinition(definition);
    if (this.#families.has(definition.name))
      throw invalid(`family "${definition.name}" is declared twice`);
    const family = new Family(definition, {
      prefix: this.prefix,
      shardOf: (key) => shardOf(key, this.shards),
    });
    for (const other of this.#families.values()) {
      if (templatesOverlap(family.segments, other.segments)) {
        throw invalid(
          `family "${family.name}" (${family.template}) can produce the same keys as "${other.name}" (${other.template}); add a fixed segment to tell them apart`,
        );
      }
    }
    this.#families.set(family.name, family as Family);
    return family;
  }

  /** The family with this name; throws `HS_KEY_INVALID` when none was declared. */
  get(name: string): Family {
    const family = this.#families.get(name);
    if (family === undefined) {
      throw hsError(
        'HS_KEY_INVALID',
        `No key family named "${name}" is declared in keyspace "${this.prefix}".`,
        { family: name },
      );
    }
    return family;
  }

  /** Every declared family. */
  families(): Family[] {
    return [...this.#families.values()];
  }

  /** True when this family object was declared here (guards against keys from another keyspace). */
  owns(family: Family): boolean {
    return this.#families.get(family.name) === family;
  }
}

/** FNV-1a 32-bit hash of a key, reduced to a shard number. */
export function shardOf(key: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}

function validateDefinition(definition: FamilyDefinition<string, unknown>): void {
  const { name, durability } = definition;
  if (typeof name !== 'string' || !NAME.test(name))
    throw invalid(`family name "${String(name)}" must match ${NAME}`);
  if (durability !== 'durable' && durability !== 'buffered' && durability !== 'ephemeral') {
    throw invalid(
      `family "${name}": durability must be 'durable', 'buffered' or 'ephemeral', got ${String(durability)}`,
    );
  }
  assertTtl(definition.ttlMs, `ttlMs of family "${name}"`);
  assertTtl(definition.cacheTtlMs, `cacheTtlMs of family "${name}"`);
  assertTtl(definition.l1?.ttlMs, `l1.ttlMs of family "${name}"`);
  if (durability === 'ephemeral' && definition.ttlMs === undefined) {
    throw hsError(
      'HS_TTL_INVALID',
      `Family "${name}" is ephemeral, so it needs ttlMs: data without a TTL in Redis is never cleaned up.`,
      { family: name },
    );
  }
}

function invalid(why: string) {
  return hsError('HS_KEYSPACE_INVALID', `Invalid keyspace: ${why}.`);
}
