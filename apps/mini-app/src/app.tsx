import type { ReactNode } from 'react';
import { ApiError } from '../../ui-shared/src/api-error.ts';
import { BalanceCard } from './components/balance-card.tsx';
import { ErrorText } from './components/error-text.tsx';
import { PayoutForm } from './components/payout-form.tsx';
import { PayoutsSection } from './components/payouts-section.tsx';
import { TasksSection } from './components/tasks-section.tsx';
import { useMe } from './live/app-queries.ts';

/**
 * Shown when the server refuses the user (forged or expired initData, banned), with its
 * message; stays live, so an unban brings the app back without reopening it.
 */
function Refused(props: { error: ApiError }): ReactNode {
  return (
    <main className="app" data-testid="refused">
      <h1>Cannot open</h1>
      <p className="error" role="alert">
        {props.error.message}
      </p>
      {props.error.code !== 'BANNED' && (
        <p className="muted">Close the Mini App and open it again from the bot.</p>
      )}
    </main>
  );
}

/** The Mini App: balance, tasks, payout request and payout history, all live. */
export function App(): ReactNode {
  const me = useMe();
  if (me.error instanceof ApiError && (me.error.status === 401 || me.error.status === 403))
    return <Refused error={me.error} />;
  if (me.data === undefined)
    return (
      <main className="app">
        {me.error ? <ErrorText error={me.error} /> : <p className="muted">Loading…</p>}
      </main>
    );
  const { currency } = me.data.settings;
  return (
    <main className="app">
      <BalanceCard me={me.data} />
      <TasksSection currency={currency} />
      <PayoutForm me={me.data} />
      <PayoutsSection currency={currency} />
    </main>
  );
}
