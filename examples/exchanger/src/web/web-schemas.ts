/** A currency code: 3-10 capital letters (`USD`, `USDT`). */
const CURRENCY = { type: 'string', pattern: '^[A-Z]{3,10}$' } as const;

/** A positive decimal with up to 10 integer and 8 fractional digits (the columns' precision). */
const AMOUNT = { type: 'string', pattern: '^(?!0+(\\.0+)?$)\\d{1,10}(\\.\\d{1,8})?$' } as const;

/** Payment methods the web app accepts. */
export const PAYMENT_METHODS = ['card', 'bank_transfer', 'crypto'] as const;

/** `GET /rates/:from/:to`. */
export const RATE_PARAMS = {
  type: 'object',
  properties: { from: CURRENCY, to: CURRENCY },
} as const;

/** `POST /orders`. */
export const ORDER_BODY = {
  type: 'object',
  required: ['from', 'to', 'amount'],
  additionalProperties: false,
  properties: { from: CURRENCY, to: CURRENCY, amount: AMOUNT },
} as const;

/** `POST /orders/:id/payments`. */
export const PAYMENT_SCHEMA = {
  params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } } },
  body: {
    type: 'object',
    required: ['method'],
    additionalProperties: false,
    properties: { method: { type: 'string', enum: PAYMENT_METHODS } },
  },
} as const;
