import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageBus } from '../bus/message-bus.ts';

/** What a bus implementation hands the contract suite. */
export interface MessageBusContractSetup {
  readonly bus: MessageBus;
  /** Resolves once subscriptions made so far are active (e.g. `RedisMessageBus.settled`). */
  settled?(): Promise<void>;
  cleanup?(): Promise<void>;
}

/**
 * The behaviour every {@link MessageBus} must have within one instance, as one vitest suite.
 * Run it unchanged against each implementation; cross-instance delivery is the
 * implementation's own test.
 *
 * @example
 * ```ts
 * registerMessageBusContract('local', async () => ({ bus: new LocalMessageBus() }));
 * ```
 */
export function registerMessageBusContract(
  name: string,
  setup: () => Promise<MessageBusContractSetup>,
): void {
  describe(`MessageBus contract: ${name}`, () => {
    let done: MessageBusContractSetup;
    let bus: MessageBus;
    let channel: string;
    let n = 0;
    const settle = async () => done.settled?.();

    beforeEach(async () => {
      done = await setup();
      bus = done.bus;
      channel = `contract-${Date.now()}-${n++}`;
    });
    afterEach(async () => {
      await bus.close();
      await done.cleanup?.();
    });

    it('has an instance id and reports connected', () => {
      expect(bus.instanceId).toMatch(/\S/);
      expect(typeof bus.connected).toBe('boolean');
    });

    it("delivers a message to this instance's subscribers with its origin", async () => {
      const got: [string, string][] = [];
      bus.subscribe(channel, (payload, origin) => got.push([payload, origin]));
      await settle();
      await bus.publish(channel, 'hello');
      expect(got).toEqual([['hello', bus.instanceId]]);
    });

    it('keeps channels apart and calls every listener of a channel', async () => {
      const a: string[] = [];
      const b: string[] = [];
      const other: string[] = [];
      bus.subscribe(channel, (p) => a.push(p));
      bus.subscribe(channel, (p) => b.push(p));
      bus.subscribe(`${channel}-other`, (p) => other.push(p));
      await settle();
      await bus.publish(channel, 'x');
      expect([a, b, other]).toEqual([['x'], ['x'], []]);
    });

    it('keeps the order of sequential publishes and any payload text', async () => {
      const got: string[] = [];
      bus.subscribe(channel, (p) => got.push(p));
      await settle();
      const payloads = ['1', '', 'line\nbreak', '{"json":true}', 'ünïcødé 🚀', 'x'.repeat(10_000)];
      for (const payload of payloads) await bus.publish(channel, payload);
      expect(got).toEqual(payloads);
    });

    it('stops delivering after unsubscribe, and unsubscribing twice is harmless', async () => {
      const got: string[] = [];
      const stop = bus.subscribe(channel, (p) => got.push(p));
      const keep: string[] = [];
      bus.subscribe(channel, (p) => keep.push(p));
      await settle();
      stop();
      stop();
      await bus.publish(channel, 'after');
      expect(got).toEqual([]);
      expect(keep).toEqual(['after']);
    });

    it('a throwing listener neither stops the others nor fails the publisher', async () => {
      const got: string[] = [];
      bus.subscribe(channel, () => {
        throw new Error('listener bug');
      });
      bus.subscribe(channel, (p) => got.push(p));
      await settle();
      await expect(bus.publish(channel, 'still')).resolves.toBeUndefined();
      expect(got).toEqual(['still']);
    });

    it('onResync returns a working unsubscribe function', () => {
      const stop = bus.onResync(() => undefined);
      expect(typeof stop).toBe('function');
      stop();
    });
  });
}
