import { adminApi } from '../api/admin-api.ts';
import { useLiveQuery } from './use-live-query.ts';

/** The platform settings, live; shared by every page that shows money. */
export function useSettings() {
  return useLiveQuery({
    queryKey: ['settings'],
    queryFn: adminApi.settings.get,
  });
}

/** The configured currency (`USD` until the settings arrive). */
export function useCurrency(): string {
  return useSettings().data?.currency ?? 'USD';
}
