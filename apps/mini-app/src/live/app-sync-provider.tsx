import { SyncClient } from '@hybridstate/sync-client';
import { SyncProvider, useSyncQueryInvalidation } from '@hybridstate/sync-client/react';
import { type ReactNode, useEffect, useState } from 'react';
import { INVALIDATION } from './app-queries.ts';

function Invalidation(props: { children: ReactNode }): ReactNode {
  useSyncQueryInvalidation(INVALIDATION);
  return props.children;
}

/**
 * Opens /sync with the user's initData and keeps the Mini App's queries live: affected queries
 * refetch on each event, and everything refetches on every (re)connection.
 */
export function AppSyncProvider(props: { initData: string; children: ReactNode }): ReactNode {
  const [client, setClient] = useState<SyncClient | null>(null);
  useEffect(() => {
    const sync = new SyncClient({ url: '', auth: () => ({ initData: props.initData }) });
    setClient(sync);
    return () => sync.close();
  }, [props.initData]);
  if (client === null) return null;
  return (
    <SyncProvider client={client}>
      <Invalidation>{props.children}</Invalidation>
    </SyncProvider>
  );
}
