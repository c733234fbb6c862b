/**
 * Tiny measurement kit for the benchmarks: sequential latency (p50/p99) and concurrent
 * throughput, each repeated and reported as the median run, plus the JSON result rows.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One result row, the shape every bench writes to bench/results/NAME.json. */
export interface Row {
  readonly case: string;
  readonly impl: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
}

/** Latency of `op` run one after another: median p50 and p99 over `rounds` rounds of `n` calls. */
export async function latency(
  op: () => Promise<unknown>,
  n = 3000,
  rounds = 3,
): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < Math.min(500, n); i++) await op();
  const p50s: number[] = [];
  const p99s: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const samples = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const started = process.hrtime.bigint();
      await op();
      samples[i] = Number(process.hrtime.bigint() - started) / 1000;
    }
    samples.sort();
    p50s.push(samples[Math.floor(n * 0.5)]!);
    p99s.push(samples[Math.floor(n * 0.99)]!);
  }
  return { p50: median(p50s), p99: median(p99s) };
}

/**
 * Latency of several operations measured interleaved (a, b, c, a, b, c...), so that every
 * one of them sees the same machine: on a shared, noisy host this is what makes ratios fair.
 * Returns p50/p99 per operation in microseconds, median over `rounds`.
 */
export async function compareLatency(
  ops: Record<string, () => Promise<unknown>>,
  n = 3000,
  rounds = 3,
): Promise<Record<string, { p50: number; p99: number }>> {
  const names = Object.keys(ops);
  for (let i = 0; i < 300; i++) for (const name of names) await ops[name]!();
  const p50s: Record<string, number[]> = Object.fromEntries(names.map((k) => [k, []]));
  const p99s: Record<string, number[]> = Object.fromEntries(names.map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    const samples = Object.fromEntries(names.map((k) => [k, new Float64Array(n)]));
    for (let i = 0; i < n; i++) {
      for (const name of names) {
        const started = process.hrtime.bigint();
        await ops[name]!();
        samples[name]![i] = Number(process.hrtime.bigint() - started) / 1000;
      }
    }
    for (const name of names) {
      const sorted = samples[name]!.sort();
      p50s[name]!.push(sorted[Math.floor(n * 0.5)]!);
      p99s[name]!.push(sorted[Math.floor(n * 0.99)]!);
    }
  }
  return Object.fromEntries(
    names.map((k) => [k, { p50: median(p50s[k]!), p99: median(p99s[k]!) }]),
  );
}

/** Operations per second with `concurrency` callers for `ms`, median of `rounds` runs. */
export async function throughput(
  op: () => Promise<unknown>,
  concurrency = 64,
  ms = 1500,
  rounds = 3,
): Promise<number> {
  await runFor(op, concurrency, 300);
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) rates.push(await runFor(op, concurrency, ms));
  return median(rates);
}

/**
 * Throughput of several operations measured in interleaved rounds (a, b, c, a, b, c...), each
 * with `concurrency` callers for `ms`, as {@link compareLatency} does for latency: a slow
 * spell of a shared host then falls on every operation instead of on one. `around` wraps each
 * measured run (to read CPU counters, say). Returns the median ops/s per operation.
 */
export async function compareThroughput(
  ops: Record<string, () => Promise<unknown>>,
  options: {
    concurrency?: number;
    ms?: number;
    rounds?: number;
    around?: (name: string, run: () => Promise<number>) => Promise<number>;
  } = {},
): Promise<Record<string, number>> {
  const { concurrency = 64, ms = 1500, rounds = 3 } = options;
  const around = options.around ?? ((_name, run) => run());
  const names = Object.keys(ops);
  for (const name of names) await runFor(ops[name]!, concurrency, 300);
  const rates: Record<string, number[]> = Object.fromEntries(names.map((k) => [k, []]));
  for (let r = 0; r < rounds; r++)
    for (const name of names)
      rates[name]!.push(await around(name, () => runFor(ops[name]!, concurrency, ms)));
  return Object.fromEntries(names.map((k) => [k, median(rates[k]!)]));
}

/** Operations per second of a synchronous-looking hot loop (memory tiers), median of rounds. */
export async function hotLoop(op: () => Promise<unknown>, ms = 1000, rounds = 3): Promise<number> {
  const rates: number[] = [];
  for (let r = 0; r <= rounds; r++) {
    let count = 0;
    const started = performance.now();
    const until = started + ms;
    while (performance.now() < until) {
      for (let i = 0; i < 1000; i++) await op();
      count += 1000;
    }
    if (r > 0) rates.push(count / ((performance.now() - started) / 1000));
  }
  return median(rates);
}

async function runFor(
  op: () => Promise<unknown>,
  concurrency: number,
  ms: number,
): Promise<number> {
  let count = 0;
  const started = performance.now();
  const until = started + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        await op();
        count++;
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Collects rows, prints a table and writes bench/results/NAME.json. */
export class Report {
  readonly rows: Row[] = [];
  constructor(readonly name: string) {}

  add(row: Row): void {
    this.rows.push({ ...row, value: Math.round(row.value * 100) / 100 });
    console.log(
      `${row.case.padEnd(34)} ${row.impl.padEnd(22)} ${row.metric.padEnd(10)} ${row.value.toFixed(1).padStart(12)} ${row.unit}`,
    );
  }

  /** Print `a / b` for one metric, as a ratio line. */
  ratio(label: string, a: number, b: number): void {
    console.log(`  ratio ${label}: ${(a / b).toFixed(2)}x`);
  }

  async write(): Promise<string> {
    const file = join(
      dirname(fileURLToPath(import.meta.url)),
      '..',
      'results',
      `${this.name}.json`,
    );
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(this.rows, null, 2)}\n`);
    console.log(`wrote ${file}`);
    return file;
  }
}
