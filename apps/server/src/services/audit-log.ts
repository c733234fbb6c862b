import type { SqlClient } from '@hybridstate/core';
import { type Page, type PlatformDb, queryPage, toIso, toJson } from '../platform/platform-db.ts';
import type { Actor } from './actor.ts';

/** One audit entry as the API returns it. */
export interface AuditEntry {
  readonly id: number;
  readonly adminEmail: string;
  readonly action: string;
  readonly entity: string;
  readonly entityId: string | null;
  readonly old: unknown;
  readonly new: unknown;
  readonly outcome: 'ok' | 'denied';
  readonly ip: string | null;
  readonly createdAt: string;
}

/** What an admin did (or tried to do). */
export interface AuditRecord {
  readonly action: string;
  readonly entity: string;
  readonly entityId?: string | number | null;
  readonly old?: unknown;
  readonly new?: unknown;
  readonly outcome?: 'ok' | 'denied';
}

interface AuditRow {
  id: string | number;
  admin_email: string;
  action: string;
  entity: string;
  entity_id: string | null;
  old_value: unknown;
  new_value: unknown;
  outcome: 'ok' | 'denied';
  ip: string | null;
  created_at: Date | string;
  total?: string | number;
}

/**
 * The audit log of every admin change: who, what, old and new values, and whether it was
 * allowed. Changes record their entry in the transaction that makes them, so an entry exists
 * exactly when the change does.
 */
export class AuditLog {
  readonly #db: PlatformDb;

  constructor(db: PlatformDb) {
    this.#db = db;
  }

  /** The database, for entries outside a change's transaction (denied attempts). */
  get sql(): SqlClient {
    return this.#db.sql;
  }

  /** Record an entry on `sql` (pass the change's transaction). */
  async record(sql: SqlClient, actor: Actor, entry: AuditRecord): Promise<void> {
    await sql.query(
      `INSERT INTO ${this.#db.schema}.audit_log (admin_email, action, entity, entity_id, old_value, new_value, outcome, ip)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8)`,
      [
        actor.email,
        entry.action,
        entry.entity,
        entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
        entry.old === undefined ? null : JSON.stringify(entry.old),
        entry.new === undefined ? null : JSON.stringify(entry.new),
        entry.outcome ?? 'ok',
        actor.ip,
      ],
    );
  }

  /** Newest first. */
  async list(limit: number, offset: number): Promise<Page<AuditEntry>> {
    const { rows, total } = await queryPage<AuditRow>(
      this.#db.sql,
      `SELECT *, count(*) OVER () AS total FROM ${this.#db.schema}.audit_log ORDER BY id DESC LIMIT $1 OFFSET $2`,
      [],
      { limit, offset },
    );
    return { items: rows.map(toAuditEntry), total, limit, offset };
  }
}

function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: Number(row.id),
    adminEmail: row.admin_email,
    action: row.action,
    entity: row.entity,
    entityId: row.entity_id,
    old: toJson(row.old_value),
    new: toJson(row.new_value),
    outcome: row.outcome,
    ip: row.ip,
    createdAt: toIso(row.created_at)!,
  };
}
