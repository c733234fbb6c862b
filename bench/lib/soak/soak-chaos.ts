import type { RedisCluster } from '../../../test-support/redis-cluster.ts';
import type { ServerFleet } from '../../../test-support/server-fleet.ts';

/** One fault the chaos loop injected and how long the system took to get over it. */
export interface ChaosEvent {
  readonly kind: 'redis-master-kill' | 'instance-kill';
  /** Epoch ms of the kill. */
  readonly at: number;
  /** What was killed: the Redis port, or the instance index. */
  readonly target: number;
  /**
   * Redis: kill -> a replica took over and the cluster answers (`cluster_state:ok`).
   * Instance: kill -> the restarted process serves again.
   */
  readonly recoveredMs: number;
  /** Epoch ms when the fault was over (the killed node or instance back). */
  readonly endedAt: number;
}

/** How long a killed instance stays down before it is restarted. */
export const INSTANCE_DOWN_MS = 2000;
/** One slot per master of a 3-master cluster (0-5460, 5461-10922, 10923-16383). */
const SLOTS = [0, 8000, 16000];

/**
 * The chaos schedule over `durationMs`: faults at even intervals, alternating a Redis master
 * kill (failover to its replica, then the old master restarted as a replica) and an instance
 * kill (SIGKILL, restarted after {@link INSTANCE_DOWN_MS}). At least one of each.
 */
export function chaosSchedule(durationMs: number): { at: number; kind: ChaosEvent['kind'] }[] {
  const faults = Math.max(2, Math.floor(durationMs / 60_000));
  const step = durationMs / (faults + 1);
  return Array.from({ length: faults }, (_, i) => ({
    at: Math.round(step * (i + 1)),
    kind: i % 2 === 0 ? 'redis-master-kill' : 'instance-kill',
  }));
}

/** Run the schedule from `startedAt`; resolves with what happened, after the last recovery. */
export async function runChaos(
  fleet: ServerFleet,
  cluster: RedisCluster,
  startedAt: number,
  durationMs: number,
  log: (line: string) => void,
): Promise<ChaosEvent[]> {
  const events: ChaosEvent[] = [];
  let masterKills = 0;
  let instanceKills = 0;
  for (const fault of chaosSchedule(durationMs)) {
    const wait = startedAt + fault.at - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (fault.kind === 'redis-master-kill') {
      const at = Date.now();
      const { node, recoveredMs } = await cluster.killMaster(SLOTS[masterKills++ % SLOTS.length]);
      log(
        `chaos: killed Redis master :${node.port}, a replica took over in ${Math.round(recoveredMs)} ms`,
      );
      await node.server.start();
      await cluster.waitUntilHealthy();
      events.push({ kind: fault.kind, at, target: node.port, recoveredMs, endedAt: Date.now() });
    } else {
      const instance = fleet.instances[(1 + instanceKills++) % fleet.instances.length]!;
      const at = Date.now();
      await instance.kill();
      await new Promise((resolve) => setTimeout(resolve, INSTANCE_DOWN_MS));
      await instance.start();
      const recoveredMs = Date.now() - at;
      log(`chaos: killed instance ${instance.index}, serving again ${recoveredMs} ms later`);
      events.push({
        kind: fault.kind,
        at,
        target: instance.index,
        recoveredMs,
        endedAt: Date.now(),
      });
    }
  }
  return events;
}
