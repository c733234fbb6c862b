import { isHybridStateError, type Logger } from '@hybridstate/core';
import type { Socket } from 'socket.io';
import { SyncError } from '../errors.ts';
import type { EventCatalog } from '../events/event-catalog.ts';
import { principalRoom, subscriptionRooms } from './event-rooms.ts';
import { RateLimiter } from './rate-limiter.ts';
import { readSubscriptionFrame } from './subscription-frame.ts';
import type { ResolvedSyncGatewayOptions } from './sync-gateway-options.ts';
import type { SyncPrincipal } from './sync-principal.ts';

/** The answer to a frame sent with an acknowledgement callback. */
export type FrameAck =
  | { readonly ok: true; readonly events: readonly string[] }
  | { readonly ok: false; readonly error: { readonly code: string; readonly message: string } };

/** The longest `setTimeout` Node accepts. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * One authenticated socket: its subscriptions (as rooms), its frame budget, its credential's
 * expiry. Refused frames get an error (ack or `sync:error`); too many close the socket.
 */
export class SocketSession {
  readonly #socket: Socket;
  readonly #principal: SyncPrincipal;
  readonly #catalog: EventCatalog;
  readonly #options: ResolvedSyncGatewayOptions;
  readonly #logger: Logger;
  readonly #patterns = new Set<string>();
  readonly #limiter: RateLimiter;
  #violations = 0;
  #expiry: NodeJS.Timeout | undefined;

  constructor(
    socket: Socket,
    principal: SyncPrincipal,
    catalog: EventCatalog,
    options: ResolvedSyncGatewayOptions,
  ) {
    this.#socket = socket;
    this.#principal = principal;
    this.#catalog = catalog;
    this.#options = options;
    this.#logger = options.logger;
    this.#limiter = new RateLimiter(options.frameBurst, options.framesPerSecond);
  }

  /** Join the principal's room, wire the frames, send `connected`. */
  start(): void {
    const socket = this.#socket;
    void socket.join(principalRoom(this.#principal));
    socket.on('subscribe', (frame: unknown, ack?: unknown) =>
      this.#handle(() => this.#subscribe(frame), ack),
    );
    socket.on('unsubscribe', (frame: unknown, ack?: unknown) =>
      this.#handle(() => this.#unsubscribe(frame), ack),
    );
    socket.onAny((name: unknown) => {
      if (name !== 'subscribe' && name !== 'unsubscribe')
        this.#refuse(
          new SyncError(
            'HS_SYNC_BAD_FRAME',
            `Unknown frame "${String(name).slice(0, 100)}": send subscribe or unsubscribe.`,
          ),
          undefined,
        );
    });
    socket.on('disconnect', () => clearTimeout(this.#expiry));
    this.#scheduleExpiry();
    socket.emit('connected', {
      socketId: socket.id,
      principal: this.#publicPrincipal(),
      heartbeat: {
        pingIntervalMs: this.#options.pingIntervalMs,
        pingTimeoutMs: this.#options.pingTimeoutMs,
      },
      serverTime: Date.now(),
    });
  }

  #handle(work: () => string[], ack: unknown): void {
    try {
      if (!this.#limiter.take())
        throw new SyncError('HS_SYNC_RATE_LIMITED', 'Too many frames: slow down.', {
          framesPerSecond: this.#options.framesPerSecond,
        });
      const events = work();
      if (typeof ack === 'function') (ack as (answer: FrameAck) => void)({ ok: true, events });
    } catch (error) {
      this.#refuse(error, ack);
    }
  }

  #subscribe(frame: unknown): string[] {
    const patterns = readSubscriptionFrame(frame, this.#catalog, this.#options.maxSubscriptions);
    const added = patterns.filter((p) => !this.#patterns.has(p));
    if (this.#patterns.size + added.length > this.#options.maxSubscriptions)
      throw new SyncError(
        'HS_SYNC_TOO_MANY_SUBSCRIPTIONS',
        `A socket holds at most ${this.#options.maxSubscriptions} subscriptions; unsubscribe first or use "domain.*".`,
        { held: this.#patterns.size, asked: added.length },
      );
    for (const pattern of added) this.#patterns.add(pattern);
    void this.#socket.join(added.flatMap((p) => subscriptionRooms(this.#principal, p)));
    return [...this.#patterns];
  }

  #unsubscribe(frame: unknown): string[] {
    const patterns = readSubscriptionFrame(frame, this.#catalog, this.#options.maxSubscriptions);
    for (const pattern of patterns) {
      if (!this.#patterns.delete(pattern)) continue;
      for (const room of subscriptionRooms(this.#principal, pattern)) void this.#socket.leave(room);
    }
    return [...this.#patterns];
  }

  #refuse(error: unknown, ack: unknown): void {
    const known = isHybridStateError(error);
    if (!known) this.#logger.error({ err: error }, 'sync gateway: a frame handler failed');
    const answer = {
      code: known ? error.code : 'HS_SYNC_BAD_FRAME',
      message: known ? error.message : 'The frame could not be handled.',
    };
    if (typeof ack === 'function') (ack as (a: FrameAck) => void)({ ok: false, error: answer });
    else this.#socket.emit('sync:error', answer);
    if (++this.#violations >= this.#options.maxViolations) {
      this.#logger.warn(
        { socket: this.#socket.id, violations: this.#violations },
        'sync gateway: closing a socket that keeps sending refused frames',
      );
      this.#socket.disconnect(true);
    }
  }

  #scheduleExpiry(): void {
    const expiresAt = this.#principal.expiresAt;
    if (expiresAt === undefined) return;
    this.#expiry = setTimeout(
      () => {
        this.#socket.emit('sync:error', {
          code: 'HS_SYNC_UNAUTHENTICATED',
          message: 'The credential expired: reconnect with a fresh one.',
        });
        this.#socket.disconnect(true);
      },
      Math.min(MAX_TIMER_MS, Math.max(0, expiresAt - Date.now())),
    );
  }

  #publicPrincipal(): Record<string, string> {
    return this.#principal.kind === 'admin'
      ? { kind: 'admin', id: this.#principal.id }
      : { kind: 'user', userId: this.#principal.userId };
  }
}
