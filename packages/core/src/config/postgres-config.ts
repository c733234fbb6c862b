import { type Env, halfSet, parsePort, parseUrlVariable, read, redactUrl } from './env-url.ts';

/** Where the PostgreSQL settings came from, in precedence order. */
export type PostgresSource = 'DATABASE_URL' | 'DATABASE_PUBLIC_URL' | 'PGHOST' | 'embedded';

/** Resolved PostgreSQL settings: a server, or embedded PGlite persisted in a folder. */
export type PostgresConfig =
  | {
      readonly mode: 'postgres';
      readonly source: Exclude<PostgresSource, 'embedded'>;
      readonly url: string;
      readonly redactedUrl: string;
    }
  | { readonly mode: 'pglite'; readonly source: 'embedded'; readonly dataDir: string };

/** Every variable the PostgreSQL discovery reads, in the order it tries them. */
export const POSTGRES_VARIABLES = [
  'DATABASE_URL',
  'DATABASE_PUBLIC_URL',
  'PGHOST',
  'PGPORT',
  'PGUSER',
  'PGPASSWORD',
  'PGDATABASE',
  'PGLITE_DATA_DIR',
] as const;

/** Default PGlite folder, relative to the working directory. */
export const DEFAULT_PGLITE_DIR = './.data/pglite';

const PROTOCOLS = ['postgres:', 'postgresql:'];

/**
 * Find PostgreSQL: `DATABASE_URL`, then `DATABASE_PUBLIC_URL`, then `PGHOST` with `PGPORT`/
 * `PGUSER`/`PGPASSWORD`/`PGDATABASE`; else PGlite in `PGLITE_DATA_DIR` (default `./.data/pglite`).
 */
export function loadPostgresConfig(env: Env): PostgresConfig {
  for (const name of ['DATABASE_URL', 'DATABASE_PUBLIC_URL'] as const) {
    const value = read(env, name);
    if (value !== undefined) return fromUrl(name, parseUrlVariable(name, value, PROTOCOLS));
  }
  const host = read(env, 'PGHOST');
  const others = ['PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE'].filter(
    (n) => read(env, n) !== undefined,
  );
  if (host === undefined) {
    if (others.length > 0) throw halfSet(others, 'PGHOST');
    return {
      mode: 'pglite',
      source: 'embedded',
      dataDir: read(env, 'PGLITE_DATA_DIR') ?? DEFAULT_PGLITE_DIR,
    };
  }
  const url = new URL('postgres://placeholder');
  url.hostname = host;
  url.port = String(parsePort('PGPORT', read(env, 'PGPORT'), 5432));
  const user = read(env, 'PGUSER') ?? 'postgres';
  url.username = encodeURIComponent(user);
  const password = read(env, 'PGPASSWORD');
  if (password !== undefined) url.password = encodeURIComponent(password);
  url.pathname = `/${encodeURIComponent(read(env, 'PGDATABASE') ?? user)}`;
  return fromUrl('PGHOST', parseUrlVariable('PGHOST', url.href, PROTOCOLS));
}

function fromUrl(source: Exclude<PostgresSource, 'embedded'>, url: URL): PostgresConfig {
  return { mode: 'postgres', source, url: url.href, redactedUrl: redactUrl(url) };
}
