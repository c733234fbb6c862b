import { cp, readFile } from 'node:fs/promises';
import { relative } from 'node:path';

/**
 * `.dockerignore` as Docker reads it: patterns relative to the context root (a leading `/`
 * changes nothing; `dist` is only the root's `dist`, `**\/dist` is every one), `*` and `?`
 * within one path segment, `**` across segments, `!` re-includes, the last match wins, and a
 * path is excluded when it or a folder above it is.
 */
export class DockerIgnore {
  readonly #rules: readonly { readonly negate: boolean; readonly pattern: RegExp }[];

  constructor(text: string) {
    this.#rules = text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => {
        const negate = line.startsWith('!');
        const body = (negate ? line.slice(1) : line).replace(/^\/+/, '').replace(/\/+$/, '');
        if (/[[\\]/.test(body))
          throw new Error(
            `.dockerignore: "${line}" uses [ ] or \\, which the replay does not read`,
          );
        return { negate, pattern: toRegExp(body) };
      });
  }

  /** Whether the context leaves out `path` (relative to the context root, `/`-separated). */
  excludes(path: string): boolean {
    const parts = path.split('/');
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const rule of this.#rules)
      if (prefixes.some((prefix) => rule.pattern.test(prefix))) excluded = !rule.negate;
    return excluded;
  }
}

function toRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (glob.startsWith('**/', i)) {
      source += '(?:.*/)?';
      i += 2;
    } else if (glob.startsWith('**', i)) {
      source += '.*';
      i += 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/**
 * Copy the build context (`root` less what `.dockerignore` leaves out) to `dest`, as the
 * Docker client would send it: modes and symlinks kept.
 */
export async function snapshotContext(root: string, dest: string): Promise<DockerIgnore> {
  const ignore = new DockerIgnore(await readFile(`${root}/.dockerignore`, 'utf8').catch(() => ''));
  await cp(root, dest, {
    recursive: true,
    verbatimSymlinks: true,
    preserveTimestamps: true,
    filter: (source) => {
      const path = relative(root, source);
      return path === '' || !ignore.excludes(path.split('\\').join('/'));
    },
  });
  return ignore;
}
