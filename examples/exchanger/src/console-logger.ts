import type { Logger } from '@hybridstate/core';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** A small stderr logger for the example (pass pino in a real deployment). */
export function consoleLogger(level = 'info'): Logger {
  const min = Math.max(0, LEVELS.indexOf(level as (typeof LEVELS)[number]));
  const write =
    (name: (typeof LEVELS)[number]) =>
    (bindings: object, message: string): void => {
      if (LEVELS.indexOf(name) < min) return;
      const extra =
        Object.keys(bindings).length === 0 ? '' : ` ${JSON.stringify(bindings, errorText)}`;
      process.stderr.write(`${new Date().toISOString()} ${name} ${message}${extra}\n`);
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

function errorText(_key: string, value: unknown): unknown {
  return value instanceof Error ? `${value.name}: ${value.message}` : value;
}
