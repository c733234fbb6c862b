/**
 * The soak: mixed load over 3 `apps/server` instances on one Redis Cluster (3 masters,
 * 3 replicas) and one PostgreSQL, while a chaos loop kills Redis masters and server instances;
 * then the invariants, checked against PostgreSQL. `npm run soak` and the short soak in
 * `npm test` run this same code.
 */
import { adminLogin, type FleetAdmin, http } from '../../../test-support/fleet-client.ts';
import { TEST_DATABASE_URL } from '../../../test-support/index.ts';
import { startRedisCluster } from '../../../test-support/redis-cluster.ts';
import { type ServerFleet, startServerFleet } from '../../../test-support/server-fleet.ts';
import { EditWatch } from './edit-watch.ts';
import { type ChaosEvent, runChaos } from './soak-chaos.ts';
import { checkInvariants, type SoakInvariants } from './soak-checks.ts';
import { runLoad, type SoakAcks, type SoakSeed } from './soak-load.ts';
import { SoakTracker } from './soak-tracker.ts';

/** Options of {@link runSoak}. */
export interface SoakOptions {
  /** How long the load runs. @default 300_000 */
  readonly durationMs?: number;
  /** Concurrent Telegram users, each sending updates one after another. @default 4 */
  readonly botLoops?: number;
  /** Concurrent Mini App users. @default 3 */
  readonly miniAppLoops?: number;
  /** Pause between two operations of one client. @default 100 */
  readonly pauseMs?: number;
  /** Pause between two admin edits. @default 700 */
  readonly adminPauseMs?: number;
  /** Progress lines. @default nothing */
  readonly log?: (line: string) => void;
}

/** Everything the soak measured. */
export interface SoakResult {
  readonly durationMs: number;
  /** Epoch ms the load started. */
  readonly startedAt: number;
  readonly tracker: SoakTracker;
  readonly acks: SoakAcks;
  readonly chaos: ChaosEvent[];
  readonly invariants: SoakInvariants;
  readonly watch: EditWatch;
}

const TASKS = 15;
const REWARD_MINOR = 100;
const PAYOUT_MINOR = 150;

/** Start the cluster and the fleet, run load and chaos, check, tear everything down. */
export async function runSoak(options: SoakOptions = {}): Promise<SoakResult> {
  const durationMs = options.durationMs ?? 300_000;
  const log = options.log ?? (() => undefined);
  const cluster = await startRedisCluster();
  let fleet: ServerFleet | undefined;
  let watch: EditWatch | undefined;
  try {
    fleet = await startServerFleet({
      redis: { clusterNodes: cluster.nodesVariable },
      postgresUrl: TEST_DATABASE_URL,
    });
    log(`fleet up: 3 instances behind ${fleet.url}, Redis Cluster ${cluster.nodesVariable}`);
    const admin = await adminLogin(fleet);
    const seed = await seedPlatform(fleet, admin);
    watch = await EditWatch.open(fleet, admin);
    const tracker = new SoakTracker();
    const acks: SoakAcks = { updates: [], completions: [], payouts: [], edits: [] };
    const startedAt = Date.now();
    const [chaos] = await Promise.all([
      runChaos(fleet, cluster, startedAt, durationMs, log),
      runLoad({
        fleet,
        admin,
        seed,
        tracker,
        watch,
        acks,
        stopAt: startedAt + durationMs,
        botLoops: options.botLoops ?? 4,
        miniAppLoops: options.miniAppLoops ?? 3,
        pauseMs: options.pauseMs ?? 100,
        adminPauseMs: options.adminPauseMs ?? 700,
      }),
    ]);
    log(`load stopped after ${Math.round((Date.now() - startedAt) / 1000)} s; checking`);
    await cluster.waitUntilHealthy();
    const invariants = await checkInvariants(fleet.sql, acks, seed.buttonId);
    return { durationMs, startedAt, tracker, acks, chaos, invariants, watch };
  } finally {
    watch?.close();
    await fleet?.stop();
    await cluster.stop();
  }
}

/** Settings, tasks and the button the admin edits, created through the API. */
async function seedPlatform(fleet: ServerFleet, admin: FleetAdmin): Promise<SoakSeed> {
  const must = async (method: string, path: string, body: unknown) => {
    const answer = await http(fleet.url, method, path, { headers: admin.headers, body });
    if (answer.status >= 300)
      throw new Error(`seeding ${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body as { id: number };
  };
  await must('PUT', '/api/admin/settings', {
    welcomeText: 'Welcome to the soak',
    minPayoutMinor: 100,
    currency: 'USD',
  });
  const tasks = [];
  for (let i = 0; i < TASKS; i++) {
    const task = await must('POST', '/api/admin/tasks', {
      title: `Soak task ${i}`,
      rewardMinor: REWARD_MINOR,
      type: 'link',
      url: `https://example.com/soak/${i}`,
    });
    tasks.push({ id: task.id, rewardMinor: REWARD_MINOR });
  }
  const button = await must('POST', '/api/admin/buttons', {
    label: 'soak edit -',
    action: 'balance',
  });
  return { tasks, buttonId: button.id, payoutMinor: PAYOUT_MINOR };
}
