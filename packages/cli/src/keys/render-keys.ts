import type { PostgresFamily } from './postgres-families.ts';
import type { RedisScan } from './scan-redis-keys.ts';
import { formatBuckets } from './ttl-buckets.ts';

/** What `hybridstate keys` found, as `--json` prints it. */
export interface KeysReport {
  readonly prefix: string;
  readonly family: string | null;
  readonly redis: RedisScan | null;
  readonly postgres: PostgresFamily[] | null;
  /** Buffered writes not yet in PostgreSQL, by family. */
  readonly pending: Record<string, number>;
}

/** The report as two aligned tables. */
export function renderKeys(report: KeysReport): string[] {
  const lines: string[] = [];
  if (report.redis !== null) {
    const r = report.redis;
    lines.push(
      `Redis: ${r.scanned} keys scanned (SCAN${r.nodes > 1 ? ` on ${r.nodes} cluster masters` : ''}), value keys under {${report.prefix}:*} by shape:`,
    );
    lines.push(
      ...table(
        ['shape', 'keys', 'bytes', 'deleted', 'TTL'],
        r.groups.map((g) => [
          g.shape,
          String(g.keys),
          bytes(g.valueBytes),
          String(g.tombstones),
          formatBuckets(g.ttl),
        ]),
      ),
    );
    if (r.legacy.keys > 0)
      lines.push(
        `  + ${r.legacy.keys} seed 000 session keys outside the keyspace (${r.legacy.withoutTtl} without TTL): see \`hybridstate import --legacy\``,
      );
  }
  if (report.postgres !== null) {
    lines.push(`PostgreSQL: rows by family (namespace ${report.prefix}:<family>):`);
    const names = new Set([
      ...report.postgres.map((f) => f.family),
      ...Object.keys(report.pending),
    ]);
    const byName = new Map(report.postgres.map((f) => [f.family, f]));
    lines.push(
      ...table(
        ['family', 'rows', 'bytes', 'deleted', 'no expiry', 'pending writes'],
        [...names].sort().map((name) => {
          const f = byName.get(name);
          return [
            name,
            String(f?.rows ?? 0),
            bytes(f?.valueBytes ?? 0),
            String(f?.tombstones ?? 0),
            String(f?.withoutExpiry ?? 0),
            String(report.pending[name] ?? 0),
          ];
        }),
      ),
    );
  }
  return lines;
}

function table(header: readonly string[], rows: readonly string[][]): string[] {
  if (rows.length === 0) return ['  (none)'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)];
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
