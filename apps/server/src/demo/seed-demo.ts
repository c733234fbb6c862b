import type { Logger } from '@hybridstate/core';
import type { Platform } from '../platform/platform.ts';
import type { Actor } from '../services/actor.ts';
import { DEMO_BUTTONS, DEMO_SCENARIO, DEMO_TASKS } from './demo-content.ts';

/** Who the demo's audit entries name. */
export const SYSTEM_ACTOR: Actor = Object.freeze({
  adminId: 'system',
  email: 'system',
  role: 'admin',
  ip: 'startup',
});

/** What {@link seedDemo} did. */
export type DemoSeedOutcome = 'seeded' | 'not-empty';

type DemoServices = Pick<Platform, 'db' | 'buttons' | 'scenarios' | 'tasks'>;

const LOCK = 'hybridstate:demo-seed';

/**
 * Add the demo content to a fresh install: only when there are no buttons, scenarios or tasks
 * and the audit log never saw one (an install whose admin deleted the demo stays empty).
 * Everything goes through the services, so it is validated, audited as `system` and
 * published like an admin's change. Instances starting together take turns on an advisory
 * lock, so the demo is added once.
 *
 * @example
 * ```ts
 * if (demoSeedEnabled(process.env)) await seedDemo(started.platform, logger);
 * ```
 */
export async function seedDemo(platform: DemoServices, logger: Logger): Promise<DemoSeedOutcome> {
  const held = await platform.db.sql.reserve();
  try {
    await held.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lockId(platform)]);
    if (!(await isFresh(platform))) return 'not-empty';
    await addDemo(platform);
    logger.info(
      { buttons: DEMO_BUTTONS.length, scenarios: 1, tasks: DEMO_TASKS.length },
      'demo content added (3 buttons, 1 scenario, 3 tasks): edit or delete it in the admin panel; SEED_DEMO=0 skips it',
    );
    return 'seeded';
  } finally {
    await held.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockId(platform)]);
    held.release();
  }
}

/** `SEED_DEMO=0` turns the demo off; anything else (or unset) leaves it on. */
export function demoSeedEnabled(env: Readonly<Record<string, string | undefined>>): boolean {
  return env.SEED_DEMO?.trim() !== '0';
}

function lockId(platform: DemoServices): string {
  return `${LOCK}:${platform.db.schema}`;
}

async function isFresh(platform: DemoServices): Promise<boolean> {
  const lists = await Promise.all([
    platform.buttons.list(),
    platform.scenarios.list(),
    platform.tasks.list(),
  ]);
  if (lists.some((list) => list.length > 0)) return false;
  const [row] = await platform.db.sql.query<{ n: string | number }>(
    `SELECT count(*) AS n FROM ${platform.db.schema}.audit_log
     WHERE entity IN ('buttons', 'scenarios', 'tasks')`,
  );
  return Number(row?.n ?? 0) === 0;
}

async function addDemo(platform: DemoServices): Promise<void> {
  const scenario = await platform.scenarios.create(SYSTEM_ACTOR, DEMO_SCENARIO);
  for (const button of DEMO_BUTTONS)
    await platform.buttons.create(SYSTEM_ACTOR, {
      ...button,
      ...(button.action === 'scenario' ? { payload: String(scenario.id) } : {}),
    });
  for (const task of DEMO_TASKS) await platform.tasks.create(SYSTEM_ACTOR, task);
}
