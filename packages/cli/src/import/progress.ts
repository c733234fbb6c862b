import cliProgress from 'cli-progress';

/** Below this many records an import is quick and draws no bar. */
export const PROGRESS_MIN_RECORDS = 1000;

/** A progress sink: `tick(n)` as work is done, `stop()` at the end. */
export interface Progress {
  tick(n: number): void;
  stop(): void;
}

/**
 * A cli-progress bar on `stream` when it is a terminal and the job is long; otherwise a
 * sink that draws nothing (pipes, CI logs and `--json` stay clean).
 */
export function createProgress(
  stream: NodeJS.WriteStream | undefined,
  total: number,
  label: string,
): Progress {
  if (stream?.isTTY !== true || total < PROGRESS_MIN_RECORDS)
    return { tick: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { stream, format: `${label} [{bar}] {value}/{total} records | {eta}s left`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { tick: (n) => bar.increment(n), stop: () => bar.stop() };
}
