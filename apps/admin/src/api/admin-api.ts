import { apiRequest, queryString, setCsrfToken } from './api-client.ts';
import type {
  Admin,
  AuditEntry,
  Button,
  Completion,
  LedgerEntry,
  Page,
  Payout,
  PlaygroundUser,
  Reply,
  Scenario,
  Settings,
  SystemHealth,
  Task,
  User,
} from './types.ts';

/** Fields an admin edits (everything but the server's id and timestamps). */
export type Editable<T> = Omit<T, 'id' | 'updatedAt' | 'createdAt' | 'completions'>;

/** A list answer as a page, whether the server sent a page or a bare array. */
function asPage<T>(answer: Page<T> | T[]): Page<T> {
  return Array.isArray(answer)
    ? { items: answer, total: answer.length, limit: answer.length, offset: 0 }
    : answer;
}

async function list<T>(path: string, params: Record<string, string | number | undefined> = {}) {
  return asPage(await apiRequest<Page<T> | T[]>('GET', `${path}${queryString(params)}`));
}

/** Create / read / update / delete routes of one content resource. */
function crud<T extends { id: number }>(path: string) {
  return {
    list: (params: { limit?: number; offset?: number } = {}) => list<T>(path, params),
    create: (body: Editable<T>) => apiRequest<T>('POST', path, body),
    update: (id: number, body: Partial<Editable<T>>) =>
      apiRequest<T>('PATCH', `${path}/${id}`, body),
    remove: (id: number) => apiRequest<void>('DELETE', `${path}/${id}`),
  };
}

/** A session answer: the admin and the CSRF token to send with mutations. */
interface SessionAnswer {
  readonly admin: Admin;
  readonly csrfToken: string;
}

async function session(answer: Promise<SessionAnswer>): Promise<Admin> {
  const { admin, csrfToken } = await answer;
  setCsrfToken(csrfToken);
  return admin;
}

/** Filters of the users list. */
export interface UserFilter {
  readonly status?: 'active' | 'banned' | '';
  readonly q?: string;
  readonly limit?: number;
  readonly offset?: number;
}

/** Every admin route of `apps/server/docs/api.md`. */
export const adminApi = {
  login: (email: string, password: string) =>
    session(apiRequest<SessionAnswer>('POST', '/api/admin/login', { email, password })),
  me: () => session(apiRequest<SessionAnswer>('GET', '/api/admin/me')),
  logout: async () => {
    await apiRequest<void>('POST', '/api/admin/logout');
    setCsrfToken(null);
  },
  buttons: crud<Button>('/api/admin/buttons'),
  scenarios: crud<Scenario>('/api/admin/scenarios'),
  tasks: crud<Task>('/api/admin/tasks'),
  users: {
    list: (filter: UserFilter) => list<User>('/api/admin/users', { ...filter }),
    get: (id: number) =>
      apiRequest<{ user: User; ledger: LedgerEntry[] }>('GET', `/api/admin/users/${id}`),
    setStatus: (id: number, status: User['status']) =>
      apiRequest<User>('PATCH', `/api/admin/users/${id}`, { status }),
  },
  payouts: {
    list: (params: { status?: string; limit?: number; offset?: number }) =>
      list<Payout>('/api/admin/payouts', params),
    approve: (id: number) => apiRequest<Payout>('POST', `/api/admin/payouts/${id}/approve`),
    decline: (id: number, reason?: string) =>
      apiRequest<Payout>('POST', `/api/admin/payouts/${id}/decline`, reason ? { reason } : {}),
  },
  completions: {
    list: (params: { status?: string; limit?: number; offset?: number }) =>
      list<Completion>('/api/admin/completions', params),
    approve: (id: number) => apiRequest<unknown>('POST', `/api/admin/completions/${id}/approve`),
    reject: (id: number) => apiRequest<unknown>('POST', `/api/admin/completions/${id}/reject`),
  },
  settings: {
    get: () => apiRequest<Settings>('GET', '/api/admin/settings'),
    put: (settings: Settings) => apiRequest<Settings>('PUT', '/api/admin/settings', settings),
  },
  audit: (params: { limit?: number; offset?: number }) =>
    list<AuditEntry>('/api/admin/audit', params),
  system: () => apiRequest<SystemHealth>('GET', '/api/admin/system'),
  playground: {
    send: (body: { from: PlaygroundUser; text?: string; callbackData?: string }) =>
      apiRequest<{ replies: Reply[] }>('POST', '/api/admin/playground/send', body),
    miniAppUrl: (user: PlaygroundUser) =>
      apiRequest<{ url: string }>(
        'GET',
        `/api/admin/playground/mini-app-url${queryString({ telegramId: user.id, firstName: user.firstName })}`,
      ),
  },
};
