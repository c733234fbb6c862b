import type { Server as HttpServer } from 'node:http';
import type { RedisClient } from '@hybridstate/core';
import { isHybridStateError, PublishRoute } from '@hybridstate/core';
import { createAdapter } from '@socket.io/redis-adapter';
import type { Cluster, Redis, RedisOptions } from 'ioredis';
import { Server, type Socket } from 'socket.io';
import { SyncError } from '../errors.ts';
import type { SyncEvent } from '../events/sync-event.ts';
import type { SyncAuthenticator, SyncHandshake } from './authenticator.ts';
import { eventRooms, userRoom } from './event-rooms.ts';
import { SocketSession } from './socket-session.ts';
import {
  type ResolvedSyncGatewayOptions,
  resolveSyncGatewayOptions,
  type SyncGatewayOptions,
} from './sync-gateway-options.ts';
import type { SyncPrincipal } from './sync-principal.ts';

/** A running /sync gateway. */
export interface SyncGateway {
  /** The socket.io server (for metrics, or extra namespaces). */
  readonly io: Server;
  /** Close every socket of a user on every instance (e.g. when their session is revoked). */
  disconnectUser(userId: string | number): void;
  /** Stop serving /sync and close its sockets (the HTTP server stays up). */
  close(): Promise<void>;
}

/**
 * Serve seed 002's `/sync` socket.io endpoint on an existing HTTP server (Fastify's
 * `app.server`, `http.createServer()`...). Protocol:
 * - handshake `auth`: `{ token }`, `{ session }` or `{ initData }`, checked by `authenticate`;
 *   a refusal is a `connect_error` whose `data.code` is `HS_SYNC_UNAUTHENTICATED`;
 * - server → client: `connected {socketId, principal, heartbeat, serverTime}` once per
 *   connection (refetch then), `sync:event {type, data, id, ts}`, `sync:error {code, message}`;
 * - client → server: `subscribe {events}` and `unsubscribe {events}` (names, `domain.*`, `*`),
 *   answered through the acknowledgement callback when one is given.
 *
 * Every instance's gateway receives every event through the service's bus and emits it to its
 * own sockets, so events published by processes without a gateway (a bot) reach browsers too.
 *
 * @example
 * ```ts
 * const gateway = attachSyncGateway(app.server, {
 *   service: sync,
 *   redis,
 *   authenticate: anyOf(adminTokenAuthenticator([adminToken]), miniAppAuthenticator({ botToken })),
 * });
 * ```
 */
export function attachSyncGateway(server: HttpServer, options: SyncGatewayOptions): SyncGateway {
  const resolved = resolveSyncGatewayOptions(options);
  const io = new Server(server, {
    path: resolved.path,
    pingInterval: resolved.pingIntervalMs,
    pingTimeout: resolved.pingTimeoutMs,
    maxHttpBufferSize: resolved.maxFrameBytes,
    serveClient: false,
    ...(resolved.cors === undefined ? {} : { cors: resolved.cors }),
  });
  const adapterClients = resolved.redis && useRedisAdapter(io, resolved.redis, resolved);
  io.use((socket, next) => {
    authenticateSocket(socket, resolved).then(
      () => next(),
      (error: Error) => next(error),
    );
  });
  io.on('connection', (socket) => {
    const principal = socket.data.principal as SyncPrincipal;
    new SocketSession(socket, principal, resolved.service.catalog, resolved).start();
  });
  const stop = resolved.service.on('*', (event: SyncEvent) => {
    io.local.to(eventRooms(resolved.service.catalog, event)).emit('sync:event', event);
  });
  return {
    io,
    disconnectUser: (userId) => io.in(userRoom(userId)).disconnectSockets(true),
    async close() {
      stop();
      // io.close() would close the HTTP server too: that belongs to the application.
      io.disconnectSockets(true);
      io.engine.close();
      for (const client of adapterClients ?? []) client.disconnect();
    },
  };
}

async function authenticateSocket(socket: Socket, options: ResolvedSyncGatewayOptions) {
  const handshake: SyncHandshake = {
    auth: (socket.handshake.auth ?? {}) as Record<string, unknown>,
    headers: socket.handshake.headers,
    address: socket.handshake.address,
  };
  try {
    socket.data.principal = await withTimeout(
      options.authenticate,
      handshake,
      options.authTimeoutMs,
    );
  } catch (error) {
    const code = isHybridStateError(error) ? error.code : 'HS_SYNC_UNAUTHENTICATED';
    if (!isHybridStateError(error, 'HS_SYNC_UNAUTHENTICATED'))
      options.logger.warn({ err: error }, 'sync gateway: authentication failed unexpectedly');
    const refusal = new Error(
      isHybridStateError(error) ? error.message : 'Authentication is unavailable; retry later.',
    ) as Error & { data?: unknown };
    refusal.data = { code };
    throw refusal;
  }
}

async function withTimeout(
  authenticate: SyncAuthenticator,
  handshake: SyncHandshake,
  timeoutMs: number,
): Promise<SyncPrincipal> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new SyncError('HS_SYNC_UNAUTHENTICATED', 'Authentication timed out; retry.')),
      timeoutMs,
    );
  });
  try {
    const principal = await Promise.race([authenticate(handshake), timeout]);
    if (principal === null)
      throw new SyncError('HS_SYNC_UNAUTHENTICATED', 'No credential was accepted.');
    return principal;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Install `@socket.io/redis-adapter` on two duplicates of `redis`. The adapter does not catch
 * failed PUBLISHes (an unhandled rejection while Redis is down), so our publisher swallows and
 * logs them; the subscriber waits for Redis instead of failing its first PSUBSCRIBE.
 */
function useRedisAdapter(
  io: Server,
  redis: RedisClient,
  options: ResolvedSyncGatewayOptions,
): RedisClient[] {
  const pub = duplicate(redis, { lazyConnect: false });
  const sub = duplicate(redis, {
    lazyConnect: false,
    enableOfflineQueue: true,
    maxRetriesPerRequest: null,
    commandTimeout: undefined,
  });
  for (const client of [pub, sub]) client.on('error', () => undefined);
  // On a Redis Cluster, one node for every PUBLISH keeps emits in order across instances.
  const route = new PublishRoute(pub);
  Object.assign(pub, {
    publish: (channel: string, message: string | Buffer) =>
      route.publish(channel, message).catch((error: unknown) => {
        options.logger.warn(
          { err: error },
          'sync gateway: the socket.io adapter could not publish',
        );
        return 0;
      }),
  });
  io.adapter(createAdapter(pub, sub, { key: options.adapterKey }));
  return [pub, sub];
}

/**
 * A new connection like `redis` with `overrides`; on a Redis Cluster a new Cluster client with
 * the overrides on every node (the socket.io adapter supports ioredis Clusters).
 */
function duplicate(redis: RedisClient, overrides: RedisOptions): RedisClient {
  if (!redis.isCluster) return (redis as Redis).duplicate(overrides);
  const cluster = redis as Cluster;
  const { lazyConnect, enableOfflineQueue, ...node } = overrides;
  return cluster.duplicate(undefined, {
    ...(lazyConnect === undefined ? {} : { lazyConnect }),
    ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
    redisOptions: { ...cluster.options.redisOptions, ...node },
  });
}
