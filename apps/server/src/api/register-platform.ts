import fastifyCookie from '@fastify/cookie';
import type { Logger } from '@hybridstate/core';
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../platform/platform.ts';
import { adminAuthRoutes } from './admin-auth-routes.ts';
import { adminRoutes } from './admin-routes.ts';
import { installErrorHandler } from './error-handler.ts';
import { miniAppRoutes } from './mini-app-routes.ts';
import { playgroundRoutes } from './playground-routes.ts';
import { type StaticUi, staticRoutes } from './static-routes.ts';
import type { SystemSources } from './system-status.ts';
import { webhookRoute } from './webhook-route.ts';

/** Options of {@link registerPlatform}. */
export interface RegisterPlatformOptions {
  readonly platform: Platform;
  readonly system: SystemSources;
  readonly logger: Logger;
  /** Serve `POST /telegram/webhook` with this secret (webhook mode). */
  readonly webhookSecret?: string | undefined;
  /** Built UIs to serve when their folders exist. @default none */
  readonly staticUis?: readonly StaticUi[];
  /** Mark the admin cookie `Secure` (behind HTTPS). @default false */
  readonly secureCookie?: boolean;
}

/**
 * Add the platform to a Fastify app: the admin API, the playground, the Mini App API, the
 * webhook (in webhook mode), the built UIs, and the error mapping. Returns the UI prefixes
 * served.
 */
export async function registerPlatform(
  app: FastifyInstance,
  options: RegisterPlatformOptions,
): Promise<{ served: string[] }> {
  const { platform } = options;
  await app.register(fastifyCookie);
  let served: StaticUi[] = [];
  installErrorHandler(app, options.logger, () => served);
  adminAuthRoutes(app, platform, options.secureCookie ?? false);
  adminRoutes(app, platform, options.system);
  playgroundRoutes(app, platform);
  miniAppRoutes(app, platform);
  if (options.webhookSecret !== undefined) webhookRoute(app, platform, options.webhookSecret);
  served = await staticRoutes(app, options.staticUis ?? []);
  return { served: served.map((ui) => ui.prefix) };
}
