import { SyncClient } from '@hybridstate/sync-client';
import { SyncProvider } from '@hybridstate/sync-client/react';
import { type ReactNode, useEffect, useState } from 'react';

/**
 * Opens /sync for the signed-in admin (the browser sends the httpOnly session cookie with the
 * handshake) and closes it on sign-out. Created in an effect so StrictMode's double mount
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
  return <SyncProvider client={client}>{props.children}</SyncProvider>;
}
