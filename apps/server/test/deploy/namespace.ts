import { type ChildProcess, spawn } from 'node:child_process';

/**
 * A filesystem as an overlay on this machine's `/` (standing in for the base image): `upper`
 * holds everything the image's steps wrote. One lower only: overlayfs refuses a lower layer
 * inside another, and every layer here lives under /tmp.
 */
export interface Layers {
  readonly upper: string;
  readonly work: string;
}

/** Quote a word for `/bin/sh`. */
export function sh(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * Shell lines that mount `layers` on `target` read-write, with this machine's /dev and /proc,
 * and an empty /work over the repository so a step cannot reach into the checkout by an
 * absolute path.
 */
export function mountScript(target: string, layers: Layers): string {
  const options = `lowerdir=/,upperdir=${layers.upper},workdir=${layers.work}`;
  return [
    `mkdir -p ${sh(target)}`,
    `mount -t overlay overlay -o ${sh(options)} ${sh(target)}`,
    `mount --rbind /dev ${sh(`${target}/dev`)}`,
    `mount --rbind /proc ${sh(`${target}/proc`)}`,
    `if [ -d ${sh(`${target}/work`)} ]; then mount -t tmpfs tmpfs ${sh(`${target}/work`)}; fi`,
  ].join('\n');
}

/** What a finished script printed. */
export interface ScriptResult {
  readonly output: string;
}

/**
 * Run `script` with `/bin/sh -e` in a private mount namespace (and a network namespace of its
 * own with `isolateNetwork`): its mounts vanish with it and nobody else sees them.
 */
export function spawnInNamespace(script: string, isolateNetwork = false): ChildProcess {
  const flags = ['--mount', '--propagation', 'private', ...(isolateNetwork ? ['--net'] : [])];
  return spawn('unshare', [...flags, '/bin/sh', '-ec', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** {@link spawnInNamespace} to the end; rejects with `what` and the output's tail on failure. */
export function runInNamespace(script: string, what: string): Promise<ScriptResult> {
  const child = spawnInNamespace(script);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve({ output });
      else reject(new Error(`${what} failed (exit ${code}):\n${output.slice(-4000)}`));
    });
  });
}
