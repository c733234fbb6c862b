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

/** Recent denied logins, see {@link AuditLog.recentDeniedLogins}. */
export interface DeniedLogins {
  readonly byEmail: number;
  readonly byIp: number;
  readonly emailExpiresInMs: number;
  readonly ipExpiresInMs: number;
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

  /**
   * Denied logins within the last `windowMs` for this email and from this address, and when
   * the oldest of each leaves the window (ms from now). Counted from the audit log, so every
   * instance sees the same numbers and a restart forgets nothing.
   */
  async recentDeniedLogins(email: string, ip: string, windowMs: number): Promise<DeniedLogins> {
    const rows = await this.#db.sql.query<Record<string, unknown>>(
      `SELECT count(*) FILTER (WHERE admin_email = $1) AS by_email,
              count(*) FILTER (WHERE ip = $2) AS by_ip,
              extract(epoch FROM (min(created_at) FILTER (WHERE admin_email = $1) + $3 * interval '1 millisecond' - now())) * 1000 AS email_expires_ms,
              extract(epoch FROM (min(created_at) FILTER (WHERE ip = $2) + $3 * interval '1 millisecond' - now())) * 1000 AS ip_expires_ms
         FROM ${this.#db.schema}.audit_log
        WHERE action = 'admin.login' AND outcome = 'denied'
          AND created_at > now() - $3 * interval '1 millisecond'
          AND (admin_email = $1 OR ip = $2)`,
      [email, ip, windowMs],
    );
    const row = rows[0] ?? {};
    const ms = (value: unknown) => Math.max(0, Math.ceil(Number(value ?? 0)));
    return {
      byEmail: Number(row.by_email ?? 0),
      byIp: Number(row.by_ip ?? 0),
      emailExpiresInMs: ms(row.email_expires_ms),
      ipExpiresInMs: ms(row.ip_expires_ms),
    };
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
