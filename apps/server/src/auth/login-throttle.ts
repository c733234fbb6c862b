import { PlatformError } from '../platform/platform-errors.ts';
import type { AuditLog } from '../services/audit-log.ts';

/** Options of {@link LoginThrottle}. */
export interface LoginThrottleOptions {
  /** Failed logins allowed per email within the window. @default 10 */
  readonly maxFailuresPerEmail?: number;
  /**
   * Failed logins allowed from one address within the window; higher, since many people may
   * share an address (an office, a proxy without `trustProxy`). @default 50
   */
  readonly maxFailuresPerIp?: number;
  /** @default 15 minutes */
  readonly windowMs?: number;
}

/** Defaults of {@link LoginThrottleOptions}. */
export const LOGIN_THROTTLE_DEFAULTS = {
  maxFailuresPerEmail: 10,
  maxFailuresPerIp: 50,
  windowMs: 15 * 60_000,
} as const;

/**
 * Refuses admin logins for an email or from an address that failed too often lately
 * (`RATE_LIMITED`, 429, with how long to wait), before the password is checked, so guessing
 * is slow even with a correct password in the list. The failures are the audit log's denied
 * logins: shared by every instance, kept across restarts, visible on the audit page.
 *
 * @example
 * ```ts
 * await throttle.check(email, request.ip); // RATE_LIMITED after 10 failures in 15 min
 * ```
 */
export class LoginThrottle {
  readonly #audit: AuditLog;
  readonly #options: Required<LoginThrottleOptions>;

  constructor(audit: AuditLog, options: LoginThrottleOptions = {}) {
    this.#audit = audit;
    this.#options = { ...LOGIN_THROTTLE_DEFAULTS, ...options };
  }

  /** Throws `RATE_LIMITED` while `email` or `ip` has too many recent failures. */
  async check(email: string, ip: string): Promise<void> {
    const { maxFailuresPerEmail, maxFailuresPerIp, windowMs } = this.#options;
    const denied = await this.#audit.recentDeniedLogins(email, ip, windowMs);
    const byEmail = denied.byEmail >= maxFailuresPerEmail;
    if (!byEmail && denied.byIp < maxFailuresPerIp) return;
    const waitMs = byEmail ? denied.emailExpiresInMs : denied.ipExpiresInMs;
    const retryAfterS = Math.max(1, Math.ceil(waitMs / 1000));
    throw new PlatformError(
      'RATE_LIMITED',
      `Too many failed logins ${byEmail ? 'for this account' : 'from this address'} in the last ${windowMs / 60_000} minutes. Try again in ${Math.ceil(retryAfterS / 60)} min, or ask another admin to reset the password.`,
      { retryAfterS },
    );
  }
}
