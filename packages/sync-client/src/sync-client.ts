import { io, type Socket } from 'socket.io-client';
import type { ConnectedFrame, FrameAck, SyncErrorFrame, SyncEvent } from './frames.ts';
import { Listeners } from './listeners.ts';
import { Subscriptions, type SyncEventHandler } from './subscriptions.ts';
import { SYNC_CLIENT_DEFAULTS, type SyncClientOptions } from './sync-client-options.ts';

/** The browser's own error reporting (the console, window.onerror); nothing where it is missing. */
function reportError(error: unknown): void {
  (globalThis as { reportError?: (error: unknown) => void }).reportError?.(error);
}

/** Patterns sent per frame (the server's default cap per frame and per socket is 100). */
const PATTERNS_PER_FRAME = 100;

/**
 * The browser's end of /sync: connects, reconnects with backoff and jitter, subscribes again
 * after every reconnect, and tells the app to refetch on every `connected` (events are at most
 * once: whatever happened while the socket was away is only seen by refetching).
 *
 * @example
 * ```ts
 * const sync = new SyncClient({ url: '', auth: () => ({ initData: Telegram.WebApp.initData }) });
 * sync.onConnected(() => queryClient.invalidateQueries());
 * sync.subscribe(['users.balance_updated'], () => refetchBalance());
 * ```
 */
export class SyncClient {
  readonly socket: Socket;
  readonly #subscriptions = new Subscriptions();
  readonly #connected = new Listeners<[ConnectedFrame]>();
  readonly #status = new Listeners<[boolean]>();
  readonly #errors = new Listeners<[SyncErrorFrame]>();
  readonly #onError: (error: unknown) => void;
  #ready = false;
  /** Backoff of reconnects after the server closed the socket (socket.io does not retry those). */
  #closedByServer = 0;
  #retry: ReturnType<typeof setTimeout> | undefined;
  readonly #retryDelayMs: readonly [number, number];

  constructor(options: SyncClientOptions) {
    const auth = options.auth;
    this.#onError = options.onError ?? reportError;
    this.#retryDelayMs = [
      options.reconnectDelayMs ?? SYNC_CLIENT_DEFAULTS.reconnectDelayMs,
      options.reconnectDelayMaxMs ?? SYNC_CLIENT_DEFAULTS.reconnectDelayMaxMs,
    ];
    this.socket = io(options.url, {
      path: options.path ?? SYNC_CLIENT_DEFAULTS.path,
      transports: [...(options.transports ?? SYNC_CLIENT_DEFAULTS.transports)],
      reconnectionDelay: options.reconnectDelayMs ?? SYNC_CLIENT_DEFAULTS.reconnectDelayMs,
      reconnectionDelayMax: options.reconnectDelayMaxMs ?? SYNC_CLIENT_DEFAULTS.reconnectDelayMaxMs,
      randomizationFactor: 0.5,
      autoConnect: options.autoConnect ?? SYNC_CLIENT_DEFAULTS.autoConnect,
      auth: (cb) => {
        Promise.resolve(typeof auth === 'function' ? auth() : (auth ?? {})).then(cb, (error) => {
          this.#onError(error);
          cb({});
        });
      },
    });
    this.#wire();
  }

  /** `true` between the server's `connected` frame and the next disconnect. */
  get connected(): boolean {
    return this.#ready;
  }

  /** Open the connection (when `autoConnect` was false, or after {@link disconnect}). */
  connect(): void {
    this.socket.connect();
  }

  /** Close the connection; subscriptions are kept for the next {@link connect}. */
  disconnect(): void {
    clearTimeout(this.#retry);
    this.socket.disconnect();
  }

  /**
   * Call `handler` for events matching `patterns` (names, `domain.*`, `*`); returns the
   * function that unsubscribes it. Refusals (unknown event...) arrive through {@link onError}.
   */
  subscribe(patterns: string | readonly string[], handler: SyncEventHandler): () => void {
    const list = typeof patterns === 'string' ? [patterns] : [...patterns];
    const added = this.#subscriptions.add(list, handler);
    if (this.#ready) this.#send('subscribe', added);
    return () => this.unsubscribe(list, handler);
  }

  /** Remove `handler` (or every handler) from `patterns`. */
  unsubscribe(patterns: string | readonly string[], handler?: SyncEventHandler): void {
    const list = typeof patterns === 'string' ? [patterns] : [...patterns];
    const removed = this.#subscriptions.remove(list, handler);
    if (this.#ready) this.#send('unsubscribe', removed);
  }

  /** Called on every `connected` (the first and each reconnect): refetch what you show. */
  onConnected(listener: (frame: ConnectedFrame) => void): () => void {
    return this.#connected.add(listener);
  }

  /** Called with `true` on `connected` and `false` on disconnect. */
  onStatus(listener: (connected: boolean) => void): () => void {
    return this.#status.add(listener);
  }

  /**
   * Called with refused frames (`sync:error`, nacked subscribes) and refused handshakes
   * (`HS_SYNC_UNAUTHENTICATED`: the client then stops retrying; call {@link connect} with a
   * fresh credential).
   */
  onError(listener: (error: SyncErrorFrame) => void): () => void {
    return this.#errors.add(listener);
  }

  /** Disconnect and forget every listener and subscription. */
  close(): void {
    clearTimeout(this.#retry);
    this.socket.disconnect();
    this.socket.removeAllListeners();
    this.#connected.clear();
    this.#status.clear();
    this.#errors.clear();
  }

  #wire(): void {
    const socket = this.socket;
    socket.on('connected', (frame: ConnectedFrame) => {
      this.#ready = true;
      this.#closedByServer = 0;
      this.#send('subscribe', this.#subscriptions.patterns());
      this.#status.emit(this.#onError, true);
      this.#connected.emit(this.#onError, frame);
    });
    socket.on('sync:event', (event: SyncEvent) =>
      this.#subscriptions.dispatch(event, this.#onError),
    );
    socket.on('sync:error', (error: SyncErrorFrame) => this.#errors.emit(this.#onError, error));
    socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
      if (socket.active) return; // a network error: socket.io retries with backoff
      this.#errors.emit(this.#onError, {
        code: error.data?.code ?? 'HS_SYNC_UNAUTHENTICATED',
        message: error.message,
      });
    });
    socket.on('disconnect', (reason: string) => {
      if (reason === 'io server disconnect') this.#reconnectLater();
      if (!this.#ready) return;
      this.#ready = false;
      this.#status.emit(this.#onError, false);
    });
  }

  /**
   * The server closed the socket (rate limit, expired credential, a deploy draining): socket.io
   * leaves such a socket closed, but a live screen must come back, so retry with backoff and a
   * fresh credential; the refetch on `connected` covers what was missed.
   */
  #reconnectLater(): void {
    const [first, max] = this.#retryDelayMs;
    const delay = Math.min(first * 2 ** this.#closedByServer++, max) * (0.5 + Math.random());
    clearTimeout(this.#retry);
    this.#retry = setTimeout(() => this.socket.connect(), delay);
  }

  #send(frame: 'subscribe' | 'unsubscribe', patterns: readonly string[]): void {
    for (let i = 0; i < patterns.length; i += PATTERNS_PER_FRAME) {
      const events = patterns.slice(i, i + PATTERNS_PER_FRAME);
      this.socket.emit(frame, { events }, (ack: FrameAck) => {
        if (!ack.ok) this.#errors.emit(this.#onError, ack.error);
      });
    }
  }
}
