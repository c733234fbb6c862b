import { type Family, Keyspace } from '@hybridstate/core';
import { describe, expect, it } from 'vitest';
import { ScopeKeys, type SessionScope, scopeTemplate } from './session-scope.ts';

function keysOf(scope: SessionScope): { keys: ScopeKeys; family: Family } {
  const keyspace = new Keyspace({ prefix: 'scopekeys' });
  const family = keyspace.family({
    name: 'session_s',
    key: `session:s${scopeTemplate(scope)}`,
    durability: 'ephemeral',
    ttlMs: 60_000,
  }) as Family;
  return { keys: new ScopeKeys(scope, family), family };
}

describe('ScopeKeys', () => {
  it('gives each sender, chat and sender-in-chat its own key, the same object on the next update', () => {
    const user = keysOf('user').keys;
    const alice = user.refOf({ from: { id: 1 } });
    expect(alice?.key).toBe('session:s:1');
    expect(user.refOf({ from: { id: 1 }, chat: { id: 9 } })).toBe(alice);
    expect(user.refOf({ from: { id: 2 } })?.key).toBe('session:s:2');
    expect(user.refOf({ chat: { id: 9 } })).toBeUndefined();

    const scene = keysOf('user-in-chat').keys;
    // Chat 1 with user 23 and chat 12 with user 3 must not share a remembered key.
    expect(scene.refOf({ chat: { id: 1 }, from: { id: 23 } })?.key).toBe('session:s:1:23');
    expect(scene.refOf({ chat: { id: 12 }, from: { id: 3 } })?.key).toBe('session:s:12:3');
    expect(scene.refOf({ chat: { id: -100 }, from: { id: 5 } })?.key).toBe('session:s:-100:5');
    expect(scene.refOf({ from: { id: 5 } })).toBeUndefined();

    const global = keysOf('global').keys;
    expect(global.refOf({})?.key).toBe('session:s');
    expect(global.refOf({ from: { id: 7 } })).toBe(global.refOf({}));
  });

  it('runs a key function once per update, and an empty key means none', () => {
    let calls = 0;
    const { keys } = keysOf((ctx) => {
      calls++;
      return ctx.from?.id === undefined ? undefined : ctx.from.id === 0 ? '' : `u${ctx.from.id}`;
    });
    expect(keys.refOf({ from: { id: 4 } })?.key).toBe('session:s:u4');
    expect(calls).toBe(1);
    expect(keys.refOf({ from: { id: 4 } })?.key).toBe('session:s:u4');
    expect(calls).toBe(2);
    expect(keys.refOf({ from: { id: 0 } })).toBeUndefined();
    expect(keys.refOf({})).toBeUndefined();
  });

  it('stays right once its bounded memory was cleared by many senders', () => {
    const { keys, family } = keysOf('user');
    const first = keys.refOf({ from: { id: 1 } });
    for (let id = 2; id < 10_000; id++)
      expect(keys.refOf({ from: { id } })?.redisKey).toBe(
        family.key({ userId: id } as never).redisKey,
      );
    const again = keys.refOf({ from: { id: 1 } });
    expect(again).not.toBe(first); // forgotten when the memory was cleared, rendered again
    expect(again).toEqual(first);
  });
});
