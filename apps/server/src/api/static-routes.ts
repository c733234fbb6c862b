import { mkdirSync } from 'node:fs';
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
 * Serve each UI's folder under its prefix (`/admin/`, `/app/`), with `/admin` redirected to
 * `/admin/`. Files are looked up per request, so a UI built after the start (in the
 * background) is served as soon as its files exist. Returns the UIs.
 */
export async function staticRoutes(
  app: FastifyInstance,
  uis: readonly StaticUi[],
): Promise<StaticUi[]> {
  const served: StaticUi[] = [];
  for (const ui of uis) {
    // An empty folder until the UI is built (@fastify/static warns about a missing root).
    mkdirSync(ui.root, { recursive: true });
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
