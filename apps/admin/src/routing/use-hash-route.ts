import { useSyncExternalStore } from 'react';

function subscribe(notify: () => void): () => void {
  window.addEventListener('hashchange', notify);
  return () => window.removeEventListener('hashchange', notify);
}

/** The page named by the URL's hash (`#/users` → `users`), or `fallback`. */
export function useHashRoute(fallback: string): string {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  const route = hash.replace(/^#\/?/, '').split('?')[0] ?? '';
  return route === '' ? fallback : route;
}
