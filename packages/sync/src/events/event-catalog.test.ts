import { isHybridStateError } from '@hybridstate/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EventCatalog } from './event-catalog.ts';
import { isEventPattern, matchesPattern, patternsMatching } from './event-pattern.ts';
import { syncEvents } from './sync-events.ts';

const SEED_002_EVENTS = [
  'scenarios.created',
  'scenarios.updated',
  'scenarios.deleted',
  'buttons.created',
  'buttons.updated',
  'buttons.deleted',
  'tasks.created',
  'tasks.updated',
  'tasks.deleted',
  'settings.updated',
  'users.created',
  'users.updated',
  'users.balance_updated',
  'payouts.created',
  'payouts.updated',
  'payouts.approved',
  'payouts.declined',
];

async function codeOf(work: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (error) {
    return isHybridStateError(error) ? error.code : String(error);
  }
  return undefined;
}

describe('the event catalog', () => {
  it('has every event seed 002 lists, and only those', () => {
    expect(syncEvents.names().sort()).toEqual([...SEED_002_EVENTS].sort());
  });

  it('validates payloads and keeps extra fields of entity events', async () => {
    expect(await syncEvents.validate('buttons.updated', { id: 7, label: 'Go' })).toEqual({
      id: 7,
      label: 'Go',
    });
    expect(await codeOf(syncEvents.validate('buttons.updated', { label: 'no id' }))).toBe(
      'HS_SYNC_INVALID_PAYLOAD',
    );
    expect(await codeOf(syncEvents.validate('users.balance_updated', { balance: 5 }))).toBe(
      'HS_SYNC_INVALID_PAYLOAD',
    );
  });

  it('never lets a setting value travel', async () => {
    expect(await syncEvents.validate('settings.updated', { key: 'api', value: 'secret' })).toEqual({
      key: 'api',
    });
  });

  it('refuses unknown events with HS_SYNC_UNKNOWN_EVENT', async () => {
    expect(await codeOf(syncEvents.validate('orders.created', { id: 1 }))).toBe(
      'HS_SYNC_UNKNOWN_EVENT',
    );
  });

  it('extends without changing the original, and refuses duplicates and bad names', async () => {
    const extended = syncEvents.extend({
      'orders.created': {
        schema: z.object({ id: z.string(), userId: z.number() }),
        audience: 'subject',
      },
    });
    expect(extended.has('orders.created')).toBe(true);
    expect(syncEvents.has('orders.created')).toBe(false);
    expect(extended.get('orders.created')?.subjectOf({ id: 'a', userId: 5 })).toBe('5');
    expect(
      await codeOf(() => extended.extend({ 'orders.created': { schema: z.object({}) } })),
    ).toBe('HS_SYNC_CATALOG_INVALID');
    expect(
      await codeOf(() => EventCatalog.empty().extend({ nodot: { schema: z.object({}) } })),
    ).toBe('HS_SYNC_CATALOG_INVALID');
    expect(
      await codeOf(() => EventCatalog.empty().extend({ 'a.b': { schema: {} as never } })),
    ).toBe('HS_SYNC_CATALOG_INVALID');
  });

  it('defaults the audience to admin-only', () => {
    const catalog = EventCatalog.empty().extend({ 'audit.logged': { schema: z.object({}) } });
    expect(catalog.get('audit.logged')?.audience).toBe('admin');
    expect(syncEvents.get('payouts.approved')?.audience).toBe('subject');
    expect(syncEvents.get('buttons.created')?.audience).toBe('public');
  });
});

describe('event patterns', () => {
  it('accepts names, domain.* and *; refuses the rest', () => {
    for (const ok of ['*', 'users.*', 'users.balance_updated'])
      expect(isEventPattern(ok)).toBe(true);
    for (const bad of [
      '',
      'users',
      '*.updated',
      'users.**',
      'a.b c',
      `${'x'.repeat(101)}.a`,
      42,
      null,
    ])
      expect(isEventPattern(bad)).toBe(false);
  });

  it('matches exact names, the domain and everything', () => {
    expect(patternsMatching('users.updated')).toEqual(['users.updated', 'users.*', '*']);
    expect(matchesPattern('users.*', 'users.updated')).toBe(true);
    expect(matchesPattern('users.*', 'payouts.updated')).toBe(false);
    expect(matchesPattern('users.created', 'users.updated')).toBe(false);
  });
});
