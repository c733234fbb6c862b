/**
 * The clients of a {@link ServerFleet} as the outside world talks to it: Telegram posting
 * webhook updates, the admin panel (login, CSRF, JSON calls), the Mini App (`tma` initData)
 * and a `/sync` socket. HTTP calls open a new connection each (`agent: false`), so a
 * per-connection load balancer spreads them over the instances.
 */
import { request } from 'node:http';
import { signInitData } from '@hybridstate/telegram';
import { io, type Socket } from 'socket.io-client';
import type { ServerFleet } from './server-fleet.ts';
import { FLEET_ADMIN_PASSWORD, FLEET_BOT_TOKEN } from './server-fleet.ts';

/** An HTTP answer: status and parsed JSON body (`undefined` when empty or not JSON). */
export interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string | string[] | undefined>;
}

/**
 * One HTTP request on a fresh connection. Rejects on a transport failure (connection reset,
 * refused, timeout): what a client sees when the instance serving it dies.
 */
export function http(
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<HttpAnswer> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      {
        method,
        agent: false,
        headers: {
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
        },
        timeout: options.timeoutMs ?? 15_000,
      },
      (res) => {
        let raw = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          raw += chunk;
        });
        res.on('error', reject);
        res.on('end', () => {
          let body: unknown;
          try {
            body = raw === '' ? undefined : JSON.parse(raw);
          } catch {
            body = raw;
          }
          resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}

let updateId = 1;

/** A private text message from `userId` (a command when it starts with `/`). */
export function textUpdate(userId: number, text: string): Record<string, unknown> {
  const id = updateId++;
  return {
    update_id: id,
    message: {
      message_id: id,
      date: Math.floor(Date.now() / 1000),
      chat: { id: userId, type: 'private', first_name: `user${userId}` },
      from: { id: userId, is_bot: false, first_name: `user${userId}` },
      text,
      ...(text.startsWith('/')
        ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }] }
        : {}),
    },
  };
}

/** Post an update as Telegram does (with the webhook secret) to `base` (the balancer or one instance). */
export function postUpdate(
  fleet: ServerFleet,
  update: Record<string, unknown>,
  base = fleet.url,
): Promise<HttpAnswer> {
  return http(base, 'POST', '/telegram/webhook', {
    body: update,
    headers: { 'x-telegram-bot-api-secret-token': fleet.webhookSecret },
  });
}

/** A signed-in admin: cookie and CSRF token. */
export interface FleetAdmin {
  readonly cookie: string;
  readonly headers: Record<string, string>;
}

/** Sign in as the fleet's first admin through `base`. */
export async function adminLogin(fleet: ServerFleet, base = fleet.url): Promise<FleetAdmin> {
  const answer = await http(base, 'POST', '/api/admin/login', {
    body: { email: 'admin@localhost', password: FLEET_ADMIN_PASSWORD },
  });
  if (answer.status !== 200) throw new Error(`admin login: ${answer.status} ${answer.body}`);
  const setCookie = [answer.headers['set-cookie'] ?? []].flat();
  const cookie = setCookie.find((c) => c.startsWith('hs_admin='))!.split(';')[0]!;
  const { csrfToken } = answer.body as { csrfToken: string };
  return { cookie, headers: { cookie, 'x-csrf-token': csrfToken } };
}

/** The `Authorization` header of a Mini App user, signed with the fleet's bot token. */
export function miniAppAuth(telegramId: number): Record<string, string> {
  const initData = signInitData(
    {
      auth_date: String(Math.floor(Date.now() / 1000)),
      user: JSON.stringify({ id: telegramId, first_name: `user${telegramId}` }),
    },
    FLEET_BOT_TOKEN,
  );
  return { authorization: `tma ${initData}` };
}

/** A `/sync` event as the gateway sends it. */
export interface SyncEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
}

/**
 * Connect an admin `/sync` socket to `base` (websocket transport, as the UIs' client does),
 * subscribed to every event; `onEvent` sees each with the local receive time.
 */
export function adminSyncClient(
  base: string,
  admin: FleetAdmin,
  onEvent: (event: SyncEvent, receivedAt: number) => void,
): Promise<Socket> {
  const socket = io(base, {
    path: '/sync',
    transports: ['websocket'],
    extraHeaders: { cookie: admin.cookie },
    reconnectionDelay: 200,
    reconnectionDelayMax: 1000,
  });
  socket.on('sync:event', (event: SyncEvent) => onEvent(event, Date.now()));
  return new Promise((resolve, reject) => {
    // Only the first connection may fail the call; later errors are reconnections in progress.
    const failFirst = (error: Error) => {
      socket.close();
      reject(error);
    };
    socket.once('connect_error', failFirst);
    // Every (re)connect subscribes again: the gateway forgets a socket's subscriptions.
    socket.on('connected', () =>
      socket.emit('subscribe', { events: ['*'] }, () => {
        socket.off('connect_error', failFirst);
        resolve(socket);
      }),
    );
  });
}
