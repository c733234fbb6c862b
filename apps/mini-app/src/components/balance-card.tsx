import { useSync } from '@hybridstate/sync-client/react';
import type { ReactNode } from 'react';
import { formatMinor } from '../../../ui-shared/src/money.ts';
import type { Me } from '../api/types.ts';

/** The balance (live), the amount held by pending payouts, and the /sync status. */
export function BalanceCard(props: { me: Me }): ReactNode {
  const { user, settings } = props.me;
  const { connected } = useSync();
  return (
    <section className="card balance">
      <div className="hello">
        Hi, {user.firstName}
        <span className={`live ${connected ? 'on' : 'off'}`} data-testid="live-status">
          {connected ? '● live' : '○ offline'}
        </span>
      </div>
      <div className="amount" data-testid="balance">
        {formatMinor(user.balanceMinor, settings.currency)}
      </div>
      {user.heldMinor > 0 && (
        <div className="muted" data-testid="held">
          {formatMinor(user.heldMinor, settings.currency)} held for payouts
        </div>
      )}
    </section>
  );
}
