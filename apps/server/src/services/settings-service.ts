import type { SyncService } from '@hybridstate/sync';
import { z } from 'zod';
import type { EventPublisher } from '../platform/event-publisher.ts';
import type { PlatformDb } from '../platform/platform-db.ts';
import { validate } from '../platform/validate.ts';
import type { Actor } from './actor.ts';
import type { AuditLog } from './audit-log.ts';

/** The platform's settings. */
export interface Settings {
  readonly welcomeText: string;
  readonly minPayoutMinor: number;
  /** ISO 4217 code, e.g. `USD`. */
  readonly currency: string;
}

/** What a fresh installation starts with. */
export const DEFAULT_SETTINGS: Settings = Object.freeze({
  welcomeText: 'Welcome! Complete tasks, earn rewards, and withdraw them.',
  minPayoutMinor: 100,
  currency: 'USD',
});

const settingsSchema = z.object({
  welcomeText: z.string().trim().min(1).max(4096),
  minPayoutMinor: z.number().int().min(1).max(1_000_000_000),
  currency: z.string().regex(/^[A-Z]{3}$/, 'three capital letters, such as USD'),
});

const CACHE_KEY = 'settings:all';

/**
 * The settings rows (one per field), cached in the process for the bot and the Mini App and
 * dropped on every instance when they change.
 */
export class SettingsService {
  readonly #db: PlatformDb;
  readonly #sync: SyncService;
  readonly #audit: AuditLog;
  readonly #events: EventPublisher;

  constructor(deps: {
    db: PlatformDb;
    sync: SyncService;
    audit: AuditLog;
    events: EventPublisher;
  }) {
    this.#db = deps.db;
    this.#sync = deps.sync;
    this.#audit = deps.audit;
    this.#events = deps.events;
    deps.sync.on('settings.updated', () => void deps.sync.invalidateCache(CACHE_KEY));
  }

  /** The settings, defaults filling what was never set. */
  async get(): Promise<Settings> {
    const cached = this.#sync.getCache<Settings>(CACHE_KEY);
    if (cached !== undefined) return cached;
    const rows = await this.#db.sql.query<{ key: string; value: unknown }>(
      `SELECT key, value::text AS value FROM ${this.#db.schema}.settings`,
    );
    const stored = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value as string)]));
    const settings = { ...DEFAULT_SETTINGS, ...stored } as Settings;
    this.#sync.setCache(CACHE_KEY, settings, 60_000);
    return settings;
  }

  /** Replace the settings (audited); publishes `settings.updated`. */
  async put(actor: Actor, body: unknown): Promise<Settings> {
    const next = validate(settingsSchema, body, 'settings');
    const old = await this.get();
    await this.#db.sql.transaction(async (tx) => {
      for (const [key, value] of Object.entries(next))
        await tx.query(
          `INSERT INTO ${this.#db.schema}.settings (key, value) VALUES ($1, $2::jsonb)
           ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
          [key, JSON.stringify(value)],
        );
      await this.#audit.record(tx, actor, {
        action: 'settings.update',
        entity: 'settings',
        old,
        new: next,
      });
    });
    await this.#sync.invalidateCache(CACHE_KEY);
    await this.#events.publish('settings.updated', { key: 'all' });
    return next;
  }
}
