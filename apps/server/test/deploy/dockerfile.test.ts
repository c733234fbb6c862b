/**
 * The Dockerfile, proven without a Docker engine: its stages are replayed step by step (see
 * image-builder.ts), then the image's CMD runs as its USER with its ENV in a container of its
 * own, and /health, /admin/ and /app/ must answer. Needs root (mount namespaces, overlayfs),
 * as on the project's machines and CI.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Container } from './container.ts';
import { DockerIgnore, snapshotContext } from './docker-context.ts';
import { parseDockerfile, type Stage } from './dockerfile.ts';
import { type BuiltStage, ImageBuilder } from './image-builder.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

describe('the Dockerfile parser', () => {
  it('reads the repository Dockerfile: four stages, the runtime last', () => {
    const stages = parseDockerfile(read('Dockerfile'));
    expect(stages.map((s) => s.name)).toEqual(['manifests', 'build', 'deps', 'runtime']);
    expect(stages.at(-1)!.cmd).toEqual(['node', '--import', 'tsx', 'apps/server/src/main.ts']);
  });

  it.each([
    ['ADD . /app', /line 2: ADD is not supported/],
    ['ENTRYPOINT ["node"]', /line 2: ENTRYPOINT/],
    ['COPY --link . .', /line 2: COPY --link/],
    ['COPY src/*.ts ./', /line 2: COPY source src\/\*\.ts/],
    ['RUN ["npm", "ci"]', /line 2: RUN in exec form/],
    ['RUN --mount=type=secret,id=x true', /line 2: RUN --mount=type=secret/],
    ['CMD node main.js', /line 2: CMD in shell form/],
    ['WORKDIR $HOME', /line 2: variable substitution in WORKDIR/],
    ['ENV A 1', /line 2: ENV A 1/],
  ])('refuses %j, naming the line', (instruction, error) => {
    expect(() => parseDockerfile(`FROM node:20\n${instruction}\n`)).toThrow(error);
  });
});

describe('.dockerignore', () => {
  it('leaves out dependencies, built UIs and local data at any depth, and keeps the sources', () => {
    const ignore = new DockerIgnore(read('.dockerignore'));
    for (const path of [
      'node_modules/vite/package.json',
      'apps/server/node_modules/x',
      'apps/admin/dist/index.html',
      'apps/server/.data/pglite/PG_VERSION',
      '.git/HEAD',
    ])
      expect(ignore.excludes(path), path).toBe(true);
    for (const path of [
      'apps/server/src/main.ts',
      'package-lock.json',
      'packages/cli/bin/hybridstate.mjs',
    ])
      expect(ignore.excludes(path), path).toBe(false);
  });
});

describe('the replay of a step that cannot work', () => {
  it.each([
    ['RUN false', /RUN false \(stage 0, Dockerfile line 3\) failed \(exit 1\)/],
    ['COPY no-such-file ./', /COPY: no-such-file does not exist/],
    ['RUN vite build', /RUN vite build .* failed \(exit 127\)/],
    ['USER nobody-here', /USER nobody-here: no such user/],
    ['COPY --from=elsewhere /x ./', /no stage named elsewhere/],
  ])('%s fails the build', async (instruction, error) => {
    const tmp = await mkdtemp('/tmp/hs-dockerfile-bad-');
    try {
      const stages = parseDockerfile(`FROM node:20-bookworm-slim\nWORKDIR /app\n${instruction}\n`);
      const builder = new ImageBuilder(stages, ROOT, tmp);
      await expect(builder.build('0')).rejects.toThrow(error);
      await builder.settled();
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});

/** The Procfile's processes: `web` and `release`. */
function procfile(): Record<string, string> {
  return Object.fromEntries(
    read('Procfile')
      .trim()
      .split('\n')
      .map((line) => line.split(/:\s*/, 2) as [string, string]),
  );
}

