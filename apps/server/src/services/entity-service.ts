import type { SqlClient } from '@hybridstate/core';
import type { z } from 'zod';
import type { EventPublisher } from '../platform/event-publisher.ts';
import type { PlatformDb } from '../platform/platform-db.ts';
import { notFound, PlatformError } from '../platform/platform-errors.ts';
import type { ReadCache } from '../platform/read-cache.ts';
import { validate } from '../platform/validate.ts';
import type { Actor } from './actor.ts';
import type { AuditLog } from './audit-log.ts';

/** How one admin-edited entity (buttons, scenarios, tasks) maps to its table. */
export interface EntityTable<T extends { id: number }, I extends Record<string, unknown>> {
  /** Table name, event domain (`buttons.*`) and audit entity. */
  readonly name: 'buttons' | 'scenarios' | 'tasks';
  /** `button`: for messages. */
  readonly singular: string;
  /** The editable fields (no id, no updatedAt). */
  readonly shape: z.ZodObject;
  /** Rules across fields, checked on the whole entity after a create or a merge. */
  readonly refine?: (input: I) => string | undefined;
  /** Field -> column. */
  readonly columns: { readonly [K in keyof I]-?: string };
  /** Fields stored as jsonb. */
  readonly json?: readonly (keyof I & string)[];
  readonly orderBy: string;
  fromRow(row: Record<string, unknown>): T;
  toInput(entity: T): I;
}

/** What an entity service needs. */
export interface EntityServiceDeps {
  readonly db: PlatformDb;
  readonly audit: AuditLog;
  readonly events: EventPublisher;
  /** Caches the lists until a change (here, or a `<name>.*` event from another instance). */
  readonly cache?: ReadCache;
}

/**
 * List, create, update and delete one kind of admin-edited entity: validated with zod, each
 * change and its audit entry in one transaction, then `<name>.created|updated|deleted`
 * published so the bot drops its caches and the UIs refetch.
 */
export class EntityService<T extends { id: number }, I extends Record<string, unknown>> {
  readonly #table: EntityTable<T, I>;
  readonly #deps: EntityServiceDeps;
  readonly #qualified: string;

  constructor(table: EntityTable<T, I>, deps: EntityServiceDeps) {
    this.#table = table;
    this.#deps = deps;
    this.#qualified = `${deps.db.schema}.${table.name}`;
  }

  /** The read-cache prefix of this entity's lists. */
  get cachePrefix(): string {
    return `entity:${this.#table.name}:`;
  }

  /** Every row, in the table's order (`activeOnly` for the bot). */
  async list(activeOnly = false): Promise<T[]> {
    const load = async () => {
      const where = activeOnly ? 'WHERE active' : '';
      const rows = await this.#deps.db.sql.query<Record<string, unknown>>(
        `SELECT * FROM ${this.#qualified} ${where} ORDER BY ${this.#table.orderBy}`,
      );
      return rows.map((row) => this.#table.fromRow(row));
    };
    const cache = this.#deps.cache;
    return cache === undefined ? load() : cache.get(`${this.cachePrefix}${activeOnly}`, load);
  }

  /** One entity, or `NOT_FOUND`. */
  async get(id: number, sql: SqlClient = this.#deps.db.sql, lock = false): Promise<T> {
    const [row] = await sql.query<Record<string, unknown>>(
      `SELECT * FROM ${this.#qualified} WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    if (row === undefined) throw notFound(this.#table.singular, id);
    return this.#table.fromRow(row);
  }

  /** Validate and insert; publishes `<name>.created`. */
  async create(actor: Actor, body: unknown): Promise<T> {
    const input = this.#checked(validate(this.#table.shape, body, this.#table.singular) as I);
    const fields = Object.keys(input) as (keyof I & string)[];
    const created = await this.#deps.db.sql.transaction(async (tx) => {
      const [row] = await tx.query<Record<string, unknown>>(
        `INSERT INTO ${this.#qualified} (${fields.map((f) => this.#table.columns[f]).join(', ')})
         VALUES (${fields.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING *`,
        fields.map((f) => this.#param(f, input[f])),
      );
      const entity = this.#table.fromRow(row!);
      await this.#audit(tx, actor, 'create', entity.id, null, entity);
      return entity;
    });
    this.#deps.cache?.drop(this.cachePrefix);
    await this.#deps.events.publish(`${this.#table.name}.created`, { id: created.id });
    return created;
  }

  /** Validate a partial change against the merged entity; publishes `<name>.updated`. */
  async update(actor: Actor, id: number, body: unknown): Promise<T> {
    const parsed = validate(this.#table.shape.partial(), body, this.#table.singular) as Partial<I>;
    // Defaults fill absent fields in a partial parse: keep only what the body names.
    const given = new Set(Object.keys(body as object));
    const patch = Object.fromEntries(
      Object.entries(parsed).filter(([field]) => given.has(field)),
    ) as Partial<I>;
    const updated = await this.#deps.db.sql.transaction(async (tx) => {
      const old = await this.get(id, tx, true);
      const merged = this.#checked({ ...this.#table.toInput(old), ...patch });
      const fields = Object.keys(patch).filter((f) => patch[f] !== undefined) as (keyof I &
        string)[];
      const sets = fields.map((f, i) => `${this.#table.columns[f]} = $${i + 2}`);
      const [row] = await tx.query<Record<string, unknown>>(
        `UPDATE ${this.#qualified} SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING *`,
        [id, ...fields.map((f) => this.#param(f, merged[f]))],
      );
      const entity = this.#table.fromRow(row!);
      await this.#audit(tx, actor, 'update', id, old, entity);
      return entity;
    });
    this.#deps.cache?.drop(this.cachePrefix);
    await this.#deps.events.publish(`${this.#table.name}.updated`, { id });
    return updated;
  }

  /** Delete; publishes `<name>.deleted`. */
  async delete(actor: Actor, id: number): Promise<void> {
    await this.#deps.db.sql.transaction(async (tx) => {
      const old = await this.get(id, tx, true);
      await tx.query(`DELETE FROM ${this.#qualified} WHERE id = $1`, [id]);
      await this.#audit(tx, actor, 'delete', id, old, null);
    });
    this.#deps.cache?.drop(this.cachePrefix);
    await this.#deps.events.publish(`${this.#table.name}.deleted`, { id });
  }

  #checked(input: I): I {
    const problem = this.#table.refine?.(input);
    if (problem !== undefined)
      throw new PlatformError('VALIDATION_FAILED', `Invalid ${this.#table.singular}: ${problem}.`, [
        { path: '', message: problem },
      ]);
    return input;
  }

  #param(field: keyof I & string, value: unknown): unknown {
    if (value === undefined) return null;
    return this.#table.json?.includes(field) === true ? JSON.stringify(value) : value;
  }

  #audit(tx: SqlClient, actor: Actor, verb: string, id: number, old: T | null, next: T | null) {
    return this.#deps.audit.record(tx, actor, {
      action: `${this.#table.name}.${verb}`,
      entity: this.#table.name,
      entityId: id,
      old,
      new: next,
    });
  }
}

/** An entity service whatever its input type (for holders that only call it). */
// biome-ignore lint/suspicious/noExplicitAny: the input type is the service's own business
export type EntityServiceOf<T extends { id: number }> = EntityService<T, any>;
