import type { Logger } from '@hybridstate/core';
import type { PlatformDb } from '../platform/platform-db.ts';

/** One bot message, incoming or outgoing. */
export interface LoggedMessage {
  readonly telegramId: number | null;
  readonly chatId: number | null;
  readonly direction: 'in' | 'out';
  readonly text: string | null;
  /** The rest worth keeping (callback data, keyboards). */
  readonly payload?: unknown;
}

/**
 * The conversation log (seed 001's bot `messages`, seed 003's "save every message"): every
 * incoming and outgoing message in PostgreSQL. A failed write is logged, never thrown: the
 * conversation matters more than its record.
 */
export class MessageLog {
  readonly #db: PlatformDb;
  readonly #logger: Logger;

  constructor(db: PlatformDb, logger: Logger) {
    this.#db = db;
    this.#logger = logger;
  }

  /** Store one message. */
  async record(message: LoggedMessage): Promise<void> {
    try {
      await this.#db.sql.query(
        `INSERT INTO ${this.#db.schema}.messages (telegram_id, chat_id, direction, text, payload) VALUES ($1, $2, $3, $4, $5::jsonb)`,
        [
          message.telegramId,
          message.chatId,
          message.direction,
          message.text?.slice(0, 8192) ?? null,
          message.payload === undefined ? null : JSON.stringify(message.payload),
        ],
        'platform_message_insert',
      );
    } catch (error) {
      this.#logger.warn({ err: error }, 'could not store a bot message in the conversation log');
    }
  }

  /** The latest messages of a chat, oldest first. */
  async recent(chatId: number, limit = 50): Promise<LoggedMessage[]> {
    const rows = await this.#db.sql.query<Record<string, unknown>>(
      `SELECT * FROM ${this.#db.schema}.messages WHERE chat_id = $1 ORDER BY id DESC LIMIT $2`,
      [chatId, limit],
    );
    return rows.reverse().map((row) => ({
      telegramId: row.telegram_id === null ? null : Number(row.telegram_id),
      chatId: row.chat_id === null ? null : Number(row.chat_id),
      direction: row.direction as 'in' | 'out',
      text: (row.text as string | null) ?? null,
    }));
  }
}
