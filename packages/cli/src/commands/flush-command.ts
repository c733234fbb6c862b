import { loadConfig } from '@hybridstate/core';
import { printJson } from '../cli-io.ts';
import { cliKeyspace } from '../cli-keyspace.ts';
import type { Command } from '../command.ts';
import { openCliStore } from '../connect/open-cli-store.ts';

/** `hybridstate flush`: copy every pending buffered write to PostgreSQL now. */
export const flushCommand: Command = {
  name: 'flush',
  summary: 'force a write-behind flush (Redis journal -> PostgreSQL) and print the counts',
  usage: 'flush [--prefix <p>] [--schema <name>] [--json]',
  help: ['Flushes every shard of the keyspace prefix, whichever app wrote the entries.'],
  options: {},
  positionals: { min: 0, max: 0, names: '' },
  async run(context) {
    const config = loadConfig(context.io.env);
    const { store, close } = await openCliStore({
      config,
      keyspace: cliKeyspace(context.prefix).keyspace,
      schema: context.schema,
    });
    try {
      const before = await store.writeBehindStatus();
      const started = performance.now();
      const flushed = await store.flush();
      const ms = Math.round(performance.now() - started);
      const after = await store.writeBehindStatus();
      const result = {
        flushed,
        ms,
        pendingBefore: before?.pending ?? 0,
        pendingAfter: after?.pending ?? 0,
        deadLetters: after?.deadLetters ?? 0,
      };
      if (context.json) printJson(context.io, result);
      else if (before === undefined)
        context.io.out(
          'nothing to flush: no Redis is configured, so buffered writes go straight to PostgreSQL',
        );
      else
        context.io.out(
          `flushed ${flushed} buffered writes to PostgreSQL in ${ms} ms; ${result.pendingAfter} pending, ${result.deadLetters} dead letters`,
        );
      return 0;
    } finally {
      await close();
    }
  },
};
