import { AsyncLocalStorage } from 'node:async_hooks';
import type { Transformer } from 'grammy';

/** A Bot API call the bot made while handling a playground update. */
export interface CapturedCall {
  readonly method: string;
  readonly payload: Record<string, unknown>;
}

let messageId = 1_000_000;

/**
 * Captures the bot's outgoing API calls instead of sending them, for updates fed by the
 * playground (marked with an AsyncLocalStorage scope), and for every call when the bot has no
 * real token (`offline`). Other calls go to Telegram. Results are plausible: a sent message
 * comes back as a message, everything else as `true`.
 */
export class PlaygroundCapture {
  readonly #scope = new AsyncLocalStorage<CapturedCall[]>();
  readonly #offline: boolean;

  constructor(offline: boolean) {
    this.#offline = offline;
  }

  /** Run `work`, returning the calls it made through the bot. */
  async capture(work: () => Promise<void>): Promise<CapturedCall[]> {
    const calls: CapturedCall[] = [];
    await this.#scope.run(calls, work);
    return calls;
  }

  /** The transformer to install on the bot's API. */
  readonly transformer: Transformer = async (prev, method, payload, signal) => {
    const calls = this.#scope.getStore();
    if (calls === undefined && !this.#offline) return prev(method, payload, signal);
    const call = { method, payload: { ...(payload as Record<string, unknown>) } };
    calls?.push(call);
    return { ok: true, result: fakeResult(call) } as never;
  };
}

function fakeResult(call: CapturedCall): unknown {
  if (call.method !== 'sendMessage' && call.method !== 'editMessageText') return true;
  const chatId = Number(call.payload.chat_id);
  return {
    message_id: call.method === 'sendMessage' ? messageId++ : Number(call.payload.message_id),
    date: Math.floor(Date.now() / 1000),
    chat: { id: chatId, type: 'private', first_name: 'Playground' },
    text: call.payload.text,
  };
}
