import type { Durability, Family, Keyspace, ValueSchema } from '@hybridstate/core';
import { TelegramError } from '../errors.ts';
import { type SessionScope, scopeTemplate } from './session-scope.ts';

/** How one session property is kept. */
export interface SessionDefinition<V = unknown> {
  /** Which updates share it. */
  readonly scope: SessionScope;
  /** Stored name (the whole key of a global session). Letters, digits, `_ . -`. @default the property name */
  readonly name?: string;
  /** @default 'durable' */
  readonly durability?: Durability;
  /** Lifetime of the session. Required for ephemeral sessions (scenes). @default forever */
  readonly ttlMs?: number;
  /** How long Redis keeps the hot copy of a durable or buffered session. @default min(ttlMs, 1 hour) */
  readonly cacheTtlMs?: number;
  /** The value a handler sees when nothing is stored. Not stored unless the handler changes it. */
  readonly initial?: () => V;
  /**
   * Load (and lock) only when the handler awaits it: `const lots = await ctx.lots`. Eager
   * properties are locked and loaded together, in one round trip, before the handler.
   * @default false
   */
  readonly lazy?: boolean;
  /** Checks values on write (zod, valibot...). */
  readonly schema?: ValueSchema<V>;
}

/** A definition bound to its family in the keyspace. */
export interface SessionProperty {
  readonly property: string;
  readonly scope: SessionScope;
  readonly lazy: boolean;
  readonly initial: (() => unknown) | undefined;
  readonly family: Family;
}

const NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,47}$/;

/** Declare each session property's family (`session_<name>`, key `session:<name>[:{...}]`). */
export function declareSessions(
  keyspace: Keyspace,
  definitions: Readonly<Record<string, SessionDefinition<unknown>>>,
): SessionProperty[] {
  return Object.entries(definitions).map(([property, definition]) => {
    const name = definition.name ?? property;
    if (!NAME.test(name)) {
      throw new TelegramError(
        'HS_SESSION_INVALID',
        `Session "${property}": name "${name}" must match ${NAME} (give it a \`name\`).`,
        { property },
      );
    }
    const family = keyspace.family({
      name: `session_${name}`,
      key: `session:${name}${scopeTemplate(definition.scope)}`,
      durability: definition.durability ?? 'durable',
      ...(definition.ttlMs === undefined ? {} : { ttlMs: definition.ttlMs }),
      ...(definition.cacheTtlMs === undefined ? {} : { cacheTtlMs: definition.cacheTtlMs }),
      ...(definition.schema === undefined ? {} : { schema: definition.schema }),
      context: 'telegram',
    });
    return {
      property,
      scope: definition.scope,
      lazy: definition.lazy === true,
      initial: definition.initial,
      family: family as Family,
    };
  });
}
