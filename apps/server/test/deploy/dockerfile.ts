/**
 * A parser for the subset of Dockerfile syntax this repository's Dockerfile uses. Anything
 * else fails with the line number, so the replay never silently skips a step it cannot run.
 */

/** `COPY [--from=stage] [--chown=user[:group]] src... dest` */
export interface CopyStep {
  readonly kind: 'COPY';
  readonly line: number;
  readonly from?: string;
  readonly chown?: string;
  readonly sources: readonly string[];
  readonly dest: string;
}

/** `RUN [--mount=type=cache,target=/dir] <shell command>` */
export interface RunStep {
  readonly kind: 'RUN';
  readonly line: number;
  readonly cacheTargets: readonly string[];
  readonly command: string;
}

/** One instruction of a stage. */
export type Step =
  | CopyStep
  | RunStep
  | { readonly kind: 'WORKDIR'; readonly line: number; readonly path: string }
  | { readonly kind: 'ENV'; readonly line: number; readonly vars: Readonly<Record<string, string>> }
  | { readonly kind: 'USER'; readonly line: number; readonly user: string };

/** A build stage: `FROM base AS name` and its steps. */
export interface Stage {
  readonly name: string;
  /** An image (`node:20-bookworm-slim`) or an earlier stage's name. */
  readonly base: string;
  readonly line: number;
  readonly steps: readonly Step[];
  readonly expose: readonly number[];
  /** `HEALTHCHECK ... CMD <shell>`: the shell command. */
  readonly healthcheck?: string;
  /** `CMD [...]` in exec form. */
  readonly cmd?: readonly string[];
}

/** Parse a Dockerfile; throws naming the line of the first thing the replay cannot run. */
export function parseDockerfile(text: string): Stage[] {
  const args = new Map<string, string>();
  const stages: MutableStage[] = [];
  for (const { line, keyword, rest } of logicalLines(text)) {
    const stage = stages.at(-1);
    if (keyword === 'FROM') stages.push(parseFrom(rest, line, args, stages));
    else if (stage === undefined) {
      if (keyword !== 'ARG') throw unsupported(line, `${keyword} before the first FROM`);
      const [name, value] = splitOnce(rest, '=');
      if (value === undefined) throw unsupported(line, 'an ARG without a default');
      args.set(name, value);
    } else parseStep(stage, keyword, rest, line);
  }
  if (stages.length === 0) throw new Error('Dockerfile: no FROM');
  return stages;
}

interface MutableStage {
  name: string;
  base: string;
  line: number;
  steps: Step[];
  expose: number[];
  healthcheck?: string;
  cmd?: string[];
}

function parseFrom(
  rest: string,
  line: number,
  args: ReadonlyMap<string, string>,
  stages: readonly MutableStage[],
): MutableStage {
  const match = /^(\S+)(?:\s+AS\s+([a-z][a-z0-9_-]*))?$/i.exec(rest);
  if (match === null) throw unsupported(line, `FROM ${rest}`);
  const base = match[1]!.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => {
    const value = args.get(a ?? b);
    if (value === undefined) throw unsupported(line, `FROM uses $${a ?? b}, which no ARG sets`);
    return value;
  });
  return {
    name: match[2] ?? String(stages.length),
    base,
    line,
    steps: [],
    expose: [],
  };
}

function parseStep(stage: MutableStage, keyword: string, rest: string, line: number): void {
  if (/\$/.test(rest) && keyword !== 'RUN' && keyword !== 'HEALTHCHECK')
    throw unsupported(line, `variable substitution in ${keyword}`);
  if (keyword === 'WORKDIR')
    stage.steps.push({ kind: 'WORKDIR', line, path: absolute(rest, line) });
  else if (keyword === 'COPY') stage.steps.push(parseCopy(rest, line));
  else if (keyword === 'RUN') stage.steps.push(parseRun(rest, line));
  else if (keyword === 'ENV') stage.steps.push({ kind: 'ENV', line, vars: parseEnv(rest, line) });
  else if (keyword === 'USER') stage.steps.push({ kind: 'USER', line, user: single(rest, line) });
  else if (keyword === 'EXPOSE') stage.expose.push(...parseExpose(rest, line));
  else if (keyword === 'HEALTHCHECK') stage.healthcheck = parseHealthcheck(rest, line);
  else if (keyword === 'CMD') stage.cmd = parseExecForm(rest, line);
  else throw unsupported(line, keyword);
}

