import { createServer, type Server } from 'node:http';

/** A Bot API call the emulator received. */
export interface EmulatedCall {
  readonly method: string;
  readonly token: string;
  readonly payload: Record<string, unknown>;
}

/** A running {@link startBotApiEmulator}. */
export interface BotApiEmulator {
  /** Give this to a bot as `TELEGRAM_API_ROOT` (grammY `client.apiRoot`, Telegraf `telegram.apiRoot`). */
  readonly root: string;
  /** Every call but getUpdates, in arrival order. */
  readonly calls: EmulatedCall[];
  /** Queue updates for the bot's next getUpdates (long polling). */
  push(...updates: object[]): void;
  /** Resolves with the first call of `method` whose payload passes `match`. */
  waitFor(
    method: string,
    match?: (payload: Record<string, unknown>) => boolean,
  ): Promise<EmulatedCall>;
  close(): Promise<void>;
}

/**
 * A stand-in for Telegram's Bot API server on a local port, for tests that run a bot's real
 * entry point (`bot.start()` polling) with `TELEGRAM_API_ROOT` pointing here: it answers
 * `getMe`, hands queued updates to `getUpdates` (an empty answer after 100 ms otherwise),
 * answers `sendMessage` with a message, and `true` to everything else.
 */
export async function startBotApiEmulator(): Promise<BotApiEmulator> {
  const calls: EmulatedCall[] = [];
  const queue: object[] = [];
  const waiters = new Set<() => void>();
  const server: Server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk: Buffer) => {
      raw += chunk.toString();
    });
    request.on('end', () => {
      const [, bot = '', method = ''] = (request.url ?? '').split('/');
      const payload = (raw === '' ? {} : JSON.parse(raw)) as Record<string, unknown>;
      const answer = (result: unknown) => {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ ok: true, result }));
      };
      if (method === 'getUpdates') {
        if (queue.length > 0) return answer(queue.splice(0));
        return void setTimeout(() => answer([]), 100);
      }
      calls.push({ method, token: bot.replace(/^bot/, ''), payload });
      for (const wake of waiters) wake();
      if (method === 'getMe')
        return answer({ id: 1, is_bot: true, first_name: 'Emulated', username: 'emulated_bot' });
      if (method === 'sendMessage')
        return answer({
          message_id: 10_000 + calls.length,
          date: Math.floor(Date.now() / 1000),
          chat: { id: payload.chat_id, type: 'private' },
          text: payload.text,
        });
      return answer(true);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    root: `http://127.0.0.1:${port}`,
    calls,
    push: (...updates) => void queue.push(...updates),
    waitFor(method, match = () => true) {
      return new Promise((resolve) => {
        const check = () => {
          const call = calls.find((c) => c.method === method && match(c.payload));
          if (call === undefined) return;
          waiters.delete(check);
          resolve(call);
        };
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
