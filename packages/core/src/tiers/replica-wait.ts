import calculateSlot from 'cluster-key-slot';
import type { Cluster, Redis } from 'ioredis';
import type { RedisClient } from './redis-tier.ts';

/**
 * Wait until `replicas` replicas confirmed the writes made so far on the masters holding
 * `keys` (Redis `WAIT`, at most `timeoutMs`): per key, true when they did. On a Cluster each
 * key's own master is asked. A master that cannot be reached counts as not confirmed.
 */
export async function waitForReplicas(
  client: RedisClient,
  keys: readonly string[],
  replicas: number,
  timeoutMs: number,
): Promise<boolean[]> {
  if (!client.isCluster) {
    const confirmed = (await (client as Redis).wait(replicas, timeoutMs)) >= replicas;
    return keys.map(() => confirmed);
  }
  const cluster = client as Cluster;
  const byNode = new Map<string, number[]>();
  keys.forEach((key, i) => {
    const node = masterAddressOf(cluster, key);
    byNode.set(node, [...(byNode.get(node) ?? []), i]);
  });
  const confirmed = keys.map(() => false);
  const masters = new Map(
    cluster.nodes('master').map((node) => [`${node.options.host}:${node.options.port}`, node]),
  );
  await Promise.all(
    [...byNode].map(async ([address, indexes]) => {
      const node = masters.get(address);
      if (node === undefined) return;
      const count = await node.wait(replicas, timeoutMs).catch(() => 0);
      if (count >= replicas) for (const i of indexes) confirmed[i] = true;
    }),
  );
  return confirmed;
}

/** The `host:port` of the master serving `key`'s slot, as the client's slot map knows it. */
export function masterAddressOf(cluster: Cluster, key: string): string {
  return cluster.slots[calculateSlot(key)]?.[0] ?? '';
}
