import type { GroupType } from './period.ts';

/** The seed's roles (`userRoles.role`). */
export const ROLES = ['admin', 'adminPlus', 'rejected'] as const;

/** `admin`, `adminPlus` or `rejected`. */
export type Role = (typeof ROLES)[number];

/** A user as the seed's handlers see it (`ctx.users.list[userId]`). */
export interface GoblinUser {
  id: number;
  username: string;
  first_name: string;
  last_name: string;
  roles: Role[];
  purchases: {
    balance: number;
    scrollsSpent: number;
    groups: Record<GroupType, string[]>;
    /** Kickstarter ids, as strings (the seed's `kickstarters: string[]`). */
    kickstarters: string[];
    collections: string[];
  };
}

/** A new user with nothing bought, from a Telegram sender. */
export function newUser(from: {
  id: number;
  username?: string | undefined;
  first_name: string;
  last_name?: string | undefined;
}): GoblinUser {
  return {
    id: from.id,
    username: from.username ?? '',
    first_name: from.first_name,
    last_name: from.last_name ?? '',
    roles: [],
    purchases: {
      balance: 0,
      scrollsSpent: 0,
      groups: { regular: [], plus: [] },
      kickstarters: [],
      collections: [],
    },
  };
}

/** True when the user has any of `roles`. */
export function hasRole(user: GoblinUser | undefined, ...roles: Role[]): boolean {
  return user?.roles.some((r) => roles.includes(r)) ?? false;
}
