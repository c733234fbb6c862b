/** A role of an admin account. */
export type AdminRole = 'admin' | 'viewer';

/** Who makes an admin change: recorded in the audit log. */
export interface Actor {
  readonly adminId: string;
  readonly email: string;
  readonly role: AdminRole;
  /** The client's address. */
  readonly ip: string;
}
