import type {} from '@fastify/cookie';
import type { Actor } from '../services/actor.ts';
import type { User } from '../services/users.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in admin (admin routes). */
    actor?: Actor;
    /** The admin session's CSRF token (admin routes). */
    csrfToken?: string;
    /** The Mini App user (Mini App routes). */
    appUser?: User;
  }
}

/** The admin of a request that passed the admin guard. */
export function actorOf(request: { actor?: Actor }): Actor {
  if (request.actor === undefined) throw new Error('admin route without the admin guard');
  return request.actor;
}

/** The Mini App user of a request that passed the initData guard. */
export function appUserOf(request: { appUser?: User }): User {
  if (request.appUser === undefined) throw new Error('Mini App route without the initData guard');
  return request.appUser;
}
