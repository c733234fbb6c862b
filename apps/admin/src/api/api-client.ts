import { ApiError } from '../../../ui-shared/src/api-error.ts';

const MUTATIONS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The admin session's CSRF token (from login or `/me`); the cookie itself is httpOnly. */
let csrfToken: string | null = null;
let onUnauthenticated: () => void = () => undefined;

/** Remember the CSRF token sent back by login and `/me`. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any call answers 401 (the session expired or was revoked). */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

/**
 * Call the admin API: JSON in and out, the session cookie always, `x-csrf-token` on
 * mutations. Throws {@link ApiError} with the server's message on any non-2xx answer.
 *
 * @example
 * ```ts
 * const buttons = await apiRequest<Button[]>('GET', '/api/admin/buttons');
 * ```
 */
export async function apiRequest<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (MUTATIONS.has(method) && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) {
    const error = await ApiError.from(response);
    if (response.status === 401 && !path.endsWith('/login')) onUnauthenticated();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** `?a=1&b=2` from the defined, non-empty values of `params`. */
export function queryString(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}
