import type { ValueSchema } from '@hybridstate/core';
import { SyncError } from '../errors.ts';
import { isEventName } from './event-pattern.ts';

/**
 * Who may receive an event over /sync:
 * - `admin`: admin sessions only (the default: nothing leaks by omission);
 * - `public`: every authenticated client (content every user sees: buttons, tasks);
 * - `subject`: admins and the one user the event is about (`subjectOf`), never other users.
 */
export type EventAudience = 'admin' | 'public' | 'subject';

/** Names mapped to the data type of each event. */
export type EventMap = Record<string, unknown>;

/** How one event is declared. */
export interface EventDefinition<D = unknown> {
  /** Validates the data (any Standard Schema: zod, valibot, arktype). */
  readonly schema: ValueSchema<D>;
  /** @default 'admin' */
  readonly audience?: EventAudience;
  /** For `subject` events: the user the event is about. @default `data.userId` */
  readonly subjectOf?: (data: D) => string | number | undefined;
}

/** A definition with its defaults applied. */
export interface ResolvedEventDefinition {
  readonly name: string;
  readonly schema: ValueSchema<unknown>;
  readonly audience: EventAudience;
  readonly subjectOf: (data: unknown) => string | undefined;
}

/** Definitions for every name of `M`. */
export type EventDefinitions<M extends EventMap> = {
  readonly [K in keyof M]: EventDefinition<M[K]>;
};

/**
 * The typed list of events an application publishes: names, payload schemas, audiences.
 * Immutable: `extend` returns a new catalog, so the built-in one is shared safely.
 *
 * @example
 * ```ts
 * const catalog = syncEvents.extend({
 *   'orders.created': { schema: z.object({ id: z.string(), userId: z.number() }), audience: 'subject' },
 * });
 * const sync = new SyncService({ catalog, bus });
 * ```
 */
export class EventCatalog<M extends EventMap = EventMap> {
  readonly #definitions: ReadonlyMap<string, ResolvedEventDefinition>;

  private constructor(definitions: ReadonlyMap<string, ResolvedEventDefinition>) {
    this.#definitions = definitions;
  }

  /** A catalog with no events. */
  static empty(): EventCatalog<Record<never, never>> {
    return new EventCatalog(new Map());
  }

  /** A new catalog with these events added; a name defined twice is `HS_SYNC_CATALOG_INVALID`. */
  extend<N extends EventMap>(definitions: EventDefinitions<N>): EventCatalog<M & N> {
    const next = new Map(this.#definitions);
    for (const [name, definition] of Object.entries(definitions)) {
      if (next.has(name))
        throw new SyncError('HS_SYNC_CATALOG_INVALID', `Event "${name}" is already defined.`, {
          event: name,
        });
      next.set(name, resolveDefinition(name, definition as EventDefinition<unknown>));
    }
    return new EventCatalog(next);
  }

  /** True when `name` is defined. */
  has(name: string): boolean {
    return this.#definitions.has(name);
  }

  /** The definition of `name`, or `undefined`. */
  get(name: string): ResolvedEventDefinition | undefined {
    return this.#definitions.get(name);
  }

  /** Every defined name. */
  names(): string[] {
    return [...this.#definitions.keys()];
  }

  /** True when some defined event is in `domain`. */
  hasDomain(domain: string): boolean {
    const prefix = `${domain}.`;
    return this.names().some((name) => name.startsWith(prefix));
  }

  /**
   * Check `data` against the schema of `type`: resolves with the validated data, rejects with
   * `HS_SYNC_UNKNOWN_EVENT` or `HS_SYNC_INVALID_PAYLOAD` (issues in `context.issues`).
   */
  async validate(type: string, data: unknown): Promise<unknown> {
    const definition = this.#definitions.get(type);
    if (definition === undefined)
      throw new SyncError(
        'HS_SYNC_UNKNOWN_EVENT',
        `Event "${String(type).slice(0, 100)}" is not in the catalog. Add it with catalog.extend({...}).`,
        { event: String(type).slice(0, 100) },
      );
    const result = await definition.schema['~standard'].validate(data);
    if (result.issues === undefined) return result.value;
    const issues = result.issues.map((i) => ({ message: i.message, path: i.path?.map(String) }));
    throw new SyncError(
      'HS_SYNC_INVALID_PAYLOAD',
      `The data of "${type}" does not match its schema: ${issues.map((i) => `${i.path?.join('.') || '(root)'}: ${i.message}`).join('; ')}.`,
      { event: type, issues },
    );
  }
}

function resolveDefinition(name: string, definition: EventDefinition): ResolvedEventDefinition {
  if (!isEventName(name))
    throw new SyncError(
      'HS_SYNC_CATALOG_INVALID',
      `"${name}" is not an event name: use dot-separated words, e.g. "orders.created".`,
      { event: name },
    );
  if (typeof definition?.schema?.['~standard']?.validate !== 'function')
    throw new SyncError(
      'HS_SYNC_CATALOG_INVALID',
      `Event "${name}" needs a schema (zod, valibot, arktype or any Standard Schema).`,
      { event: name },
    );
  const subjectOf = definition.subjectOf ?? defaultSubject;
  return Object.freeze({
    name,
    schema: definition.schema,
    audience: definition.audience ?? 'admin',
    subjectOf: (data: unknown) => {
      const subject = subjectOf(data);
      return subject === undefined ? undefined : String(subject);
    },
  });
}

function defaultSubject(data: unknown): string | number | undefined {
  const userId = (data as { userId?: unknown } | null)?.userId;
  return typeof userId === 'string' || typeof userId === 'number' ? userId : undefined;
}
