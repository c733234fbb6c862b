import type { SqlClient } from '@hybridstate/core';

/** One audit log row. */
export interface AuditLog {
  readonly id: string;
  readonly adminId: string;
  readonly action: string;
  readonly resourceType: string;
  readonly resourceId: string | null;
  readonly newValues: unknown;
  readonly ipAddress: string | null;
  readonly createdAt: string;
}

/** What an admin did, for {@link AdminRepository.audit}. */
export interface AuditEntry {
  readonly adminId: string;
  readonly action: string;
  readonly resourceType: string;
  readonly resourceId?: string;
  readonly newValues?: unknown;
  readonly ipAddress?: string;
  readonly userAgent?: string;
}

/** One metric sample. */
export interface MetricSample {
  readonly value: string;
  readonly recordedAt: string;
}

/** Report types the admin app can generate. */
export const REPORT_TYPES = ['audit-summary', 'metrics-summary'] as const;
/** A report type. */
export type ReportType = (typeof REPORT_TYPES)[number];

const AT = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Seed 001's `AdminAdapter`: the admin application's own tables (`audit_logs`,
 * `system_metrics`, `reports`, `admin_settings`), reached with the admin role. `schema` is
 * the quoted admin schema.
 */
export class AdminRepository {
  readonly #sql: SqlClient;
  readonly #schema: string;

  constructor(sql: SqlClient, schema: string) {
    this.#sql = sql;
    this.#schema = schema;
  }

  /** Record an admin action. */
  async audit(entry: AuditEntry): Promise<void> {
    await this.#sql.query(
      `INSERT INTO ${this.#schema}.audit_logs (admin_id, action, resource_type, resource_id, new_values, ip_address, user_agent)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::inet, $7)`,
      [
        entry.adminId,
        entry.action,
        entry.resourceType,
        entry.resourceId ?? null,
        entry.newValues === undefined ? null : JSON.stringify(entry.newValues),
        entry.ipAddress ?? null,
        entry.userAgent ?? null,
      ],
    );
  }

  /** The newest audit log rows (at most `limit`), optionally of one admin. */
  auditLogs(adminId?: string, limit = 100): Promise<AuditLog[]> {
    return this.#sql.query<AuditLog>(
      `SELECT id, admin_id AS "adminId", action, resource_type AS "resourceType", resource_id AS "resourceId",
              new_values AS "newValues", host(ip_address) AS "ipAddress", ${AT('created_at')} AS "createdAt"
       FROM ${this.#schema}.audit_logs WHERE ($1::uuid IS NULL OR admin_id = $1::uuid)
       ORDER BY created_at DESC, id LIMIT $2`,
      [adminId ?? null, limit],
    );
  }

  /** Record a metric sample. */
  async recordMetric(name: string, value: string): Promise<void> {
    await this.#sql.query(
      `INSERT INTO ${this.#schema}.system_metrics (metric_name, metric_value) VALUES ($1, $2)`,
      [name, value],
    );
  }

  /** Samples of a metric over the last 24 hours, newest first (seed 001's `getSystemMetrics`). */
  metric(name: string): Promise<MetricSample[]> {
    return this.#sql.query<MetricSample>(
      `SELECT metric_value::text AS value, ${AT('recorded_at')} AS "recordedAt" FROM ${this.#schema}.system_metrics
       WHERE metric_name = $1 AND recorded_at >= now() - interval '24 hours' ORDER BY recorded_at DESC LIMIT 1000`,
      [name],
    );
  }

  /** Generate a report, record it in `reports`, and return its rows. */
  async generateReport(type: ReportType, adminId: string): Promise<Record<string, unknown>[]> {
    const rows =
      type === 'audit-summary'
        ? await this.#sql.query<Record<string, unknown>>(
            `SELECT action, count(*)::int AS count FROM ${this.#schema}.audit_logs GROUP BY action ORDER BY action`,
          )
        : await this.#sql.query<Record<string, unknown>>(
            `SELECT metric_name AS metric, count(*)::int AS samples, min(metric_value)::text AS min, max(metric_value)::text AS max
             FROM ${this.#schema}.system_metrics WHERE recorded_at >= now() - interval '24 hours'
             GROUP BY metric_name ORDER BY metric_name`,
          );
    await this.#sql.query(
      `INSERT INTO ${this.#schema}.reports (name, type, parameters, generated_by) VALUES ($1, $2, '{}'::jsonb, $3)`,
      [`${type} ${new Date().toISOString()}`, type, adminId],
    );
    return rows;
  }

  /** How many reports of a type were generated (the cache makes this grow at most hourly). */
  async reportCount(type: ReportType): Promise<number> {
    const [row] = await this.#sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${this.#schema}.reports WHERE type = $1`,
      [type],
    );
    return row?.n ?? 0;
  }
}
