import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { ApiError } from '../../ui-shared/src/api-error.ts';
import { adminApi } from './api/admin-api.ts';
import { setUnauthenticatedHandler } from './api/api-client.ts';
import type { Admin } from './api/types.ts';
import { ErrorText } from './components/error-text.tsx';
import { PAGES, type PageRoute, Shell } from './components/shell.tsx';
import { LiveSyncProvider } from './live/live-sync-provider.tsx';
import { AuditPage } from './pages/audit/audit-page.tsx';
import { ButtonsPage } from './pages/buttons/buttons-page.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { PayoutsPage } from './pages/payouts/payouts-page.tsx';
import { ReviewsPage } from './pages/reviews/reviews-page.tsx';
import { ScenariosPage } from './pages/scenarios/scenarios-page.tsx';
import { SettingsPage } from './pages/settings-page.tsx';
import { SystemPage } from './pages/system-page.tsx';
import { TasksPage } from './pages/tasks/tasks-page.tsx';
import { UsersPage } from './pages/users/users-page.tsx';
import { PlaygroundPage } from './playground/playground-page.tsx';
import { useHashRoute } from './routing/use-hash-route.ts';

const PAGE_COMPONENTS: Record<PageRoute, () => ReactNode> = {
  buttons: ButtonsPage,
  scenarios: ScenariosPage,
  tasks: TasksPage,
  users: UsersPage,
  payouts: PayoutsPage,
  reviews: ReviewsPage,
  settings: SettingsPage,
  audit: AuditPage,
  system: SystemPage,
  playground: PlaygroundPage,
};

/** A 401: no session yet, or it expired (the login page says enough). */
function isUnauthenticated(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

function isRoute(route: string): route is PageRoute {
  return Object.hasOwn(PAGES, route);
}

/** The signed-in panel: shell, live sync and the page named by the URL hash. */
function Panel(props: { admin: Admin; onLogout: () => void }): ReactNode {
  const hash = useHashRoute('users');
  const route: PageRoute = isRoute(hash) ? hash : 'users';
  const Page = PAGE_COMPONENTS[route];
  return (
    <LiveSyncProvider>
      <Shell admin={props.admin} route={route} onLogout={props.onLogout}>
        <Page />
      </Shell>
    </LiveSyncProvider>
  );
}

/** The admin panel: the login page until a session exists, then the panel. */
export function App(): ReactNode {
  const queryClient = useQueryClient();
  const [admin, setAdmin] = useState<Admin | null>(null);
  const me = useQuery({
    queryKey: ['me'],
    queryFn: adminApi.me,
    retry: false,
    staleTime: Infinity,
  });
  useEffect(() => setUnauthenticatedHandler(() => setAdmin(null)), []);
  useEffect(() => {
    if (me.data) setAdmin(me.data);
  }, [me.data]);
  const logout = async () => {
    await adminApi.logout().catch(() => undefined);
    setAdmin(null);
    queryClient.clear();
  };
  if (me.isPending) return <p className="muted center">Loading…</p>;
  if (admin === null)
    return (
      <>
        {me.error && !isUnauthenticated(me.error) && <ErrorText error={me.error} />}
        <LoginPage onLogin={setAdmin} />
      </>
    );
  return <Panel admin={admin} onLogout={() => void logout()} />;
}
