import type { SqlClient } from '@hybridstate/core';

/** A Telegram user's conversation with the bot. */
export interface Conversation {
  readonly id: string;
  readonly telegramUserId: number;
  /** The identity user linked through `user_profiles.telegram_user_id`, if any. */
  readonly userId: string | null;
  readonly state: string;
}

/** A notification waiting for its user. */
export interface Notification {
  readonly id: string;
  readonly message: string;
  readonly type: string;
}

/**
 * Seed 001's bot tables (`conversations`, `messages`, `notifications`, `bot_state`,
 * `user_commands`), reached with the telegram role, plus the link
 * `identity.user_profiles.telegram_user_id`. Schemas are quoted.
 */
export class BotRepository {
  readonly #sql: SqlClient;
  readonly #bot: string;
  readonly #identity: string;

  constructor(sql: SqlClient, schemas: { readonly bot: string; readonly identity: string }) {
    this.#sql = sql;
    this.#bot = schemas.bot;
    this.#identity = schemas.identity;
  }

  /** The user's conversation, created on first contact and linked to identity when a profile names them. */
  async conversation(telegramUserId: number): Promise<Conversation> {
    const [row] = await this.#sql.query<Conversation>(
      `INSERT INTO ${this.#bot}.conversations (telegram_user_id, user_id)
       VALUES ($1, (SELECT user_id FROM ${this.#identity}.user_profiles WHERE telegram_user_id = $1))
       ON CONFLICT (telegram_user_id) DO UPDATE SET
         user_id = COALESCE(${this.#bot}.conversations.user_id, EXCLUDED.user_id), updated_at = now()
       RETURNING id, telegram_user_id::float8 AS "telegramUserId", user_id AS "userId", state`,
      [telegramUserId],
    );
    return row!;
  }

  /** Save one message of a conversation. */
  async saveMessage(
    conversationId: string,
    messageId: number,
    type: string,
    content: unknown,
  ): Promise<void> {
    await this.#sql.query(
      `INSERT INTO ${this.#bot}.messages (conversation_id, message_id, message_type, content) VALUES ($1, $2, $3, $4::jsonb)`,
      [conversationId, messageId, type, JSON.stringify(content)],
    );
  }

  /** Record a command a user ran. */
  async recordCommand(telegramUserId: number, command: string, parameters: string): Promise<void> {
    await this.#sql.query(
      `INSERT INTO ${this.#bot}.user_commands (telegram_user_id, command, parameters) VALUES ($1, $2, $3::jsonb)`,
      [telegramUserId, command, JSON.stringify({ text: parameters })],
    );
  }

  /** A `bot_state` value. */
  async state<T>(key: string): Promise<T | undefined> {
    const [row] = await this.#sql.query<{ value: T }>(
      `SELECT value FROM ${this.#bot}.bot_state WHERE key = $1`,
      [key],
    );
    return row?.value;
  }

  /** Set a `bot_state` value. */
  async setState(key: string, value: unknown): Promise<void> {
    await this.#sql.query(
      `INSERT INTO ${this.#bot}.bot_state (key, value) VALUES ($1, $2::jsonb)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [key, JSON.stringify(value)],
    );
  }

  /** Queue a notification for an identity user (delivered by `/notifications`). */
  async notify(userId: string, message: string, type: string): Promise<void> {
    await this.#sql.query(
      `INSERT INTO ${this.#bot}.notifications (user_id, message, notification_type) VALUES ($1, $2, $3)`,
      [userId, message, type],
    );
  }

  /** Take the user's unsent notifications, marking them sent to this Telegram user. */
  takeNotifications(userId: string, telegramUserId: number): Promise<Notification[]> {
    // RETURNING has no order of its own: order the taken rows outside the UPDATE.
    return this.#sql.query<Notification>(
      `WITH taken AS (
         UPDATE ${this.#bot}.notifications SET sent = true, sent_at = now(), telegram_user_id = $2
         WHERE id IN (SELECT id FROM ${this.#bot}.notifications WHERE user_id = $1 AND NOT sent
                      ORDER BY created_at, id LIMIT 20 FOR UPDATE SKIP LOCKED)
         RETURNING id, message, notification_type, created_at)
       SELECT id, message, notification_type AS type FROM taken ORDER BY created_at, id`,
      [userId, telegramUserId],
    );
  }
}
