import type { HttpAnswer } from '../../../test-support/fleet-client.ts';

/** The kinds of client operations the soak sends. */
export type SoakOperation =
  | 'bot.update'
  | 'miniapp.complete'
  | 'miniapp.payout'
  | 'admin.button'
  | 'admin.settings';

/** One failed attempt (later retried, or given up): what and when. */
export interface SoakError {
  readonly operation: SoakOperation;
  /** `transport: ECONNRESET`, `http 503 UNAVAILABLE`... */
  readonly kind: string;
  readonly at: number;
}

/** How a client retries what a dead instance or a failover dropped. */
export const RETRY = {
  /** Attempts per operation (with the delay, ~20 s: longer than an instance restart). */
  attempts: 80,
  delayMs: 250,
} as const;

/**
 * What the soak's clients sent, what the servers acknowledged and every failed attempt,
 * counted client-side (the invariants are checked against this).
 */
export class SoakTracker {
  readonly sent = new Map<SoakOperation, number>();
  readonly acked = new Map<SoakOperation, number>();
  /** Operations that needed more than one attempt. */
  readonly retried = new Map<SoakOperation, number>();
  /** Operations that failed every attempt. */
  readonly givenUp = new Map<SoakOperation, number>();
  readonly errors: SoakError[] = [];

  /**
   * Run `attempt` until it gets an answer below 500 (a transport error or a 5xx is retried
   * with the same request: same update, same Idempotency-Key). Resolves with the answer and
   * the number of attempts, or `undefined` when every attempt failed.
   */
  async send(
    operation: SoakOperation,
    attempt: () => Promise<HttpAnswer>,
  ): Promise<{ answer: HttpAnswer; attempts: number } | undefined> {
    bump(this.sent, operation);
    for (let attempts = 1; attempts <= RETRY.attempts; attempts++) {
      try {
        const answer = await attempt();
        if (answer.status < 500) {
          if (attempts > 1) bump(this.retried, operation);
          return { answer, attempts };
        }
        this.fail(operation, `http ${answer.status} ${errorCode(answer)}`);
      } catch (error) {
        this.fail(operation, `transport: ${transportKind(error)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY.delayMs));
    }
    bump(this.givenUp, operation);
    return undefined;
  }

  /** Count an acknowledged operation. */
  ack(operation: SoakOperation): void {
    bump(this.acked, operation);
  }

  /** Count an answer the client did not expect (a refused operation: a bug, not chaos). */
  fail(operation: SoakOperation, kind: string): void {
    this.errors.push({ operation, kind, at: Date.now() });
  }
}

function bump<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function errorCode(answer: HttpAnswer): string {
  const body = answer.body as { error?: { code?: string } } | undefined;
  return body?.error?.code ?? '';
}

function transportKind(error: unknown): string {
  const code = (error as { code?: string } | undefined)?.code;
  if (code !== undefined) return code;
  return error instanceof Error ? error.message : String(error);
}
