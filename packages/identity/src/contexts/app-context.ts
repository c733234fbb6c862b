import { IdentityError } from '../errors.ts';
import type { Migration } from '../schema/migration.ts';

/** One application cache of a context, as seed 001 lists them (`cache:web:rates`, 5 min). */
export interface CacheDefinition {
  /** The cache's name inside its context: `rates` gives keys `cache:web:rates:{key}`. */
  readonly name: string;
  /** How long a value is fresh. */
  readonly ttlMs: number;
  /** How long past `ttlMs` the last value is served while its loader fails. @default 0 */
  readonly graceMs?: number;
}

/** An application context: a name, the PostgreSQL schema of its own tables, its caches. */
export interface ContextDefinition {
  /** `web`, `admin`, `telegram`, or your own: lower-case letters, digits, `_`. */
  readonly name: string;
  /** Schema of the application's tables (before the stack's schema prefix). */
  readonly schema: string;
  /** The context's application caches. */
  readonly caches: readonly CacheDefinition[];
  /** Migrations of the context's own tables, given its schema name. @default built-in for web, admin, telegram */
  readonly migrations?: (schema: string) => Migration[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The three contexts of seed 001, with its cache TTLs. */
export const DEFAULT_CONTEXTS: readonly ContextDefinition[] = Object.freeze([
  {
    name: 'web',
    schema: 'web',
    caches: [
      { name: 'rates', ttlMs: 5 * MINUTE },
      { name: 'orders', ttlMs: 30 * MINUTE },
    ],
  },
  {
    name: 'admin',
    schema: 'admin',
    caches: [
      { name: 'metrics', ttlMs: 15 * MINUTE },
      { name: 'reports', ttlMs: HOUR },
    ],
  },
  {
    name: 'telegram',
    schema: 'bot',
    caches: [
      { name: 'conversations', ttlMs: 24 * HOUR },
      { name: 'commands', ttlMs: HOUR },
    ],
  },
]);

const NAME = /^[a-z][a-z0-9_]{0,29}$/;

/**
 * Check a set of context definitions: names and schemas valid and unique, caches valid.
 * Returns them frozen, keyed by name.
 */
export function resolveContexts(
  definitions: readonly ContextDefinition[] = DEFAULT_CONTEXTS,
): ReadonlyMap<string, ContextDefinition> {
  const contexts = new Map<string, ContextDefinition>();
  for (const definition of definitions) {
    checkContext(definition, contexts);
    contexts.set(definition.name, Object.freeze({ ...definition }));
  }
  if (contexts.size === 0) throw invalid('at least one application context is needed');
  return contexts;
}

function checkContext(
  definition: ContextDefinition,
  seen: ReadonlyMap<string, ContextDefinition>,
): void {
  if (!NAME.test(definition.name))
    throw invalid(`context name "${definition.name}" must match ${NAME}`);
  if (!NAME.test(definition.schema))
    throw invalid(
      `schema "${definition.schema}" of context "${definition.name}" must match ${NAME}`,
    );
  if (seen.has(definition.name)) throw invalid(`context "${definition.name}" is declared twice`);
  for (const other of seen.values()) {
    if (other.schema === definition.schema)
      throw invalid(
        `contexts "${other.name}" and "${definition.name}" share schema "${other.schema}"`,
      );
  }
  for (const cache of definition.caches) checkCache(definition.name, cache);
}

function checkCache(context: string, cache: CacheDefinition): void {
  if (!NAME.test(cache.name))
    throw invalid(`cache name "${cache.name}" of context "${context}" must match ${NAME}`);
  for (const [what, ms] of [
    ['ttlMs', cache.ttlMs],
    ['graceMs', cache.graceMs ?? 0],
  ] as const) {
    if (!Number.isSafeInteger(ms) || ms < (what === 'ttlMs' ? 1 : 0))
      throw invalid(`${what} of cache "${context}.${cache.name}" must be a whole number of ms`);
  }
}

/** The definition of `name`, or `HS_CONTEXT_UNKNOWN` naming the configured ones. */
export function contextOf(
  contexts: ReadonlyMap<string, ContextDefinition>,
  name: string,
): ContextDefinition {
  const context = contexts.get(name);
  if (context !== undefined) return context;
  throw new IdentityError(
    'HS_CONTEXT_UNKNOWN',
    `Application context "${name}" is not configured; configured: ${[...contexts.keys()].join(', ')}. Add it to the contexts option.`,
    { context: { name } },
  );
}

function invalid(why: string): IdentityError {
  return new IdentityError('HS_CONTEXT_INVALID', `Invalid application contexts: ${why}.`);
}
