import { describe, expect, it } from 'vitest';
import { signInitData, verifyInitData } from './init-data.ts';
import { assertWebhookSecret, webhookSecretChecker } from './webhook-secret.ts';

// A fixed vector, computed with openssl, independently of this code:
//   secret = HMAC-SHA256(key "WebAppData", TOKEN); hash = HMAC-SHA256(key secret, data-check-string)
const TOKEN = '1234567890:AAHfixedtesttokenforvectors_xyz';
const USER =
  '{"id":279058397,"first_name":"Vladislav","last_name":"Kibenko","username":"vdkfrost","language_code":"ru","is_premium":true}';
const HASH = '369da9fd8bf4ac8785af546ffd397b260bac9e3de19312372cc25164ba9e9936';
const AUTH_DATE = 1795800000;
const RAW = `query_id=AAHdF6IQAAAAAN0XohDhrOrc&user=${encodeURIComponent(USER)}&auth_date=${AUTH_DATE}&hash=${HASH}`;
const NOW = AUTH_DATE * 1000 + 60_000;

describe('verifyInitData', () => {
  it('accepts the fixed vector and returns the user', () => {
    const data = verifyInitData(RAW, TOKEN, { now: NOW });
    expect(data.user).toMatchObject({ id: 279058397, username: 'vdkfrost', is_premium: true });
    expect(data.authDate).toEqual(new Date(AUTH_DATE * 1000));
    expect(data.queryId).toBe('AAHdF6IQAAAAAN0XohDhrOrc');
  });

  it('does not depend on field order in the query string', () => {
    const reordered = `auth_date=${AUTH_DATE}&hash=${HASH}&user=${encodeURIComponent(USER)}&query_id=AAHdF6IQAAAAAN0XohDhrOrc`;
    expect(verifyInitData(reordered, TOKEN, { now: NOW }).user?.id).toBe(279058397);
  });

  it.each([
    ['another bot token', RAW, '1234567890:AAHanotherbottoken', NOW, /hash does not match/],
    ['a changed user', RAW.replace('279058397', '279058398'), TOKEN, NOW, /hash does not match/],
    [
      'a changed auth_date',
      RAW.replace(`auth_date=${AUTH_DATE}`, `auth_date=${AUTH_DATE + 1}`),
      TOKEN,
      NOW,
      /hash does not match/,
    ],
    ['no hash', RAW.replace(/&hash=.*/, ''), TOKEN, NOW, /no hash/],
    ['a short hash', RAW.replace(HASH, HASH.slice(2)), TOKEN, NOW, /no hash/],
    ['a duplicated field', `${RAW}&user=${encodeURIComponent(USER)}`, TOKEN, NOW, /appears twice/],
    ['an expired auth_date', RAW, TOKEN, AUTH_DATE * 1000 + 86_400_001, /old; the limit/],
    ['an empty string', '', TOKEN, NOW, /empty/],
  ])('refuses %s with HS_INIT_DATA_INVALID', (_, raw, token, now, message) => {
    expect(() => verifyInitData(raw, token, { now })).toThrowError(
      expect.objectContaining({
        code: 'HS_INIT_DATA_INVALID',
        message: expect.stringMatching(message),
      }),
    );
  });

  it('signs test initData that verifies (the playground uses it)', () => {
    const raw = signInitData(
      {
        user: JSON.stringify({ id: 5, first_name: 'Test' }),
        auth_date: String(Math.floor(Date.now() / 1000)),
      },
      TOKEN,
    );
    expect(verifyInitData(raw, TOKEN).user).toMatchObject({ id: 5 });
    expect(
      signInitData(
        { query_id: 'AAHdF6IQAAAAAN0XohDhrOrc', user: USER, auth_date: String(AUTH_DATE) },
        TOKEN,
      ),
    ).toContain(`hash=${HASH}`);
  });
});

describe('webhook secret', () => {
  it('accepts the exact secret only', () => {
    const check = webhookSecretChecker('s3cr3t_token-1');
    expect(check('s3cr3t_token-1')).toBe(true);
    expect(check('s3cr3t_token-2')).toBe(false);
    expect(check('s3cr3t_token-1 ')).toBe(false);
    expect(check(undefined)).toBe(false);
    expect(check(['s3cr3t_token-1'])).toBe(false);
    expect(() => assertWebhookSecret('nope', 's3cr3t_token-1')).toThrowError(
      expect.objectContaining({ code: 'HS_WEBHOOK_SECRET_INVALID' }),
    );
  });

  it('refuses a secret Telegram would refuse', () => {
    expect(() => webhookSecretChecker('has space')).toThrowError(
      expect.objectContaining({ code: 'HS_WEBHOOK_SECRET_INVALID' }),
    );
    expect(() => webhookSecretChecker('x'.repeat(257))).toThrowError(
      expect.objectContaining({ code: 'HS_WEBHOOK_SECRET_INVALID' }),
    );
  });
});
