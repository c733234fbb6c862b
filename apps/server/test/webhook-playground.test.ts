import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandUpdate } from '../../../test-support/telegram.ts';
import {
  type AdminClient,
  newTelegramId,
  type PlatformFixture,
  platformFixture,
  WEBHOOK_SECRET,
} from './support/platform-fixture.ts';

describe('webhook mode and the playground endpoints', () => {
  let f: PlatformFixture;
  let admin: AdminClient;

  beforeAll(async () => {
    f = await platformFixture();
    admin = await f.signIn('admin');
  });
  afterAll(() => f?.cleanup());

  it('POST /telegram/webhook refuses a missing or wrong secret with 401 and handles nothing', async () => {
    const id = newTelegramId();
    for (const headers of [{}, { 'x-telegram-bot-api-secret-token': 'wrong' }]) {
      const response = await f.app.inject({
        method: 'POST',
        url: '/telegram/webhook',
        headers,
        payload: commandUpdate(id, 'start'),
      });
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('WEBHOOK_SECRET_INVALID');
    }
    expect(await f.platform.users.byTelegramId(id)).toBeNull();
  });

  it('POST /telegram/webhook with the secret hands the update to the bot', async () => {
    const id = newTelegramId();
    const response = await f.app.inject({
      method: 'POST',
      url: '/telegram/webhook',
      headers: { 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
      payload: commandUpdate(id, 'start'),
    });
    expect(response.statusCode).toBe(200);
    expect(await f.platform.users.byTelegramId(id)).toMatchObject({ telegramId: id });
    const log = await f.platform.messages.recent(id);
    expect(log.map((m) => m.direction)).toEqual(['in', 'out']);
    const notAnUpdate = await f.app.inject({
      method: 'POST',
      url: '/telegram/webhook',
      headers: { 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
      payload: { hello: 1 },
    });
    expect(notAnUpdate.statusCode).toBe(400);
  });

  it('POST /api/admin/playground/send returns the replies; it needs an admin and valid input', async () => {
    const id = newTelegramId();
    const ok = await f.app.inject({
      method: 'POST',
      url: '/api/admin/playground/send',
      headers: admin.headers,
      payload: { from: { id, firstName: 'Pia', username: 'pia' }, text: '/start' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({
      replies: [{ method: 'sendMessage', text: expect.any(String), replyKeyboard: [] }],
    });
    expect(await f.platform.users.byTelegramId(id)).toMatchObject({ username: 'pia' });
    const anonymous = await f.app.inject({
      method: 'POST',
      url: '/api/admin/playground/send',
      payload: { from: { id, firstName: 'Pia' }, text: '/start' },
    });
    expect(anonymous.statusCode).toBe(401);
    const both = await f.app.inject({
      method: 'POST',
      url: '/api/admin/playground/send',
      headers: admin.headers,
      payload: { from: { id, firstName: 'Pia' }, text: 'a', callbackData: 'b' },
    });
    expect(both.statusCode).toBe(400);
  });

  it('GET /api/admin/playground/mini-app-url signs initData that the Mini App API accepts (admins only)', async () => {
    const id = newTelegramId();
    const response = await f.app.inject({
      method: 'GET',
      url: `/api/admin/playground/mini-app-url?telegramId=${id}&firstName=Zoe`,
      headers: { cookie: admin.cookie },
    });
    const { url } = response.json() as { url: string };
    expect(url).toMatch(/^\/app\/#tgWebAppData=/);
    const initData = decodeURIComponent(url.slice('/app/#tgWebAppData='.length));
    const me = await f.app.inject({
      method: 'GET',
      url: '/api/app/me',
      headers: { authorization: `tma ${initData}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json().user).toMatchObject({ telegramId: id, firstName: 'Zoe' });
    const viewer = await f.signIn('viewer');
    const denied = await f.app.inject({
      method: 'GET',
      url: `/api/admin/playground/mini-app-url?telegramId=${id}&firstName=Zoe`,
      headers: { cookie: viewer.cookie },
    });
    expect(denied.statusCode).toBe(403);
    expect((await f.platform.audit.list(1, 0)).items[0]).toMatchObject({
      adminEmail: viewer.email,
      action: 'playground.mini-app-url',
      outcome: 'denied',
    });
    const bad = await f.app.inject({
      method: 'GET',
      url: '/api/admin/playground/mini-app-url?telegramId=abc&firstName=Zoe',
      headers: { cookie: admin.cookie },
    });
    expect(bad.statusCode).toBe(400);
  });
});
