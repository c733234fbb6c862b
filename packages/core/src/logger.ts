/**
 * The logging port: the subset of pino's API the packages use. Pass a pino logger (or a
 * child of one); the default writes nothing.
 */
export interface Logger {
  debug(bindings: object, message: string): void;
  info(bindings: object, message: string): void;
  warn(bindings: object, message: string): void;
  error(bindings: object, message: string): void;
}

const noop = (): void => undefined;

/** A logger that discards everything (the default in packages). */
export const silentLogger: Logger = Object.freeze({
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
});
