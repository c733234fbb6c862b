import { type Family, Keyspace } from '@hybridstate/core';
import { declareSessions, type SessionProperty } from '@hybridstate/telegram';

/** The families the command itself reads and writes, in the app's keyspace (same prefix). */
export interface CliKeyspace {
  readonly keyspace: Keyspace;
  /** `doctor`'s round-trip probes: removed right after, and short-lived in case they are not. */
  readonly doctorDurable: Family<'_doctor:durable:{id}'>;
  readonly doctorEphemeral: Family<'_doctor:ephemeral:{id}'>;
  /** Seed 000's backup records, one key per record (see `import/backup-records.ts`). */
  readonly backup: {
    readonly kickstarters: Family<'legacy:kickstarter:{id}'>;
    readonly users: Family<'legacy:user:{id}'>;
    readonly months: Family<'legacy:month:{period}:{type}'>;
    readonly settings: Family<'legacy:setting:{name}'>;
  };
  /** Seed 000's Telegraf sessions, under the property names the seed's bot used. */
  readonly sessions: readonly SessionProperty[];
}

/** How long `doctor`'s probe keys live if the command dies before deleting them. */
export const DOCTOR_PROBE_TTL_MS = 60_000;

/** Scenes were temporary in seed 000; imported ones live a day. */
export const LEGACY_SCENE_TTL_MS = 86_400_000;

/**
 * Declare the command's families in a keyspace with the app's prefix. The legacy session
 * properties (`globalSession`, `lots`, `polls`, `channelsSession`, `userSession`,
 * `chatSession`, `scene`) are the names seed 000's bot used, so a bot declaring the same
 * sessions reads what `hybridstate import --legacy` wrote.
 */
export function cliKeyspace(prefix: string): CliKeyspace {
  const keyspace = new Keyspace({ prefix });
  const record = <const T extends string>(name: string, key: T) =>
    keyspace.family({ name, key, durability: 'durable', context: 'import' });
  const probe = <const T extends string>(
    name: string,
    key: T,
    durability: 'durable' | 'ephemeral',
  ) => keyspace.family({ name, key, durability, ttlMs: DOCTOR_PROBE_TTL_MS, context: 'doctor' });
  return {
    keyspace,
    doctorDurable: probe('hs_doctor_durable', '_doctor:durable:{id}', 'durable'),
    doctorEphemeral: probe('hs_doctor_ephemeral', '_doctor:ephemeral:{id}', 'ephemeral'),
    backup: {
      kickstarters: record('legacy_kickstarter', 'legacy:kickstarter:{id}'),
      users: record('legacy_user', 'legacy:user:{id}'),
      months: record('legacy_month', 'legacy:month:{period}:{type}'),
      settings: record('legacy_setting', 'legacy:setting:{name}'),
    },
    sessions: declareSessions(keyspace, {
      globalSession: { scope: 'global', name: 'global' },
      lots: { scope: 'global' },
      polls: { scope: 'global' },
      channelsSession: { scope: 'global', name: 'channels' },
      userSession: { scope: 'user' },
      chatSession: { scope: 'chat' },
      scene: { scope: 'user-in-chat', durability: 'ephemeral', ttlMs: LEGACY_SCENE_TTL_MS },
    }),
  };
}
