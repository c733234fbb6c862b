import { randomBytes } from 'node:crypto';
import type { RedisClient } from '@hybridstate/core';
import { round } from '../connect/probe-redis.ts';
import { type CheckResult, check } from './doctor-report.ts';

/**
 * Publish on a fresh channel and wait for our own subscriber to receive it: what the bus and
 * the /sync gateway rely on between instances. Fails when nothing arrives within `timeoutMs`
 * (some proxies and managed plans disable pub/sub).
 */
export async function checkPubSub(
  redis: RedisClient,
  prefix: string,
  timeoutMs = 2000,
): Promise<CheckResult> {
  const channel = `${prefix}:doctor:${randomBytes(6).toString('hex')}`;
  const subscriber = redis.duplicate();
  subscriber.on('error', () => undefined);
  try {
    await subscriber.connect();
    await subscriber.subscribe(channel);
    const received = new Promise<number>((resolve) => {
      subscriber.on('message', (from) => {
        if (from === channel) resolve(performance.now());
      });
    });
    const sent = performance.now();
    const listeners = await redis.publish(channel, 'ping');
    const timeout = new Promise<undefined>((resolve) => {
      setTimeout(() => resolve(undefined), timeoutMs).unref();
    });
    const at = await Promise.race([received, timeout]);
    if (at === undefined)
      return check(
        'pubsub',
        'fail',
        `a message published on ${channel} did not arrive within ${timeoutMs} ms (${listeners} subscribers)`,
        { channel },
        'make sure the Redis plan or proxy allows PUBLISH/SUBSCRIBE',
      );
    const latencyMs = round(at - sent);
    return check('pubsub', 'ok', `publish -> subscribe round trip in ${latencyMs} ms`, {
      latencyMs,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return check(
      'pubsub',
      'fail',
      `pub/sub failed: ${message}`,
      { channel },
      'make sure the Redis plan or proxy allows PUBLISH/SUBSCRIBE',
    );
  } finally {
    subscriber.disconnect();
  }
}
