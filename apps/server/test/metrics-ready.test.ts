import { createRedisClient, createTieredStore, Keyspace, RedisTier } from '@hybridstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RedisServer,
  startRedisServer,
  startTcpProxy,
  type TcpProxy,
  type TestPostgres,
  type TestStack,
  testPostgres,
  testStack,
} from '../../../test-support/index.ts';
import { buildServer } from '../src/build-server.ts';
import { METRIC_NAMES } from '../src/metrics/metric-names.ts';
import { createMetricsRegistry } from '../src/metrics/metrics-registry.ts';
import { registerRealtimeMetrics } from '../src/metrics/realtime-metrics.ts';
import { createStoreMetrics } from '../src/metrics/store-metrics.ts';

describe('GET /metrics', () => {
  let stack: TestStack;
  const registry = createMetricsRegistry();
  const metrics = createStoreMetrics(registry);
  const keyspace = new Keyspace({ prefix: `m${Date.now().toString(36)}` });
  const phone = keyspace.family({
    name: 'user_phone',
    key: 'user_data:{userId}:phone',
    durability: 'durable',
  });
  const memory = keyspace.family({
    name: 'user_memory',
    key: 'user_memory:{userId}',
    durability: 'buffered',
    ttlMs: 3_600_000,
  });

  beforeAll(async () => {
    stack = await testStack({ keyspace, store: { observer: metrics.observer } });
    metrics.attach(stack.store);
  });

  afterAll(() => stack.cleanup());

  it('exports tier operations, hits and misses per family, circuit state and write-behind figures', async () => {
    const { store } = stack;
    await store.set(phone.key({ userId: 1 }), '+79990000001');
    await store.get(phone.key({ userId: 1 })); // Redis hit
    await store.get(phone.key({ userId: 2 })); // Redis miss, PostgreSQL miss
    await store.set(memory.key({ userId: 1 }), ['hello']); // journaled, not flushed
    registerRealtimeMetrics(registry, {
      busConnected: () => true,
      busPublished: () => 7,
      busReceived: () => 5,
      gatewayClients: () => 3,
    });
    const app = buildServer({ store, metrics: registry });
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    const text = response.body;
    const value = (name: string, labels: Record<string, string> = {}) => sample(text, name, labels);
    expect(value(METRIC_NAMES.tierOperations, { tier: 'redis', outcome: 'ok' })).toBeGreaterThan(0);
    expect(value(METRIC_NAMES.tierOperations, { tier: 'postgres', outcome: 'ok' })).toBeGreaterThan(
      0,
    );
    expect(value(`${METRIC_NAMES.tierDuration}_count`, { tier: 'redis' })).toBeGreaterThan(0);
    expect(value(METRIC_NAMES.tierHits, { tier: 'redis', family: 'user_phone' })).toBe(1);
    expect(value(METRIC_NAMES.tierMisses, { tier: 'redis', family: 'user_phone' })).toBe(1);
    expect(value(METRIC_NAMES.tierMisses, { tier: 'postgres', family: 'user_phone' })).toBe(1);
    expect(value(METRIC_NAMES.tierUp, { tier: 'redis' })).toBe(1);
    expect(value(METRIC_NAMES.circuitState, { tier: 'postgres', state: 'closed' })).toBe(1);
    expect(value(METRIC_NAMES.circuitState, { tier: 'postgres', state: 'open' })).toBe(0);
    expect(value(METRIC_NAMES.writeBehindPending)).toBe(1);
    expect(value(METRIC_NAMES.writeBehindLag)).toBeGreaterThanOrEqual(0);
    expect(value(METRIC_NAMES.writeBehindDeadLetters)).toBe(0);
    expect(value(METRIC_NAMES.busPublished)).toBe(7);
    expect(value(METRIC_NAMES.gatewayClients)).toBe(3);
    expect(text).toContain('process_cpu_user_seconds_total');

    await store.flush();
    const after = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(sample(after, METRIC_NAMES.writeBehindPending)).toBe(0);
    expect(sample(after, METRIC_NAMES.writeBehindRows)).toBe(1);
    await app.close();
  });
});

describe('GET /ready', () => {
  let redis: RedisServer;
  let proxy: TcpProxy;
  let pg: TestPostgres;

  beforeAll(async () => {
    redis = await startRedisServer();
    proxy = await startTcpProxy(5432);
    pg = await testPostgres(`postgres://postgres@127.0.0.1:${proxy.port}/test`);
  });

  afterAll(async () => {
    await redis.stop();
    await proxy.restore();
    await pg.cleanup();
    await proxy.close();
  });

  it('is 503 while a required tier is down; Redis is required only when asked', async () => {
    const client = await createRedisClient(redis.url);
    const store = await createTieredStore({
      keyspace: new Keyspace(),
      cache: new RedisTier(client),
      postgres: pg.tier,
      sweepIntervalMs: 0,
    });
    const lenient = buildServer({ store });
    const strict = buildServer({ store, requiredTiers: ['redis', 'postgres'] });
    const ready = (app: typeof lenient) => app.inject({ method: 'GET', url: '/ready' });
    try {
      expect((await ready(lenient)).json()).toEqual({
        ready: true,
        down: [],
        tiers: { redis: 'up', postgres: 'up' },
      });

      await redis.stop();
      expect((await ready(lenient)).statusCode).toBe(200);
      const redisDown = await ready(strict);
      expect(redisDown.statusCode).toBe(503);
      expect(redisDown.json()).toMatchObject({ ready: false, down: ['redis'] });
      expect((await lenient.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);

      await proxy.cut();
      const pgDown = await ready(lenient);
      expect(pgDown.statusCode).toBe(503);
      expect(pgDown.json()).toMatchObject({ ready: false, down: ['postgres'] });
      // Liveness stays 200 with every data tier down (a restart would not help), and says so.
      await redis.stop();
      const live = await lenient.inject({ method: 'GET', url: '/health' });
      expect(live.statusCode).toBe(200);
      expect(live.json()).toMatchObject({ status: 'down' });
    } finally {
      await store.close().catch(() => undefined);
      client.disconnect();
    }
  });
});

/** The value of the sample `name` whose labels include `labels`, from Prometheus text. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return Number.NaN;
}
