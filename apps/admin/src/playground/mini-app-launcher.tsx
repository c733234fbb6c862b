import { useMutation } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { adminApi } from '../api/admin-api.ts';
import type { PlaygroundUser } from '../api/types.ts';
import { ErrorText } from '../components/error-text.tsx';

/**
 * Gets a Mini App URL with test-signed initData for `user` and opens it in a new tab; the link
 * stays on the page to open it again.
 */
export function useMiniAppLauncher(user: PlaygroundUser) {
  return useMutation({
    mutationFn: () => adminApi.playground.miniAppUrl(user),
    onSuccess: ({ url }) => {
      window.open(url, '_blank');
    },
  });
}

/** The "Open Mini App as this user" button and the link it produced. */
export function MiniAppLauncher(props: {
  launcher: ReturnType<typeof useMiniAppLauncher>;
}): ReactNode {
  const { launcher } = props;
  return (
    <div className="actions">
      <button
        type="button"
        onClick={() => launcher.mutate()}
        disabled={launcher.isPending}
        data-testid="open-mini-app"
      >
        Open Mini App as this user
      </button>
      {launcher.data && (
        <a href={launcher.data.url} target="_blank" rel="noreferrer" data-testid="mini-app-link">
          Mini App link
        </a>
      )}
      <ErrorText error={launcher.error} />
    </div>
  );
}
