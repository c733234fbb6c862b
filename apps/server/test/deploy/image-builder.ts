import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, posix } from 'node:path';
import { promisify } from 'node:util';
import type { CopyStep, RunStep, Stage, Step } from './dockerfile.ts';
import { type Layers, mountScript, runInNamespace, sh } from './namespace.ts';

const run = promisify(execFile);

/** Docker's PATH when the image sets none. */
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** A built stage: its layers and the settings its steps left. */
export interface BuiltStage {
  readonly stage: Stage;
  readonly layers: Layers;
  readonly env: Readonly<Record<string, string>>;
  readonly workdir: string;
  readonly user: string;
}

/** A user of an image, resolved against its /etc/passwd and /etc/group. */
export interface ImageUser {
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
}

/**
 * Replays a Dockerfile's stages without a Docker engine: each stage is an overlay over this
 * machine's `/` (its first layer adds the `node` user of the official node images), COPY reads
 * the context snapshot or what another stage wrote, RUN runs chrooted in the stage as its USER
 * with its ENV and WORKDIR. Independent stages run at once, as BuildKit runs them.
 */
export class ImageBuilder {
  readonly #stages: ReadonlyMap<string, Stage>;
  readonly #context: string;
  readonly #tmp: string;
  readonly #built = new Map<string, Promise<BuiltStage>>();
  #mounts = 0;

  constructor(stages: readonly Stage[], context: string, tmp: string) {
    this.#stages = new Map(stages.map((stage) => [stage.name, stage]));
    this.#context = context;
    this.#tmp = tmp;
  }

  /** Build `name` and the stages it needs. */
  build(name: string): Promise<BuiltStage> {
    let built = this.#built.get(name);
    if (built === undefined) {
      const stage = this.#stages.get(name);
      if (stage === undefined) throw new Error(`Dockerfile: no stage named ${name}`);
      built = this.#buildStage(stage);
      // Handled here too: a stage failing while a sibling's failure already ended the build
      // is reported by that sibling, not as an unhandled rejection.
      built.catch(() => undefined);
      this.#built.set(name, built);
    }
    return built;
  }

  /** Resolves when every stage started so far has finished, built or failed (before cleanup). */
  async settled(): Promise<void> {
    await Promise.allSettled(this.#built.values());
  }

  /** Resolve `user` (`name`, `name:group` or numeric) in `layers`. */
  async resolveUser(layers: Layers, user: string): Promise<ImageUser> {
    const [name, group] = user.split(':') as [string, string | undefined];
    const passwd = (await readLayered(layers, 'etc/passwd')).split('\n').map((l) => l.split(':'));
    const entry = passwd.find((f) => f[0] === name || f[2] === name);
    if (entry === undefined) throw new Error(`USER ${user}: no such user in the image`);
    let gid = Number(entry[3]);
    if (group !== undefined) {
      const groups = (await readLayered(layers, 'etc/group')).split('\n').map((l) => l.split(':'));
      const found = groups.find((f) => f[0] === group || f[2] === group);
      if (found === undefined) throw new Error(`USER ${user}: no such group in the image`);
      gid = Number(found[2]);
    }
    return { uid: Number(entry[2]), gid, home: entry[5] ?? '/' };
  }

  /** A fresh writable layer: empty, or a copy of `copyOf` (an image's layer, for a stage or a container on it). */
  async layerOn(label: string, copyOf?: string): Promise<Layers> {
    const dir = join(this.#tmp, 'layers', label);
    const layers = { upper: join(dir, 'upper'), work: join(dir, 'work') };
    await mkdir(layers.upper, { recursive: true });
    await mkdir(layers.work, { recursive: true });
    if (copyOf !== undefined) await run('cp', ['-a', `${copyOf}/.`, `${layers.upper}/`]);
    return layers;
  }

  /** A new mount point under the replay's folder. */
  mountPoint(): string {
    return join(this.#tmp, 'mnt', String(++this.#mounts));
  }

  async #buildStage(stage: Stage): Promise<BuiltStage> {
    const from = this.#stages.has(stage.base) ? await this.build(stage.base) : undefined;
    const copied = stage.steps.flatMap((s) => (s.kind === 'COPY' && s.from ? [s.from] : []));
    await Promise.all(copied.map((name) => this.build(name)));
    let state: BuiltStage = from
      ? { ...from, stage, layers: await this.layerOn(stage.name, from.layers.upper) }
      : {
          stage,
          layers: await this.#baseImage(stage),
          env: { PATH: DEFAULT_PATH },
          workdir: '/',
          user: 'root',
        };
    for (const step of stage.steps) state = await this.#step(state, step);
    return state;
  }

  async #step(state: BuiltStage, step: Step): Promise<BuiltStage> {
    const where = `stage ${state.stage.name}, Dockerfile line ${step.line}`;
    switch (step.kind) {
      case 'WORKDIR': {
        const workdir = posix.resolve(state.workdir, step.path);
        await this.#inStage(state, `mkdir -p ${sh(workdir)}`, `WORKDIR (${where})`);
        return { ...state, workdir };
      }
      case 'ENV':
        return { ...state, env: { ...state.env, ...step.vars } };
      case 'USER':
        await this.resolveUser(state.layers, step.user);
        return { ...state, user: step.user };
      case 'COPY':
        await this.#copy(state, step, where);
        return state;
      case 'RUN':
        await this.#run(state, step, where);
        return state;
    }
  }

  async #run(state: BuiltStage, step: RunStep, where: string): Promise<void> {
    const user = await this.resolveUser(state.layers, state.user);
    const mount = this.mountPoint();
    const caches = step.cacheTargets.map((target) => {
      // The npm cache mount is this machine's npm cache (warm); any other starts empty.
      const host =
        target === '/root/.npm' ? join(homedir(), '.npm') : join(this.#tmp, 'cache', target);
      return `mkdir -p ${sh(host)} ${sh(mount + target)} && mount --bind ${sh(host)} ${sh(mount + target)}`;
    });
    const env = { HOME: user.home, ...state.env };
    await runInNamespace(
      [
        mountScript(mount, state.layers),
        ...caches,
        `exec chroot --userspec=${user.uid}:${user.gid} --groups=${user.gid} ${sh(mount)} env -i -C ${sh(state.workdir)} ${envWords(env)} /bin/sh -c ${sh(step.command)}`,
      ].join('\n'),
      `RUN ${step.command.slice(0, 80)} (${where})`,
    );
  }

  async #copy(state: BuiltStage, step: CopyStep, where: string): Promise<void> {
    const mount = this.mountPoint();
    const lines = [mountScript(mount, state.layers)];
    let root = this.#context;
    if (step.from !== undefined) {
      const source = this.#built.get(step.from);
      if (source === undefined)
        throw new Error(`COPY --from=${step.from} (${where}): no such stage`);
      // What the stage wrote is its layer; the base image's own files are not copied from.
      root = (await source).layers.upper;
      for (const path of step.sources)
        if (!existsSync(root + posix.resolve('/', path)))
          throw new Error(
            `COPY --from=${step.from} ${path} (${where}): stage ${step.from} did not create it (the replay copies from a stage only what its steps wrote)`,
          );
    }
    const dest = mount + posix.resolve(state.workdir, step.dest);
    for (const source of step.sources) {
      const from = root + posix.resolve('/', source);
      lines.push(
        `if [ ! -e ${sh(from)} ]; then echo ${sh(`COPY: ${source} does not exist`)} >&2; exit 1; fi`,
        `if [ -d ${sh(from)} ]; then mkdir -p ${sh(dest)} && cp -R -P --preserve=mode,timestamps,links ${sh(`${from}/.`)} ${sh(`${dest}/`)}`,
        `elif [ -d ${sh(dest)} ] || ${step.dest.endsWith('/')}; then mkdir -p ${sh(dest)} && cp -P --preserve=mode,timestamps ${sh(from)} ${sh(`${dest}/`)}`,
        `else mkdir -p "$(dirname ${sh(dest)})" && cp -P --preserve=mode,timestamps ${sh(from)} ${sh(dest)}; fi`,
      );
    }
    if (step.chown !== undefined) {
      const owner = await this.resolveUser(state.layers, step.chown);
      lines.push(`chown -R ${owner.uid}:${owner.gid} ${sh(dest)}`);
    }
    await runInNamespace(lines.join('\n'), `COPY ${step.sources.join(' ')} (${where})`);
  }

