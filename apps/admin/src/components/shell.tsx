import { useSync } from '@hybridstate/sync-client/react';
import type { ReactNode } from 'react';
import type { Admin } from '../api/types.ts';

/** The pages of the panel, in menu order: route → title. */
export const PAGES = {
  buttons: 'Buttons',
  scenarios: 'Scenarios',
  tasks: 'Tasks',
  users: 'Users',
  payouts: 'Payouts',
  reviews: 'Reviews',
  settings: 'Settings',
  audit: 'Audit log',
  system: 'System',
  playground: 'Playground',
} as const;

/** A route of {@link PAGES}. */
export type PageRoute = keyof typeof PAGES;

function LiveStatus(): ReactNode {
  const { connected } = useSync();
  return (
    <span className={`live ${connected ? 'on' : 'off'}`} data-testid="live-status">
      {connected ? 'live' : 'offline'}
    </span>
  );
}

/** Navigation, the signed-in admin, the /sync status and the current page. */
export function Shell(props: {
  admin: Admin;
  route: PageRoute;
  onLogout: () => void;
  children: ReactNode;
}): ReactNode {
  return (
    <div className="shell">
      <nav>
        <h1>hybridstate</h1>
        {Object.entries(PAGES).map(([route, title]) => (
          <a
            key={route}
            href={`#/${route}`}
            className={route === props.route ? 'current' : ''}
            data-testid={`nav-${route}`}
          >
            {title}
          </a>
        ))}
        <div className="whoami">
          <LiveStatus />
          <div>{props.admin.email}</div>
          <div className="muted">{props.admin.role}</div>
          <button type="button" onClick={props.onLogout} data-testid="logout">
            Sign out
          </button>
        </div>
      </nav>
      <main>
        {props.admin.role === 'viewer' && (
          <p className="notice" data-testid="viewer-notice">
            You are signed in as a viewer: you can look at everything, and changes are refused.
          </p>
        )}
        {props.children}
      </main>
    </div>
  );
}
