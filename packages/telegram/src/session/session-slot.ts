import { encodeValue, type KeyRef, type LockedChange, type LockedEntries } from '@hybridstate/core';
import { TelegramError } from '../errors.ts';
import type { SessionProperty } from './session-definition.ts';
import { scopeNeeds } from './session-scope.ts';

/**
 * One session property during one update: loads on first access, remembers the stored value's
 * canonical encoding, and at the end says whether (and how) it changed.
 */
export class SessionSlot {
  readonly definition: SessionProperty;
  readonly ref: KeyRef | undefined;
  held: LockedEntries | undefined;
  #loaded = false;
  #existed = false;
  #baseline: string | null = null;
  #value: unknown;

  constructor(definition: SessionProperty, ref: KeyRef | undefined) {
    this.definition = definition;
    this.ref = ref;
  }

  /** True once the handler read or assigned the value. */
  get touched(): boolean {
    return this.#loaded;
  }

  /** The current value, loading it from the lock on first use. */
  get(): unknown {
    this.#load();
    return this.#value;
  }

  /** Replace the value; `null` or `undefined` deletes the session. */
  set(value: unknown): void {
    this.#load();
    this.#value = value;
  }

  /** The change to write, or `undefined` when the value is what was stored (deep comparison). */
  change(): LockedChange | undefined {
    if (!this.#loaded || this.ref === undefined) return undefined;
    if (this.#value === null || this.#value === undefined)
      return this.#existed ? { ref: this.ref, delete: true } : undefined;
    const encoded = encodeValue(this.#value);
    return encoded === this.#baseline ? undefined : { ref: this.ref, value: this.#value, encoded };
  }

  #load(): void {
    if (this.#loaded) return;
    if (this.ref === undefined || this.held === undefined) throw this.#noKey();
    const stored = this.held.get(this.ref);
    this.#existed = stored !== undefined;
    this.#value = stored !== undefined ? stored : this.definition.initial?.();
    // The canonical encoding of what was there (or of the untouched initial value): equal
    // encodings mean nothing changed, whatever the handler did in between.
    this.#baseline =
      this.#value === undefined || this.#value === null
        ? null
        : ((stored !== undefined ? this.held.ownText(this.ref) : undefined) ??
          encodeValue(this.#value));
    this.#loaded = true;
  }

  #noKey(): TelegramError {
    const { property, scope } = this.definition;
    return new TelegramError(
      'HS_SESSION_NO_KEY',
      `ctx.${property} is not available on this update: its scope needs ${scopeNeeds(scope)} and this update has none (a poll answer has no chat, for example). Check for it before use, or give the session another scope.`,
      { property },
    );
  }
}