describe('the image, replayed', () => {
  let tmp: string;
  let builder: ImageBuilder;
  let image: BuiltStage;
  let preDeploy: Container | undefined;
  let server: Container | undefined;
  const started = Date.now();
  let builtMs = 0;

  beforeAll(async () => {
    if (process.getuid?.() !== 0)
      throw new Error('the Dockerfile replay needs root (mount namespaces and overlayfs)');
    tmp = await mkdtemp('/tmp/hs-dockerfile-');
    const stages: Stage[] = parseDockerfile(read('Dockerfile'));
    await snapshotContext(ROOT, join(tmp, 'context'));
    builder = new ImageBuilder(stages, join(tmp, 'context'), tmp);
    image = await builder.build(stages.at(-1)!.name);
    builtMs = Date.now() - started;
    // Two containers of the image at once (each its own layer and network): the pre-deploy
    // step, and the server as `docker run` starts it.
    const release = ['/bin/sh', '-c', procfile().release!];
    [preDeploy, server] = await Promise.all([
      Container.start(builder, image, 'pre-deploy', release),
      Container.start(builder, image, 'server'),
    ]);
  }, 600_000);

  afterAll(async () => {
    await Promise.all([preDeploy?.stop(), server?.stop()]);
    await builder?.settled();
    if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
    console.info(
      `Dockerfile replay: image built in ${(builtMs / 1000).toFixed(1)} s, all checks in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }, 60_000);

  it('holds both built UIs and only production dependencies, and links the hybridstate command', () => {
    const files = (path: string) => existsSync(join(image.layers.upper, path));
    expect(files('app/apps/admin/dist/index.html')).toBe(true);
    expect(files('app/apps/mini-app/dist/index.html')).toBe(true);
    expect(files('app/node_modules/tsx/package.json')).toBe(true);
    expect(files('app/node_modules/vite')).toBe(false);
    expect(files('app/node_modules/.bin/hybridstate')).toBe(true);
    expect(image.user).toBe('node');
    expect(image.stage.expose).toEqual([Number(image.env.PORT)]);
  });

  it("runs railway.json's pre-deploy command (the Procfile's release) in a container of the image", async () => {
    const railway = JSON.parse(read('railway.json')) as { deploy: { preDeployCommand: string[] } };
    expect(railway.deploy.preDeployCommand).toEqual([procfile().release]);
    expect(procfile().web).toBe(image.stage.cmd!.join(' '));
    const code = await preDeploy!.exited();
    expect(code, preDeploy!.output).toBe(0);
  }, 180_000);

  it('starts its CMD as the non-root node user without building anything; /health, /admin/ and /app/ answer', async () => {
    const container = server!;
    await container.waitFor('hybridstate is up', 180_000);
    expect(readFileSync(`/proc/${container.pid}/status`, 'utf8')).toMatch(/^Uid:\s+1000\s/m);
    const health = await container.get('/health');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });
    for (const ui of ['/admin/', '/app/']) {
      const page = await container.get(ui);
      expect(page.status, ui).toBe(200);
      expect(page.contentType).toContain('text/html');
      const script = /src="([^"]+\.js)"/.exec(page.body)?.[1];
      expect(script, `${ui} names its script`).toMatch(new RegExp(`^${ui}assets/`));
      expect((await container.get(script!)).status).toBe(200);
    }
    // Neither "building ... (vite build)" nor "not built: run npx vite build".
    expect(container.output).not.toContain('vite build');
    expect(container.output).toContain('demo content added');
  }, 240_000);

  it('passes its HEALTHCHECK, runs `npx hybridstate`, cannot write its own code, and stops on SIGTERM', async () => {
    const container = server!;
    const check = await container.exec(image.stage.healthcheck!);
    expect(check.code, check.output).toBe(0);
    const help = await container.exec('npx --no -- hybridstate --help');
    expect(help.code, help.output).toBe(0);
    expect(help.output).toContain('doctor');
    const write = await container.exec('touch apps/server/src/main.ts');
    expect(write.code).not.toBe(0);
    expect(await container.stop()).toBe(0);
  }, 60_000);
});
