import type { Cluster, Redis } from 'ioredis';

/**
 * The master connections of a cluster client, connected: the pool opens them lazily, and a
 * command sent to one still waiting fails at once (no offline queue), so a caller that walks
 * every master (SCAN) connects them first.
 *
 * @example
 * ```ts
 * for (const node of await clusterMasters(cluster)) await node.scan('0');
 * ```
 */
export async function clusterMasters(cluster: Cluster): Promise<Redis[]> {
  const nodes = cluster.nodes('master');
  await Promise.all(nodes.map((node) => (node.status === 'wait' ? node.connect() : undefined)));
  return nodes;
}
