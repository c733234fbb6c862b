import { ApiError } from '../../../ui-shared/src/api-error.ts';
import type { AppTask, Completion, Me, Payout, User } from './types.ts';

/**
 * The Mini App's API, authenticated by Telegram's initData (`Authorization: tma <initData>`).
 *
 * @example
 * ```ts
 * const api = createAppApi(readInitData());
 * const { user } = await api.me();
 * ```
 */
export function createAppApi(initData: string) {
  async function request<T>(
    method: string,
    path: string,
    body?: unknown,
    headers = {},
  ): Promise<T> {
    const response = await fetch(path, {
      method,
      headers: {
        accept: 'application/json',
        authorization: `tma ${initData}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw await ApiError.from(response);
    return (await response.json()) as T;
  }
  return {
    me: () => request<Me>('GET', '/api/app/me'),
    tasks: () => request<{ items: AppTask[] }>('GET', '/api/app/tasks'),
    complete: (taskId: number, answer?: string) =>
      request<Completion>(
        'POST',
        `/api/app/tasks/${taskId}/complete`,
        answer === undefined ? {} : { answer },
      ),
    payouts: () => request<{ items: Payout[] }>('GET', '/api/app/payouts'),
    requestPayout: (
      body: { amountMinor: number; method: string; details: string },
      idempotencyKey: string,
    ) =>
      request<{ payout: Payout; user: User }>('POST', '/api/app/payouts', body, {
        'idempotency-key': idempotencyKey,
      }),
  };
}

/** The Mini App's API client. */
export type AppApi = ReturnType<typeof createAppApi>;
