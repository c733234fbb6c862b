import type { Socket } from 'socket.io-client';
import {
  adminSyncClient,
  type FleetAdmin,
  type SyncEvent,
} from '../../../test-support/fleet-client.ts';
import type { ServerFleet } from '../../../test-support/server-fleet.ts';

/** How long an edit is waited for on each instance before it counts as not seen. */
export const EDIT_WAIT_MS = 3000;

/** What one instance saw of one admin edit. */
export type EditSighting =
  | { readonly outcome: 'seen'; readonly delayMs: number }
  | { readonly outcome: 'not seen' }
  /** The instance was down (or its socket reconnecting) when the edit was made. */
  | { readonly outcome: 'down' };

/** One edit being watched. */
export interface Watching {
  /** Wait until every instance saw it (or `EDIT_WAIT_MS` passed) and record the sightings. */
  settle(): Promise<void>;
  /** The edit was not acknowledged: forget it. */
  cancel(): void;
}

/**
 * An admin `/sync` socket on every instance (straight to the instance, not through the
 * balancer): an event reaching instance i's socket means instance i received the bus message
 * that also drops its caches. Edits are watched one at a time.
 */
export class EditWatch {
  /** Per instance: event key (`type:id`) -> receive times. */
  readonly #seen: Map<string, number[]>[];
  readonly #sockets: Socket[] = [];
  /** One row per acknowledged edit: a sighting per instance. */
  readonly sightings: EditSighting[][] = [];
  /** When each of those edits was sent (epoch ms), by the same index. */
  readonly editTimes: number[] = [];

  private constructor(instances: number) {
    this.#seen = Array.from({ length: instances }, () => new Map());
  }

  /** Connect a socket to every instance of `fleet`. */
  static async open(fleet: ServerFleet, admin: FleetAdmin): Promise<EditWatch> {
    const watch = new EditWatch(fleet.instances.length);
    for (const instance of fleet.instances)
      watch.#sockets.push(
        await adminSyncClient(instance.url, admin, (event: SyncEvent, at) => {
          const key = `${event.type}${event.data.id === undefined ? '' : `:${event.data.id}`}`;
          const seen = watch.#seen[instance.index]!;
          seen.set(key, [...(seen.get(key) ?? []), at]);
        }),
      );
    return watch;
  }

  /** Start watching an edit whose event is `key` (`buttons.updated:7`, `settings.updated`). */
  begin(key: string): Watching {
    const startedAt = Date.now();
    const before = this.#seen.map((seen) => seen.get(key)?.length ?? 0);
    const connected = this.#sockets.map((s) => s.connected);
    const arrival = (i: number) => this.#seen[i]!.get(key)?.[before[i]!];
    return {
      settle: async () => {
        const deadline = Date.now() + EDIT_WAIT_MS;
        const pending = () =>
          connected.some((up, i) => up && this.#sockets[i]!.connected && arrival(i) === undefined);
        while (pending() && Date.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 10));
        this.editTimes.push(startedAt);
        this.sightings.push(
          connected.map((up, i): EditSighting => {
            const at = arrival(i);
            if (at !== undefined) return { outcome: 'seen', delayMs: at - startedAt };
            return up && this.#sockets[i]!.connected
              ? { outcome: 'not seen' }
              : { outcome: 'down' };
          }),
        );
      },
      cancel: () => undefined,
    };
  }

  close(): void {
    for (const socket of this.#sockets) socket.close();
  }
}
