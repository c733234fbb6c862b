import type { KeyRef, RedisClient, TieredStore } from '@hybridstate/core';
import { TelegramError } from '../errors.ts';
import type { SessionProperty } from '../session/session-definition.ts';

/**
 * Which `Sessions` property each key of the seed's `telegraf-session-redis(-upd)` layout goes
 * to. Leave one out to skip those keys.
 */
export interface LegacyLayout {
  /** `global` -> e.g. `globalSession`. */
  readonly global?: string;
  readonly lots?: string;
  readonly polls?: string;
  /** `channels` -> e.g. `channelsSession`. */
  readonly channels?: string;
  /** `{userId}-user` -> e.g. `userSession`. */
  readonly user?: string;
  /** `{chatId}-chat` -> e.g. `chatSession`. */
  readonly chat?: string;
  /** `{fromId}:{chatId}` (Telegraf's scene session) -> e.g. `scene`. */
  readonly scene?: string;
}

/** What an import did (or, on a dry run, would do), key by key. */
export interface LegacyImportReport {
  readonly dryRun: boolean;
  readonly imported: { readonly from: string; readonly to: string }[];
  readonly skipped: { readonly from: string; readonly reason: string }[];
}

/** Options of {@link importLegacySessions}. */
export interface LegacyImportOptions {
  /** Report only; write nothing. @default true */
  readonly dryRun?: boolean;
  /** Keys per SCAN page. @default 500 */
  readonly pageSize?: number;
}

const GLOBAL = ['global', 'lots', 'polls', 'channels'] as const;

const SCOPE_OF: Record<keyof LegacyLayout, string> = {
  global: 'global',
  lots: 'global',
  polls: 'global',
  channels: 'global',
  user: 'user',
  chat: 'chat',
  scene: 'user-in-chat',
};

/**
 * Import the sessions a `telegraf-session-redis(-upd)` bot left in Redis (seed 000's layout)
 * into `Sessions` properties. Idempotent: a session that already exists in the new keyspace is
 * never overwritten (skipped, with the reason), so running it twice changes nothing. Corrupt or
 * non-string values are skipped with the reason, never imported as `{}`. Reads with SCAN.
 *
 * @example
 * ```ts
 * const report = await importLegacySessions(legacyRedis, store, sessions.properties,
 *   { global: 'globalSession', lots: 'lots', user: 'userSession', chat: 'chatSession', scene: 'scene' }, { dryRun: false });
 * ```
 */
export async function importLegacySessions(
  source: RedisClient,
  store: TieredStore,
  properties: readonly SessionProperty[],
  layout: LegacyLayout,
  options: LegacyImportOptions = {},
): Promise<LegacyImportReport> {
  const report: LegacyImportReport = { dryRun: options.dryRun ?? true, imported: [], skipped: [] };
  const byName = new Map(properties.map((p) => [p.property, p]));
  validateLayout(layout, byName);
  const nodes = source.isCluster
    ? (source as import('ioredis').Cluster).nodes('master')
    : [source as import('ioredis').Redis];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'COUNT', options.pageSize ?? 500);
      cursor = next;
      for (const key of keys) await importKey(node, key, store, byName, layout, report);
    } while (cursor !== '0');
  }
  return report;
}

function validateLayout(layout: LegacyLayout, byName: Map<string, SessionProperty>): void {
  for (const [slot, target] of Object.entries(layout) as [
    keyof LegacyLayout,
    string | undefined,
  ][]) {
    if (target === undefined) continue;
    const definition = byName.get(target);
    if (definition === undefined) {
      throw new TelegramError(
        'HS_SESSION_INVALID',
        `The legacy layout names session "${target}", which these Sessions do not declare.`,
        { property: target },
      );
    }
    if (definition.scope !== SCOPE_OF[slot]) {
      throw new TelegramError(
        'HS_SESSION_INVALID',
        `Legacy "${slot}" keys need a session with scope "${SCOPE_OF[slot]}"; "${target}" has another.`,
        { property: target },
      );
    }
  }
}

async function importKey(
  node: import('ioredis').Redis,
  key: string,
  store: TieredStore,
  byName: Map<string, SessionProperty>,
  layout: LegacyLayout,
  report: LegacyImportReport,
): Promise<void> {
  const target = targetOf(key, byName, layout);
  if (target === undefined) return; // not a legacy session key (our own keys start with "{")
  if (typeof target === 'string') {
    report.skipped.push({ from: key, reason: target });
    return;
  }
  const text = await node.get(key).catch((error: Error) => error);
  if (text instanceof Error)
    return void report.skipped.push({
      from: key,
      reason: `not a string value (${text.message.split(' ')[0]})`,
    });
  if (text === null)
    return void report.skipped.push({ from: key, reason: 'gone before it was read' });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return void report.skipped.push({
      from: key,
      reason: 'not valid JSON: left in place, not imported as {}',
    });
  }
  if (value === null || typeof value !== 'object' || Object.keys(value).length === 0)
    return void report.skipped.push({ from: key, reason: 'empty session' });
  if ((await store.get(target)) !== undefined)
    return void report.skipped.push({
      from: key,
      reason: `${target.key} already exists (imported before, or newer data)`,
    });
  if (!report.dryRun) {
    const held = await store.lock([target]);
    let existing: unknown;
    try {
      existing = held.get(target);
    } catch (error) {
      await held.release();
      throw error;
    }
    if (existing !== undefined) {
      await held.release();
      return void report.skipped.push({
        from: key,
        reason: `${target.key} already exists (written meanwhile)`,
      });
    }
    await held.commit([{ ref: target, value }]);
  }
  report.imported.push({ from: key, to: target.key });
}

/** The new key of a legacy key; a string when it is a legacy key that cannot be imported (why); undefined when it is not one. */
function targetOf(
  key: string,
  byName: Map<string, SessionProperty>,
  layout: LegacyLayout,
): KeyRef | string | undefined {
  const ref = (property: string | undefined, params: Record<string, number>) => {
    const definition = property === undefined ? undefined : byName.get(property);
    return definition === undefined
      ? 'its scope is not in the layout'
      : definition.family.key(params as never);
  };
  if ((GLOBAL as readonly string[]).includes(key))
    return ref(layout[key as (typeof GLOBAL)[number]], {});
  const match = /^(-?\d+)-(user|chat)$/.exec(key) ?? /^(-?\d+):(-?\d+)$/.exec(key);
  if (match === null) return undefined;
  if (match[2] === 'user') return ref(layout.user, { userId: Number(match[1]) });
  if (match[2] === 'chat') return ref(layout.chat, { chatId: Number(match[1]) });
  return ref(layout.scene, { userId: Number(match[1]), chatId: Number(match[2]) });
}
