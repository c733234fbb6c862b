import type { ReactNode } from 'react';
import { adminApi } from '../api/admin-api.ts';
import { ErrorText } from '../components/error-text.tsx';
import { useLiveQuery } from '../live/use-live-query.ts';

const POLL_MS = 5000;

/** Each tier's mode and status, write-behind lag, the bus and the /sync gateway. */
export function SystemPage(): ReactNode {
  const system = useLiveQuery({
    queryKey: ['system'],
    queryFn: adminApi.system,
    refetchIntervalMs: POLL_MS,
  });
  const s = system.data;
  return (
    <section>
      <h2>System health</h2>
      <p className="muted">Refreshed every {POLL_MS / 1000} s.</p>
      <ErrorText error={system.error} />
      {s && (
        <div className="grid" data-testid="system-health">
          {Object.entries(s.tiers).map(([name, tier]) => (
            <div key={name} className={`card tier ${tier.status}`}>
              <h3>{name}</h3>
              <p>
                <b>{tier.status}</b> · {tier.mode}
                {typeof tier.latencyMs === 'number' && ` · ${tier.latencyMs} ms`}
              </p>
            </div>
          ))}
          <div className="card">
            <h3>Write-behind</h3>
            <p>
              {s.writeBehind.pending} pending · lag {s.writeBehind.lagMs} ms ·{' '}
              {s.writeBehind.deadLetters} dead letters
            </p>
          </div>
          <div className="card">
            <h3>Bus</h3>
            <p>
              <b>{s.bus.connected ? 'connected' : 'disconnected'}</b> · {s.bus.mode}
            </p>
          </div>
          <div className="card">
            <h3>/sync gateway</h3>
            <p>{s.gateway.clients} clients</p>
          </div>
        </div>
      )}
    </section>
  );
}
