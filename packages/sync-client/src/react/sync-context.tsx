import { createContext, type ReactNode, useContext } from 'react';
import type { SyncClient } from '../sync-client.ts';

const SyncContext = createContext<SyncClient | null>(null);

/**
 * Makes a {@link SyncClient} available to `useSync`, `useSyncRefetch` and
 * `useSyncQueryInvalidation` below it. Create the client once, outside render.
 *
 * @example
 * ```tsx
 * const sync = new SyncClient({ url: '', auth: { token } });
 * root.render(<SyncProvider client={sync}><App /></SyncProvider>);
 * ```
 */
export function SyncProvider(props: { client: SyncClient; children?: ReactNode }): ReactNode {
  return <SyncContext.Provider value={props.client}>{props.children}</SyncContext.Provider>;
}

/** The client of the nearest {@link SyncProvider}; throws outside one. */
export function useSyncClient(): SyncClient {
  const client = useContext(SyncContext);
  if (client === null)
    throw new Error('useSync needs a <SyncProvider client={...}> above this component.');
  return client;
}
