import { loadConfig, openPostgres, PostgresTier, SCHEMA_VERSION } from '@hybridstate/core';
import { printJson } from '../cli-io.ts';
import type { Command } from '../command.ts';
import { assertReachable } from '../connect/open-cli-store.ts';

/** `hybridstate migrate`: create or upgrade the store's tables (safe to run from many places at once). */
export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'create or upgrade the PostgreSQL tables of the store',
  usage: 'migrate [--schema <name>] [--json]',
  help: ['Runs each migration once, under an advisory lock; running it again changes nothing.'],
  options: {},
  positionals: { min: 0, max: 0, names: '' },
  async run(context) {
    const config = loadConfig(context.io.env);
    await assertReachable(config, context.schema, ['postgres']);
    const sql = await openPostgres(config.postgres, { max: 1 });
    try {
      const applied = await new PostgresTier(sql.sql, { schema: context.schema }).migrate();
      const result = { schema: context.schema, applied, version: SCHEMA_VERSION };
      if (context.json) printJson(context.io, result);
      else
        context.io.out(
          applied.length === 0
            ? `schema "${context.schema}" is up to date (version ${SCHEMA_VERSION})`
            : `schema "${context.schema}": applied migration${applied.length > 1 ? 's' : ''} ${applied.join(', ')}; now at version ${SCHEMA_VERSION}`,
        );
      return 0;
    } finally {
      await sql.close();
    }
  },
};
