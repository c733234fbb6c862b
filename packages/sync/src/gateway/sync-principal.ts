/**
 * Who is at the other end of a /sync socket, as an authenticator established it:
 * - `admin`: an admin session or token; receives every event it subscribes to;
 * - `user`: a Mini App (or other end-user) session; receives `public` events and `subject`
 *   events about itself only.
 */
export type SyncPrincipal =
  | { readonly kind: 'admin'; readonly id: string; readonly expiresAt?: number | undefined }
  | { readonly kind: 'user'; readonly userId: string; readonly expiresAt?: number | undefined };
