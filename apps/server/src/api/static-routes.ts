import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** A built UI served under a prefix. */
export interface StaticUi {
  /** `/admin/` or `/app/`. */
  readonly prefix: string;
  /** The folder with `index.html` (vite's `dist`). */
  readonly root: string;
}

/**
 * Serve each built UI whose folder exists (`/admin/`, `/app/`), with `/admin` redirected to
 * `/admin/`. Returns the UIs served.
 */
export async function staticRoutes(
  app: FastifyInstance,
  uis: readonly StaticUi[],
): Promise<StaticUi[]> {
  const served: StaticUi[] = [];
  for (const ui of uis) {
    if (!existsSync(`${ui.root}/index.html`)) continue;
    await app.register(fastifyStatic, {
      root: ui.root,
      prefix: ui.prefix,
      decorateReply: served.length === 0,
      index: 'index.html',
    });
    app.get(ui.prefix.replace(/\/$/, ''), (_request, reply) => reply.redirect(ui.prefix));
    served.push(ui);
  }
  return served;
}
