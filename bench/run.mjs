#!/usr/bin/env node
// `npm run bench -- NAME`: run bench/NAME.ts; it writes bench/results/NAME.json.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3));
const name = process.argv[2];
if (name === undefined || !existsSync(join(here, `${name}.ts`))) {
  console.error(`usage: npm run bench -- NAME   (NAME is one of: ${available.join(', ')})`);
  process.exit(2);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', join(here, `${name}.ts`), ...process.argv.slice(3)],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
