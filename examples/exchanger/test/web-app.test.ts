import { pgSqlClient } from '@hybridstate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebRepository } from '../src/web/web-repository.ts';
import { cookieFrom, type ExchangerWorld, exchangerWorld } from './exchanger-world.ts';

describe('exchanger web app: rates cached 5 min, orders cached 30 min, payments', () => {
  let world: ExchangerWorld;
  let alice: { cookie: string };
  let bob: { cookie: string };
  let rates: WebRepository;

  const login = async (email: string, password: string) => {
    const response = await world.apps.web.app.inject({
      method: 'POST',
      url: '/login',
      payload: { email, password },
    });
    return { cookie: `web_sid=${cookieFrom(response.headers['set-cookie'], 'web_sid')}` };
  };

  beforeAll(async () => {
    world = await exchangerWorld();
    await world.createUser('alice@example.com', 'alice-secret');
    await world.createUser('bob@example.com', 'bob-secret');
    alice = await login('alice@example.com', 'alice-secret');
    bob = await login('bob@example.com', 'bob-secret');
    rates = new WebRepository(pgSqlClient(world.roles.web), world.schemas.web);
    await rates.publishRate('USD', 'UAH', '41.5');
  });
  afterAll(async () => {
    await world?.cleanup();
  });

  it('refuses a wrong password and an unknown email alike, and unauthenticated requests', async () => {
    for (const payload of [
      { email: 'alice@example.com', password: 'nope' },
      { email: 'nobody@example.com', password: 'alice-secret' },
    ]) {
      const response = await world.apps.web.app.inject({ method: 'POST', url: '/login', payload });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: 'EXCHANGER_LOGIN_FAILED' });
      expect(response.headers['set-cookie']).toBeUndefined();
    }
    expect((await world.apps.web.app.inject({ url: '/orders' })).statusCode).toBe(401);
    const bad = await world.apps.web.app.inject({
      method: 'POST',
      url: '/login',
      payload: { email: 'x' },
    });
    expect(bad.json()).toMatchObject({ code: 'EXCHANGER_INVALID_INPUT' });
  });

  it('serves a rate from the 5 min cache until it is invalidated; a missing rate is not cached', async () => {
    expect((await world.apps.web.app.inject({ url: '/rates/USD/UAH' })).json()).toEqual({
      from: 'USD',
      to: 'UAH',
      rate: '41.50000000',
    });
    const key = world.redisKey('cache.web.rates', { key: 'USD_UAH' });
    const ttl = await world.redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5 * 60_000);
    await world.owner.query(
      `UPDATE ${world.schemas.web}.exchange_rates SET rate = 42 WHERE from_currency = 'USD'`,
    );
    expect((await world.apps.web.app.inject({ url: '/rates/USD/UAH' })).json()).toMatchObject({
      rate: '41.50000000',
    });
    await world.apps.web.stack.cache.delete('rates', 'USD_UAH');
    expect((await world.apps.web.app.inject({ url: '/rates/USD/UAH' })).json()).toMatchObject({
      rate: '42.00000000',
    });

    const missing = await world.apps.web.app.inject({ url: '/rates/EUR/UAH' });
    expect(missing.statusCode).toBe(404);
    expect(await world.redis.exists(world.redisKey('cache.web.rates', { key: 'EUR_UAH' }))).toBe(0);
    expect((await world.apps.web.app.inject({ url: '/rates/usd/UAH' })).statusCode).toBe(400);
  });

  it('creates, lists (30 min cache, dropped on change) and pays orders; refuses bad input writing nothing', async () => {
    const created = await world.apps.web.app.inject({
      method: 'POST',
      url: '/orders',
      headers: alice,
      payload: { from: 'USD', to: 'UAH', amount: '100.5' },
    });
    expect(created.statusCode).toBe(201);
    const order = created.json();
    expect(order).toMatchObject({
      fromCurrency: 'USD',
      toCurrency: 'UAH',
      amount: '100.50000000',
      status: 'pending',
    });

    const listed = await world.apps.web.app.inject({ url: '/orders', headers: alice });
    expect(listed.json()).toEqual([order]);
    const userId = (await world.apps.web.app.inject({ url: '/me', headers: alice })).json()
      .id as string;
    const cacheKey = world.redisKey('cache.web.orders', { key: userId });
    const ttl = await world.redis.pttl(cacheKey);
    expect(ttl).toBeGreaterThan(5 * 60_000);
    expect(ttl).toBeLessThanOrEqual(30 * 60_000);

    for (const payload of [
      { from: 'USD', to: 'UAH', amount: '0' },
      { from: 'USD', to: 'UAH', amount: '-5' },
      { from: 'usd', to: 'UAH', amount: '5' },
      { from: 'USD', to: 'UAH', amount: '1e9' },
      { from: 'USD', to: 'UAH', amount: '5', extra: true },
      { from: 'GBP', to: 'UAH', amount: '5' },
    ]) {
      const response = await world.apps.web.app.inject({
        method: 'POST',
        url: '/orders',
        headers: alice,
        payload,
      });
      expect([400, 404]).toContain(response.statusCode);
    }
    const { rows } = await world.owner.query(
      `SELECT count(*)::int AS n FROM ${world.schemas.web}.orders`,
    );
    expect(rows).toEqual([{ n: 1 }]);

    const pay = (headers: { cookie: string }, method = 'card') =>
      world.apps.web.app.inject({
        method: 'POST',
        url: `/orders/${order.id}/payments`,
        headers,
        payload: { method },
      });
    expect((await pay(bob)).statusCode).toBe(404); // another user's order
    expect((await pay(alice, 'cash')).statusCode).toBe(400);
    const paid = await pay(alice);
    expect(paid.statusCode).toBe(201);
    expect(paid.json()).toMatchObject({
      orderId: order.id,
      amount: '100.50000000',
      status: 'completed',
    });
    expect((await pay(alice)).json()).toMatchObject({ code: 'EXCHANGER_CONFLICT' });
    expect((await world.apps.web.app.inject({ url: '/orders', headers: alice })).json()).toEqual([
      { ...order, status: 'paid' },
    ]);
    expect((await world.apps.web.app.inject({ url: '/orders', headers: bob })).json()).toEqual([]);
  });

  it('logout deletes the session from both tiers', async () => {
    const carol = await world.createUser('carol@example.com', 'carol-secret');
    const session = await login('carol@example.com', 'carol-secret');
    const out = await world.apps.web.app.inject({
      method: 'POST',
      url: '/logout',
      headers: session,
    });
    expect(out.headers['set-cookie']).toContain('Max-Age=0');
    expect((await world.apps.web.app.inject({ url: '/me', headers: session })).statusCode).toBe(
      401,
    );
    const { rows } = await world.owner.query(
      `SELECT count(*)::int AS n FROM ${world.schemas.identity}.sessions WHERE user_id = $1`,
      [carol],
    );
    expect(rows).toEqual([{ n: 0 }]);
  });
});
