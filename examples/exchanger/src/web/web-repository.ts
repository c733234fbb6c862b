import type { SqlClient } from '@hybridstate/core';
import { ExchangerError } from '../exchanger-errors.ts';

/** An order as the web app returns it (amounts as decimal strings, as PostgreSQL keeps them). */
export interface Order {
  readonly id: string;
  readonly fromCurrency: string;
  readonly toCurrency: string;
  readonly amount: string;
  readonly exchangeRate: string;
  readonly status: string;
  readonly createdAt: string;
}

/** A payment of an order. */
export interface Payment {
  readonly id: string;
  readonly orderId: string;
  readonly paymentMethod: string;
  readonly amount: string;
  readonly status: string;
}

const ORDER_COLUMNS = `id, from_currency AS "fromCurrency", to_currency AS "toCurrency", amount::text AS amount,
  exchange_rate::text AS "exchangeRate", status, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"`;

/**
 * Seed 001's `WebAdapter`: the web application's own tables (`orders`, `payments`,
 * `exchange_rates`, `analytics_events`), reached with the web role, which cannot see the admin
 * or bot schemas. `schema` is the quoted web schema.
 */
export class WebRepository {
  readonly #sql: SqlClient;
  readonly #schema: string;

  constructor(sql: SqlClient, schema: string) {
    this.#sql = sql;
    this.#schema = schema;
  }

  /** The rate valid now for a pair, newest first; `undefined` when none. */
  async currentRate(from: string, to: string): Promise<string | undefined> {
    const [row] = await this.#sql.query<{ rate: string }>(
      `SELECT rate::text AS rate FROM ${this.#schema}.exchange_rates
       WHERE from_currency = $1 AND to_currency = $2 AND valid_from <= now() AND (valid_until IS NULL OR valid_until >= now())
       ORDER BY valid_from DESC LIMIT 1`,
      [from, to],
    );
    return row?.rate;
  }

  /** Publish a rate from now on. */
  async publishRate(from: string, to: string, rate: string): Promise<void> {
    await this.#sql.query(
      `INSERT INTO ${this.#schema}.exchange_rates (from_currency, to_currency, rate) VALUES ($1, $2, $3)`,
      [from, to, rate],
    );
  }

  /** A user's orders, newest first. */
  ordersOf(userId: string): Promise<Order[]> {
    return this.#sql.query<Order>(
      `SELECT ${ORDER_COLUMNS} FROM ${this.#schema}.orders WHERE user_id = $1 ORDER BY created_at DESC, id LIMIT 100`,
      [userId],
    );
  }

  /** Create a pending order at `rate`. */
  async createOrder(
    userId: string,
    from: string,
    to: string,
    amount: string,
    rate: string,
  ): Promise<Order> {
    const [order] = await this.#sql.query<Order>(
      `INSERT INTO ${this.#schema}.orders (user_id, from_currency, to_currency, amount, exchange_rate)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${ORDER_COLUMNS}`,
      [userId, from, to, amount, rate],
    );
    await this.#event(userId, 'order_created', { orderId: order!.id });
    return order!;
  }

  /**
   * Pay a pending order of the user (the order becomes `paid` in the same transaction).
   * `EXCHANGER_NOT_FOUND` for another user's or an unknown order, `EXCHANGER_CONFLICT` when it
   * is no longer pending.
   */
  async pay(userId: string, orderId: string, method: string): Promise<Payment> {
    return this.#sql.transaction(async (tx) => {
      const [order] = await tx.query<{ status: string; amount: string }>(
        `SELECT status, amount::text AS amount FROM ${this.#schema}.orders WHERE id = $1 AND user_id = $2 FOR UPDATE`,
        [orderId, userId],
      );
      if (order === undefined)
        throw new ExchangerError('EXCHANGER_NOT_FOUND', `No order ${orderId}.`);
      if (order.status !== 'pending')
        throw new ExchangerError(
          'EXCHANGER_CONFLICT',
          `Order ${orderId} is ${order.status}, not pending.`,
        );
      await tx.query(
        `UPDATE ${this.#schema}.orders SET status = 'paid', updated_at = now() WHERE id = $1`,
        [orderId],
      );
      const [payment] = await tx.query<Payment>(
        `INSERT INTO ${this.#schema}.payments (order_id, user_id, payment_method, amount, status)
         VALUES ($1, $2, $3, $4, 'completed')
         RETURNING id, order_id AS "orderId", payment_method AS "paymentMethod", amount::text AS amount, status`,
        [orderId, userId, method, order.amount],
      );
      return payment!;
    });
  }

  async #event(userId: string, type: string, data: Record<string, unknown>): Promise<void> {
    await this.#sql.query(
      `INSERT INTO ${this.#schema}.analytics_events (user_id, event_type, event_data) VALUES ($1, $2, $3::jsonb)`,
      [userId, type, JSON.stringify(data)],
    );
  }
}
