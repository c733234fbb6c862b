import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importGoblinBackup } from '../src/import/import-backup.ts';
import { type GoblinHarness, goblinHarness } from './goblin-harness.ts';

// The `hybridstate import` command's fixture: a seed 000 backups folder.
const BACKUPS = fileURLToPath(
  new URL('../../../packages/cli/test/fixtures/backups', import.meta.url),
);

describe('importing a seed 000 backups folder', () => {
  let h: GoblinHarness;
  beforeAll(async () => {
    h = await goblinHarness();
  });
  afterAll(async () => h?.cleanup());

  const state = async () => ({
    kickstarters: await h.rows(
      `SELECT k.id, k.name, k.cost, k."pledgeCost", array(SELECT "fileId" FROM $s."kickstarterPhotos" p WHERE p."kickstarterId" = k.id ORDER BY position) AS photos,
         array(SELECT "fileId" FROM $s."kickstarterFiles" f WHERE f."kickstarterId" = k.id ORDER BY position) AS files FROM $s."kickstarters" k ORDER BY id`,
    ),
    users: await h.rows(
      `SELECT u.id::text, u.username, u."firstName", u."lastName", p.balance, p."scrollsSpent" FROM $s."users" u JOIN $s."userPurchases" p ON p."userId" = u.id ORDER BY u.id`,
    ),
    roles: await h.rows(`SELECT "userId"::text, role::text FROM $s."userRoles" ORDER BY 1, 2`),
    groups: await h.rows(
      `SELECT "userId"::text, period::text, type::text FROM $s."userGroups" ORDER BY 1, 2, 3`,
    ),
    owned: await h.rows(
      `SELECT "userId"::text, "kickstarterId", "acquiredBy" FROM $s."userKickstarters" ORDER BY 1, 2`,
    ),
    months: await h.rows(
      `SELECT period::text, type::text, "chatId"::text, link, "counterJoined", "counterPaid" FROM $s."months" ORDER BY 1, 2`,
    ),
    settings: await h.rows(`SELECT key, value FROM $s."settings" ORDER BY key`),
  });

  it('gives the state of the seed import order (kickstarters, users, months, settings), idempotently', async () => {
    const report = await importGoblinBackup(h.stack.pg.sql, h.schema, BACKUPS);
    expect(report).toMatchObject({ kickstarters: 2, users: 2, months: 3, settings: 3 });
    expect(report.dir).toMatch(/2024-05-01T10-00-00$/);
    const imported = await state();
    expect(imported).toEqual({
      kickstarters: [
        {
          id: 0,
          name: 'Goblin Warband',
          cost: 25,
          pledgeCost: 120,
          photos: ['AgACAgIAAxkBAAIBQ2Zk1'],
          files: ['BQACAgIAAxkBAAIBRGZk2'],
        },
        {
          id: 1,
          name: 'Dungeon Tiles',
          cost: 10,
          pledgeCost: 45,
          photos: ['AgACAgIAAxkBAAIBRWZk3', 'AgACAgIAAxkBAAIBRmZk4'],
          files: [],
        },
      ],
      users: [
        {
          id: '123456789',
          username: 'goblin_fan',
          firstName: 'Ivan',
          lastName: 'Petrov',
          balance: 150,
          scrollsSpent: 2,
        },
        {
          id: '987654321',
          username: 'mini_painter',
          firstName: 'Anna',
          lastName: '',
          balance: 0,
          scrollsSpent: 0,
        },
      ],
      roles: [{ userId: '123456789', role: 'admin' }],
      groups: [
        { userId: '123456789', period: '2024_01', type: 'regular' },
        { userId: '123456789', period: '2024_02', type: 'plus' },
        { userId: '123456789', period: '2024_02', type: 'regular' },
        { userId: '987654321', period: '2024_02', type: 'regular' },
      ],
      owned: [{ userId: '123456789', kickstarterId: 0, acquiredBy: 'import' }],
      months: [
        {
          period: '2024_01',
          type: 'plus',
          chatId: '-1001234567891',
          link: 'https://t.me/+plus2401',
          counterJoined: 12,
          counterPaid: 12,
        },
        {
          period: '2024_01',
          type: 'regular',
          chatId: '-1001234567890',
          link: 'https://t.me/+regular2401',
          counterJoined: 41,
          counterPaid: 40,
        },
        {
          period: '2024_02',
          type: 'regular',
          chatId: '-1001234567892',
          link: 'https://t.me/+regular2402',
          counterJoined: 38,
          counterPaid: 35,
        },
      ],
      settings: [
        { key: 'pricePlus', value: '500' },
        { key: 'priceRegular', value: '300' },
        { key: 'welcomeText', value: 'Welcome to the guild!' },
      ],
    });
    await importGoblinBackup(h.stack.pg.sql, h.schema, BACKUPS);
    expect(await state()).toEqual(imported);
  });

  it('the bot sees imported users through the bridge', async () => {
    expect(await h.say(123456789, '/balance')).toEqual([
      'Balance: 150 scrolls.\nScrolls spent: 2.\nGroups: 2024_01 regular, 2024_02 regular, 2024_02 plus.\nKickstarters: 1.',
    ]);
    expect(await h.say(123456789, '/buy 0')).toEqual([
      'You already have Goblin Warband: https://www.kickstarter.com/projects/greenskin/goblin-warband',
    ]);
  });

  it('a backup breaking an invariant imports nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'goblin-backup-'));
    try {
      await cp(join(BACKUPS, '2024-05-01T10-00-00'), dir, { recursive: true });
      await writeFile(
        join(dir, 'users.json'),
        JSON.stringify({
          list: { 555: { id: 555, username: 'x', roles: [], purchases: { balance: -5 } } },
        }),
      );
      const before = await state();
      await h.rows(`DELETE FROM $s."settings" WHERE key = 'welcomeText'`);
      await expect(importGoblinBackup(h.stack.pg.sql, h.schema, dir)).rejects.toThrow(
        /balanceNotNegative/,
      );
      expect(await state()).toEqual({
        ...before,
        settings: before.settings.filter((s) => s.key !== 'welcomeText'),
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
