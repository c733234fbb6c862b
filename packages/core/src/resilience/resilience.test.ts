import { describe, expect, it } from 'vitest';
import { hsError } from '../errors.ts';
import { CircuitBreaker, type CircuitState } from './circuit-breaker.ts';
import { KeyedMutex } from './keyed-mutex.ts';
import { Semaphore } from './semaphore.ts';

const down = () => Promise.reject(hsError('HS_TIER_UNAVAILABLE', 'down'));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('CircuitBreaker', () => {
  it('opens after the threshold, fails fast, probes and recovers before closing', async () => {
    let healthy = false;
    const states: CircuitState[] = [];
    const order: string[] = [];
    const breaker = new CircuitBreaker({
      name: 'Redis',
      failureThreshold: 2,
      openMs: 20,
      probe: async () => {
        order.push('probe');
        if (!healthy) throw new Error('still down');
      },
      onRecover: async () => {
        order.push(`recover writable=${breaker.isWritable} readable=${breaker.isReadable}`);
      },
      onStateChange: (state) => states.push(state),
    });
    await expect(breaker.run(down)).rejects.toMatchObject({ code: 'HS_TIER_UNAVAILABLE' });
    expect(breaker.state).toBe('closed');
    await expect(breaker.run(down)).rejects.toMatchObject({ code: 'HS_TIER_UNAVAILABLE' });
    expect(breaker.state).toBe('open');
    let called = false;
    await expect(breaker.run(async () => (called = true))).rejects.toThrow(
      /Redis is unavailable \(circuit open/,
    );
    expect(called).toBe(false);
    await sleep(40);
    healthy = true;
    for (let i = 0; i < 50 && breaker.state !== 'closed'; i++) await sleep(10);
    expect(breaker.state).toBe('closed');
    // While recovering, writes are let through but reads must not trust the tier yet.
    expect(order.slice(-2)).toEqual(['probe', 'recover writable=true readable=false']);
    expect(states).toEqual(expect.arrayContaining(['open', 'half-open', 'recovering', 'closed']));
    expect(await breaker.run(async () => 7)).toBe(7);
    breaker.close();
  });

  it('ignores errors that say nothing about availability', async () => {
    const breaker = new CircuitBreaker({ name: 'x', failureThreshold: 1, probe: async () => {} });
    await expect(
      breaker.run(() => Promise.reject(hsError('HS_VALUE_REJECTED', 'bad'))),
    ).rejects.toThrow();
    expect(breaker.state).toBe('closed');
  });

  it('hands a failure to recover after counting it, and the open circuit error too', async () => {
    const breaker = new CircuitBreaker({ name: 'x', failureThreshold: 2, probe: down });
    const seen: unknown[] = [];
    const recover = async (error: unknown) => {
      seen.push((error as { code?: string }).code);
      return 'fallback';
    };
    expect(await breaker.runWith(async (n: number) => `ok ${n}`, 1, recover)).toBe('ok 1');
    expect(await breaker.runWith(down, undefined, recover)).toBe('fallback');
    expect(breaker.state).toBe('closed');
    expect(await breaker.runWith(down, undefined, recover)).toBe('fallback');
    expect(breaker.state).toBe('open'); // both failures were counted
    let called = false;
    const skipped = async () => {
      called = true;
      return 'no';
    };
    expect(await breaker.runWith(skipped, undefined, recover)).toBe('fallback');
    expect(called).toBe(false);
    expect(seen).toEqual(['HS_TIER_UNAVAILABLE', 'HS_TIER_UNAVAILABLE', 'HS_TIER_UNAVAILABLE']);
    // A recover that throws (an error it does not handle) rejects; a synchronous throw too.
    const rethrow = (error: unknown): Promise<string> => {
      throw error;
    };
    await expect(breaker.runWith(down, undefined, rethrow)).rejects.toMatchObject({
      code: 'HS_TIER_UNAVAILABLE',
    });
    breaker.close();
  });
});

describe('KeyedMutex', () => {
  it('serializes one key and runs different keys in parallel', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const job = (key: string, name: string, ms: number) =>
      mutex.run(key, async () => {
        log.push(`start ${name}`);
        await sleep(ms);
        log.push(`end ${name}`);
      });
    await Promise.all([job('a', 'a1', 30), job('a', 'a2', 1), job('b', 'b1', 1)]);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(log.indexOf('end b1')).toBeLessThan(log.indexOf('end a1'));
    expect(mutex.size).toBe(0);
  });

  it('releases the key when the work throws', async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.run('k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await mutex.run('k', async () => 1)).toBe(1);
  });
});

describe('KeyedMutex.tryAcquire', () => {
  it('holds a free key at once and never jumps a holder or a waiter', async () => {
    const mutex = new KeyedMutex();
    const release = mutex.tryAcquire('k')!;
    expect(mutex.tryAcquire('k')).toBeUndefined();
    const waiter = mutex.acquire('k');
    release();
    expect(mutex.tryAcquire('k')).toBeUndefined(); // the waiter's turn
    (await waiter)();
    expect(mutex.size).toBe(0);
    expect(mutex.tryAcquire('k')).toBeDefined();
  });
});

describe('KeyedMutex with a deadline', () => {
  it('gives up after the timeout without blocking later waiters', async () => {
    const mutex = new KeyedMutex();
    const holder = await mutex.acquire('k');
    await expect(mutex.acquire('k', 30, () => new Error('too slow'))).rejects.toThrow('too slow');
    const later = mutex.acquire('k', 1000);
    holder();
    const release = await later; // the timed-out waiter passed its turn on
    release();
    expect(mutex.size).toBe(0);
  });
});

describe('Semaphore', () => {
  it('lets at most N hold it, in arrival order, each waiter for at most its timeout', async () => {
    const slots = new Semaphore(2);
    const a = await slots.acquire(100, () => new Error('a'));
    const b = await slots.acquire(100, () => new Error('b'));
    await expect(slots.acquire(20, () => new Error('full'))).rejects.toThrow('full');
    const c = slots.acquire(1000, () => new Error('c'));
    a();
    const releaseC = await c;
    b();
    releaseC();
    const d = await slots.acquire(10, () => new Error('d'));
    d();
  });
});
