import { SyncClient } from '@hybridstate/sync-client';
import { SyncProvider, useSyncQueryInvalidation } from '@hybridstate/sync-client/react';
import { type ReactNode, useEffect, useState } from 'react';
import { ADMIN_INVALIDATION } from './admin-invalidation.ts';

function Invalidation(props: { children: ReactNode }): ReactNode {
  useSyncQueryInvalidation(ADMIN_INVALIDATION);
  return props.children;
}

/**
 * Opens /sync for the signed-in admin (the browser sends the httpOnly session cookie with the
 * handshake), keeps every query live through {@link ADMIN_INVALIDATION} (affected keys on each
 * event, everything on every `connected`), and closes the socket on sign-out. Created in an effect so StrictMode's double mount
 * never leaves a closed client in use.
 */
export function LiveSyncProvider(props: { children: ReactNode }): ReactNode {
  const [client, setClient] = useState<SyncClient | null>(null);
  useEffect(() => {
    const sync = new SyncClient({ url: '', auth: {} });
    setClient(sync);
    return () => sync.close();
  }, []);
  if (client === null) return null;
  return (
    <SyncProvider client={client}>
      <Invalidation>{props.children}</Invalidation>
    </SyncProvider>
  );
}
