import { type QueryKey, useMutation, useQueryClient } from '@tanstack/react-query';

/**
 * A mutation that refreshes `invalidates` when it succeeds (the sync event will too; this makes
 * the admin's own change visible even while /sync is reconnecting).
 */
export function useSave<A, R>(fn: (args: A) => Promise<R>, invalidates: readonly QueryKey[]) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await Promise.all(invalidates.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
    },
  });
}
