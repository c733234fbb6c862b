import { type ChildProcess, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type BuiltStage, envWords, type ImageBuilder } from './image-builder.ts';
import { type Layers, mountScript, sh, spawnInNamespace } from './namespace.ts';

const run = promisify(execFile);

/** What an HTTP request into the container answered. */
export interface ContainerResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/**
 * A container of a replayed image: its own writable layer and network namespace (so it listens
 * on the image's port without colliding with anything), its CMD run chrooted as the image's
 * USER with the image's ENV, like `docker run` does.
 */
export class Container {
  readonly #child: ChildProcess;
  readonly #image: BuiltStage;
  readonly #env: Readonly<Record<string, string>>;
  readonly #user: { uid: number; gid: number };
  #output = '';

  private constructor(
    child: ChildProcess,
    image: BuiltStage,
    env: Record<string, string>,
    user: { uid: number; gid: number },
  ) {
    this.#child = child;
    this.#image = image;
    this.#env = env;
    this.#user = user;
    child.stdout!.on('data', (chunk: Buffer) => (this.#output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.#output += chunk.toString()));
  }

  /** Start `command` (the image's CMD by default) in a new container of `image`. */
  static async start(
    builder: ImageBuilder,
    image: BuiltStage,
    label: string,
    command: readonly string[] | undefined = image.stage.cmd,
  ): Promise<Container> {
    if (command === undefined) throw new Error('the image has no CMD');
    const user = await builder.resolveUser(image.layers, image.user);
    const layers: Layers = await builder.layerOn(`container-${label}`, image.layers.upper);
    const env = { HOME: user.home, HOSTNAME: label, ...image.env };
    const mount = builder.mountPoint();
    const child = spawnInNamespace(
      [
        mountScript(mount, layers),
        'ip link set lo up',
        `exec chroot --userspec=${user.uid}:${user.gid} --groups=${user.gid} ${sh(mount)} env -i -C ${sh(image.workdir)} ${envWords(env)} ${command.map(sh).join(' ')}`,
      ].join('\n'),
      true,
    );
    return new Container(child, image, env, user);
  }

  /** Everything the process printed so far. */
  get output(): string {
    return this.#output;
  }

  /** The process's id on this machine (it is PID 1's stand-in: one process, no shell). */
  get pid(): number {
    return this.#child.pid!;
  }

  /** Resolves with the exit code. */
  exited(): Promise<number | null> {
    if (this.#done) return Promise.resolve(this.#child.exitCode);
    return new Promise((resolve) => this.#child.once('exit', (code) => resolve(code)));
  }

  /** Wait until the output contains `text` (rejects if the process exits first). */
  async waitFor(text: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.#output.includes(text)) {
      if (this.#done)
        throw new Error(`the container exited with ${this.#child.exitCode}:\n${this.#output}`);
      if (Date.now() > deadline)
        throw new Error(`no "${text}" within ${timeoutMs} ms:\n${this.#output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** GET `path` on the image's port, from inside the container's network. */
  async get(path: string): Promise<ContainerResponse> {
    const script = `fetch(process.argv[1]).then(async (r) => process.stdout.write(JSON.stringify({ status: r.status, contentType: r.headers.get('content-type') ?? '', body: await r.text() })))`;
    const url = `http://127.0.0.1:${this.#env.PORT ?? '80'}${path}`;
    const { stdout } = await run(
      'nsenter',
      ['-t', String(this.pid), '-n', process.execPath, '-e', script, url],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    return JSON.parse(stdout) as ContainerResponse;
  }

  /** `docker exec`: a shell command in the container, as its USER, with its ENV and WORKDIR. */
  async exec(command: string): Promise<{ code: number; output: string }> {
    const { uid, gid } = this.#user;
    const args = [
      '-t',
      String(this.pid),
      '-m',
      '-n',
      '-r',
      '-w',
      '-S',
      String(uid),
      '-G',
      String(gid),
    ];
    const env = Object.entries(this.#env).map(([name, value]) => `${name}=${value}`);
    try {
      const { stdout, stderr } = await run(
        'nsenter',
        [...args, 'env', '-i', ...env, '/bin/sh', '-c', command],
        {
          cwd: '/',
        },
      );
      return { code: 0, output: stdout + stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
    }
  }

  /** `docker stop`: SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 20_000): Promise<number | null> {
    if (this.#done) return this.#child.exitCode;
    const exited = this.exited();
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }

  get #done(): boolean {
    return this.#child.exitCode !== null || this.#child.signalCode !== null;
  }

  /** The image this container runs. */
  get image(): BuiltStage {
    return this.#image;
  }
}
