import type { Family, Keyspace } from '@hybridstate/core';
import type { ContextDefinition } from './app-context.ts';

/** Redis lifetime of an identity session copy (seed 001: 24 h). */
export const SESSION_TTL_MS = 24 * 3_600_000;
/** Redis lifetime of a user-cache entry (seed 001: 1 h). */
export const USER_CACHE_TTL_MS = 3_600_000;

/** The key families of one application context; every Redis key of the context comes from here. */
export interface ContextFamilies {
  /** `identity:session:<context>:{idHash}`: a session copy, keyed by the hash of its id. */
  readonly session: Family<'identity:session:x:{idHash}'>;
  /** `identity:user:<context>:{userId}`: the user and their permissions in this context. */
  readonly user: Family<'identity:user:x:{userId}'>;
  /** `cache:<context>:<name>:{key}` for each application cache. */
  readonly caches: ReadonlyMap<string, Family<'cache:x:x:{key}'>>;
  /** `cache-tag:<context>:{tag}`: the keys carrying a tag. */
  readonly tag: Family<'cache-tag:x:{tag}'>;
}

const declared = new WeakMap<Keyspace, Map<string, ContextFamilies>>();

/**
 * Declare (once per keyspace) the families of `context`. The context is a fixed segment of
 * every template, so a stack holding the web families cannot even name an admin key.
 */
export function contextFamilies(keyspace: Keyspace, context: ContextDefinition): ContextFamilies {
  const byContext = declared.get(keyspace) ?? new Map<string, ContextFamilies>();
  declared.set(keyspace, byContext);
  const existing = byContext.get(context.name);
  if (existing !== undefined) return existing;
  const families = declareFamilies(keyspace, context);
  byContext.set(context.name, families);
  return families;
}

function declareFamilies(keyspace: Keyspace, context: ContextDefinition): ContextFamilies {
  const name = context.name;
  const longestCacheMs = Math.max(
    USER_CACHE_TTL_MS,
    ...context.caches.map((c) => c.ttlMs + (c.graceMs ?? 0)),
  );
  const caches = new Map(
    context.caches.map((cache) => [
      cache.name,
      keyspace.family({
        name: `cache.${name}.${cache.name}`,
        key: `cache:${name}:${cache.name}:{key}` as 'cache:x:x:{key}',
        durability: 'ephemeral',
        ttlMs: cache.ttlMs + (cache.graceMs ?? 0),
        context: name,
      }),
    ]),
  );
  return {
    session: keyspace.family({
      name: `identity.session.${name}`,
      key: `identity:session:${name}:{idHash}` as 'identity:session:x:{idHash}',
      durability: 'ephemeral',
      ttlMs: SESSION_TTL_MS,
      context: name,
    }),
    user: keyspace.family({
      name: `identity.user.${name}`,
      key: `identity:user:${name}:{userId}` as 'identity:user:x:{userId}',
      durability: 'ephemeral',
      ttlMs: USER_CACHE_TTL_MS,
      context: name,
    }),
    caches,
    tag: keyspace.family({
      name: `cache-tag.${name}`,
      key: `cache-tag:${name}:{tag}` as 'cache-tag:x:{tag}',
      durability: 'ephemeral',
      ttlMs: longestCacheMs,
      context: name,
    }),
  };
}
