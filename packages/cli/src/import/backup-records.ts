import type { KeyRef } from '@hybridstate/core';
import type { CliKeyspace } from '../cli-keyspace.ts';
import { CliError } from '../errors.ts';
import type { BackupFile } from './backup-folder.ts';

/** One record of a backup file, bound to its key. */
export interface BackupRecord {
  readonly ref: KeyRef;
  readonly value: unknown;
}

type Families = CliKeyspace['backup'];

/**
 * Split a parsed backup file into records, one key each, checking seed 000's shapes and
 * invariants; any violation is an `HS_CLI_BACKUP_INVALID` error naming the file and path.
 * A file may be the session object (`{ list: ... }`) or its `list` alone.
 *
 * - `kickstarters.json`: `list` as an array (the id is the position, as `ctx.kickstarters.list[i]`)
 *   or an object by id -> `legacy:kickstarter:{id}`.
 * - `users.json`: `list` by user id -> `legacy:user:{id}`.
 * - `months.json`: `list[year][month][regular|plus]` -> `legacy:month:{YYYY_MM}:{type}`.
 * - `settings.json`: an object -> `legacy:setting:{name}` per entry.
 */
export function backupRecords(file: BackupFile, data: unknown, families: Families): BackupRecord[] {
  const at = (path: string) => `${file}.json: ${path}`;
  if (file === 'settings') {
    const settings = asObject(data, at('the top level'));
    return Object.entries(settings).map(([name, value]) => ({
      ref: families.settings.key({ name }),
      value,
    }));
  }
  const list = listOf(data, at('list'));
  if (file === 'kickstarters') return kickstarters(list, families, at);
  if (file === 'users') return users(asObject(list, at('list')), families, at);
  return months(asObject(list, at('list')), families, at);
}

function kickstarters(
  list: unknown,
  families: Families,
  at: (p: string) => string,
): BackupRecord[] {
  const entries = Array.isArray(list)
    ? list.map((v, i) => [String(i), v] as const)
    : Object.entries(asObject(list, at('list')));
  return entries.map(([id, value]) => {
    const k = asObject(value, at(`list[${id}]`));
    nonNegative(k.cost, at(`list[${id}].cost`));
    nonNegative(k.pledgeCost, at(`list[${id}].pledgeCost`));
    for (const field of ['photos', 'files']) stringArray(k[field], at(`list[${id}].${field}`));
    return { ref: families.kickstarters.key({ id }), value: k };
  });
}

function users(
  list: Record<string, unknown>,
  families: Families,
  at: (p: string) => string,
): BackupRecord[] {
  return Object.entries(list).map(([id, value]) => {
    if (!/^-?\d+$/.test(id)) throw invalid(`${at(`list["${id}"]`)} is not a Telegram user id`);
    const user = asObject(value, at(`list[${id}]`));
    stringArray(user.roles, at(`list[${id}].roles`));
    if (user.purchases !== undefined) {
      const purchases = asObject(user.purchases, at(`list[${id}].purchases`));
      nonNegative(purchases.balance, at(`list[${id}].purchases.balance`));
      nonNegative(purchases.scrollsSpent, at(`list[${id}].purchases.scrollsSpent`));
    }
    return { ref: families.users.key({ id }), value: user };
  });
}

function months(
  list: Record<string, unknown>,
  families: Families,
  at: (p: string) => string,
): BackupRecord[] {
  return Object.entries(list).flatMap(([year, byMonth]) => {
    if (!/^\d{4}$/.test(year)) throw invalid(`${at(`list["${year}"]`)} is not a year (YYYY)`);
    return Object.entries(asObject(byMonth, at(`list[${year}]`))).flatMap(([month, types]) => {
      if (!/^\d{2}$/.test(month))
        throw invalid(`${at(`list[${year}]["${month}"]`)} is not a month (MM)`);
      return Object.entries(asObject(types, at(`list[${year}][${month}]`))).map(([type, value]) => {
        const path = `list[${year}][${month}].${type}`;
        if (type !== 'regular' && type !== 'plus')
          throw invalid(`${at(path)}: the type must be regular or plus`);
        const counter = asObject(value, at(path)).counter;
        if (counter !== undefined) {
          const c = asObject(counter, at(`${path}.counter`));
          nonNegative(c.joined, at(`${path}.counter.joined`));
          nonNegative(c.paid, at(`${path}.counter.paid`));
        }
        return { ref: families.months.key({ period: `${year}_${month}`, type }), value };
      });
    });
  });
}

function listOf(data: unknown, path: string): unknown {
  if (Array.isArray(data)) return data;
  const object = asObject(data, path.replace(/list$/, 'the top level'));
  return 'list' in object ? object.list : object;
}

function asObject(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid(
      `${path} must be an object, got ${Array.isArray(value) ? 'an array' : typeof value}`,
    );
  return value as Record<string, unknown>;
}

function nonNegative(value: unknown, path: string): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw invalid(`${path} is ${JSON.stringify(value)}; seed 000 requires a number >= 0`);
}

function stringArray(value: unknown, path: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' && typeof v !== 'number'))
    throw invalid(`${path} must be an array of ids`);
}

function invalid(message: string): CliError {
  return new CliError('HS_CLI_BACKUP_INVALID', `${message}; fix the file, nothing was imported`);
}