  #inStage(state: BuiltStage, command: string, what: string) {
    const mount = this.mountPoint();
    return runInNamespace(
      `${mountScript(mount, state.layers)}\nchroot ${sh(mount)} /bin/sh -c ${sh(command)}`,
      what,
    );
  }

  /**
   * The official `node:<major>-...` image, emulated: this machine's `/` (its Node must be the
   * same major) plus the image's `node` user (uid 1000, home /home/node).
   */
  async #baseImage(stage: Stage): Promise<Layers> {
    const match = /^node:(\d+)(?:[.-]\S*)?$/.exec(stage.base);
    if (match === null)
      throw new Error(
        `Dockerfile line ${stage.line}: the replay emulates node:<major>-* images only, not ${stage.base}`,
      );
    const local = process.versions.node.split('.')[0];
    if (match[1] !== local)
      throw new Error(
        `Dockerfile line ${stage.line}: the base is Node ${match[1]} but this machine runs Node ${local}; the replay runs the image's steps on this machine's Node`,
      );
    const layers = await this.layerOn(stage.name);
    await mkdir(join(layers.upper, 'etc'));
    await mkdir(join(layers.upper, 'home', 'node'), { recursive: true });
    await chown(join(layers.upper, 'home', 'node'), 1000, 1000);
    for (const [file, line] of [
      ['passwd', 'node:x:1000:1000::/home/node:/bin/bash'],
      ['group', 'node:x:1000:'],
    ] as const) {
      const text = await readFile(`/etc/${file}`, 'utf8');
      // The image's node user comes first, so uid 1000 resolves to it.
      await writeFile(
        join(layers.upper, 'etc', file),
        /^node:/m.test(text) ? text : `${line}\n${text}`,
      );
    }
    return layers;
  }
}

/** `NAME=value` words for `env -i`, quoted for the shell. */
export function envWords(env: Readonly<Record<string, string>>): string {
  return Object.entries(env)
    .map(([name, value]) => sh(`${name}=${value}`))
    .join(' ');
}

async function readLayered(layers: Layers, path: string): Promise<string> {
  for (const layer of [layers.upper, '/']) {
    const file = join(layer, path);
    if (existsSync(file)) return readFile(file, 'utf8');
  }
  return '';
}
