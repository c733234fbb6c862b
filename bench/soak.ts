/**
 * `npm run soak [-- --duration 5m]`: mixed load over 3 server instances on a local Redis
 * Cluster while Redis masters and instances are killed, then the invariants. Writes
 * bench/results/soak.json (rows plus details) and prints a summary.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  clientDisruption,
  errorsByKind,
  lateSightings,
  soakRows,
  soakSummary,
  visibility,
} from './lib/soak/soak-report.ts';
import { runSoak } from './lib/soak/soak-run.ts';

/** `5m`, `90s`, `300000` (ms). */
function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (match === null) throw new Error(`--duration ${text}: use 5m, 90s or milliseconds`);
  const unit = { ms: 1, s: 1000, m: 60_000 }[match[2] ?? 'ms']!;
  return Math.round(Number(match[1]) * unit);
}

const flag = process.argv.indexOf('--duration');
const durationMs = flag === -1 ? 300_000 : parseDuration(process.argv[flag + 1] ?? '');
const started = new Date();
const log = (line: string) =>
  console.log(`[${((Date.now() - started.getTime()) / 1000).toFixed(1)} s] ${line}`);
const result = await runSoak({ durationMs, log });
const summary = soakSummary(result);
console.log(`\n${summary}`);
const file = join(dirname(fileURLToPath(import.meta.url)), 'results', 'soak.json');
await mkdir(dirname(file), { recursive: true });
await writeFile(
  file,
  `${JSON.stringify(
    {
      date: started.toISOString(),
      rows: soakRows(result),
      details: {
        errors: Object.fromEntries(errorsByKind(result)),
        faults: clientDisruption(result).map(({ event, errors, ms }) => ({
          ...event,
          clientErrors: errors,
          clientDisruptionMs: ms,
        })),
        invariants: result.invariants,
        visibility: visibility(result.watch.sightings),
        lateSightings: lateSightings(result),
      },
    },
    null,
    2,
  )}\n`,
);
console.log(`wrote ${file}`);
process.exit(0);