function parseCopy(rest: string, line: number): CopyStep {
  const words = rest.split(/\s+/);
  let from: string | undefined;
  let chown: string | undefined;
  while (words[0]?.startsWith('--')) {
    const [flag, value] = splitOnce(words.shift()!, '=');
    if (flag === '--from' && value !== undefined) from = value;
    else if (flag === '--chown' && value !== undefined) chown = value;
    else throw unsupported(line, `COPY ${flag}`);
  }
  if (words.length < 2 || rest.includes('['))
    throw unsupported(line, 'COPY needs sources and a destination (shell form)');
  const dest = words.pop()!;
  if (words.length > 1 && !dest.endsWith('/'))
    throw unsupported(line, 'COPY with several sources needs a destination ending in /');
  for (const source of words)
    if (/[*?[]/.test(source) || source.startsWith('..'))
      throw unsupported(line, `COPY source ${source} (wildcards and ../ are not replayed)`);
  return {
    kind: 'COPY',
    line,
    ...(from === undefined ? {} : { from }),
    ...(chown === undefined ? {} : { chown }),
    sources: words,
    dest,
  };
}

function parseRun(rest: string, line: number): RunStep {
  const cacheTargets: string[] = [];
  let command = rest;
  for (let flag = /^--(\S+)\s+/.exec(command); flag !== null; flag = /^--(\S+)\s+/.exec(command)) {
    const cache = /^mount=type=cache,target=(\/\S+)$/.exec(flag[1]!);
    if (cache === null) throw unsupported(line, `RUN --${flag[1]}`);
    cacheTargets.push(cache[1]!);
    command = command.slice(flag[0].length);
  }
  if (command.startsWith('[')) throw unsupported(line, 'RUN in exec form');
  return { kind: 'RUN', line, cacheTargets, command };
}

function parseEnv(rest: string, line: number): Record<string, string> {
  const vars: Record<string, string> = {};
  const pair = /([A-Za-z_][A-Za-z0-9_]*)=("[^"\\$]*"|[^\s"'\\$]*)(?:\s+|$)/y;
  let at = 0;
  while (at < rest.length) {
    pair.lastIndex = at;
    const match = pair.exec(rest);
    if (match === null) throw unsupported(line, `ENV ${rest} (use NAME=value pairs)`);
    vars[match[1]!] = match[2]!.replace(/^"(.*)"$/, '$1');
    at = pair.lastIndex;
  }
  return vars;
}

function parseExpose(rest: string, line: number): number[] {
  return rest.split(/\s+/).map((word) => {
    const match = /^(\d+)(\/tcp)?$/.exec(word);
    if (match === null) throw unsupported(line, `EXPOSE ${word}`);
    return Number(match[1]);
  });
}

function parseHealthcheck(rest: string, line: number): string {
  const match =
    /^((?:--(?:interval|timeout|start-period|start-interval|retries)=\S+\s+)*)CMD\s+(.+)$/.exec(
      rest,
    );
  if (match === null || match[2]!.startsWith('['))
    throw unsupported(line, 'HEALTHCHECK other than [--options] CMD <shell command>');
  return match[2]!;
}

function parseExecForm(rest: string, line: number): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rest);
  } catch {
    throw unsupported(line, 'CMD in shell form (use the exec form: CMD ["node", ...])');
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || parsed.some((a) => typeof a !== 'string'))
    throw unsupported(line, 'CMD must be a non-empty JSON array of strings');
  return parsed as string[];
}

function absolute(path: string, line: number): string {
  if (!/^\/\S*$/.test(path)) throw unsupported(line, `WORKDIR ${path} (use an absolute path)`);
  return path;
}

function single(word: string, line: number): string {
  if (!/^[a-z_][a-z0-9_-]*(:[a-z_][a-z0-9_-]*)?$|^\d+(:\d+)?$/.test(word))
    throw unsupported(line, `USER ${word}`);
  return word;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

function unsupported(line: number, what: string): Error {
  return new Error(
    `Dockerfile line ${line}: ${what} is not supported by the replay (apps/server/test/deploy/dockerfile.ts); keep to the subset it parses or extend it`,
  );
}

/** Instructions with continuations joined and comments dropped, as Docker reads them. */
function* logicalLines(text: string): Generator<{ line: number; keyword: string; rest: string }> {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let joined = '';
    for (let current = lines[i]!; ; current = lines[++i]!) {
      if (/^\s*#/.test(current)) {
        if (joined === '') break;
        continue; // Docker drops comment lines inside a continued instruction.
      }
      if (!current.endsWith('\\')) {
        joined += current;
        break;
      }
      joined += `${current.slice(0, -1)} `;
      if (i + 1 >= lines.length) break;
    }
    const trimmed = joined.trim();
    if (trimmed === '') continue;
    const keyword = trimmed.split(/\s/, 1)[0]!;
    yield {
      line: start,
      keyword: keyword.toUpperCase(),
      rest: trimmed.slice(keyword.length).trim(),
    };
  }
}
