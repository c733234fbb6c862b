import { createContext, type ReactNode, useContext } from 'react';
import type { AppApi } from './app-api.ts';

const AppApiContext = createContext<AppApi | null>(null);

/** Makes the signed API client available to the components below. */
export function AppApiProvider(props: { api: AppApi; children: ReactNode }): ReactNode {
  return <AppApiContext.Provider value={props.api}>{props.children}</AppApiContext.Provider>;
}

/** The API client of the nearest {@link AppApiProvider}. */
export function useAppApi(): AppApi {
  const api = useContext(AppApiContext);
  if (api === null) throw new Error('useAppApi needs an <AppApiProvider> above this component.');
  return api;
}
