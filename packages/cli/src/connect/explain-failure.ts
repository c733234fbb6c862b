/** Which server a failure is about, and where its settings came from. */
export interface FailureTarget {
  readonly tier: 'redis' | 'postgres';
  /** The variable that won (`REDIS_URL`, `PGHOST`...). */
  readonly source: string;
  readonly host: string;
  readonly port: number;
  /** The URL asks for TLS (`rediss:`, `sslmode=`): a handshake that hangs is then a TLS mismatch. */
  readonly tls?: boolean;
}

/** A connection failure in one line, with the fix. */
export interface Explanation {
  /** Stable kind: `auth`, `dns`, `private-host`, `refused`, `timeout`, `tls`, `database`, `other`. */
  readonly kind: string;
  readonly summary: string;
  readonly fix: string;
}

const TLS = /ssl|tls|certificate|self[- ]signed|wrong version number|EPROTO|CERT_|ERR_SSL/i;
const AUTH =
  /WRONGPASS|NOAUTH|invalid (username-)?password|password authentication failed|AUTH.*without any password|no password was provided/i;

/**
 * Turn a connection error into one line a person can act on: authentication, DNS (including
 * a PaaS private hostname used from outside), refused, timeout and TLS failures.
 *
 * @example
 * ```ts
 * explainFailure(error, { tier: 'redis', source: 'REDIS_URL', host: 'redis.railway.internal', port: 6379 });
 * // { kind: 'private-host', summary: 'REDIS_URL points at redis.railway.internal, ...', fix: 'use REDIS_PUBLIC_URL ...' }
 * ```
 */
export function explainFailure(error: unknown, target: FailureTarget): Explanation {
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  const where = `${target.host}:${target.port}`;
  const name = target.tier === 'redis' ? 'Redis' : 'PostgreSQL';
  if (AUTH.test(message) || code === '28P01' || code === '28000') return auth(target, name);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return dns(target, name);
  if (code === 'ECONNREFUSED')
    return {
      kind: 'refused',
      summary: `${name} refused the connection: nothing listens on ${where} (from ${target.source})`,
      fix: `start ${name} or fix the port in ${target.source}; on Railway check that the ${name} service is Running and in the same project`,
    };
  if (code === '3D000')
    return {
      kind: 'database',
      summary: `PostgreSQL at ${where} has no such database (from ${target.source}): ${message}`,
      fix: `create the database or fix its name in ${target.source}`,
    };
  const timedOut = code === 'ETIMEDOUT' || /timed? ?out|timeout/i.test(message);
  if (TLS.test(message) || TLS.test(code ?? '') || (timedOut && target.tls === true))
    return {
      kind: 'tls',
      summary: `TLS handshake with ${name} at ${where} failed (from ${target.source}): ${message}`,
      fix:
        target.tier === 'redis'
          ? 'use rediss:// only when the server speaks TLS, redis:// otherwise (Railway Redis: redis://)'
          : 'match sslmode to the server: add ?sslmode=require for a TLS-only server, remove it for one without TLS',
    };
  if (timedOut)
    return {
      kind: 'timeout',
      summary: `${name} at ${where} did not answer in time (from ${target.source})`,
      fix: `check the host and port in ${target.source} and that no firewall drops the traffic`,
    };
  return {
    kind: 'other',
    summary: `${name} at ${where} (from ${target.source}) failed: ${message}`,
    fix: `check ${target.source}`,
  };
}

function auth(target: FailureTarget, name: string): Explanation {
  const variable =
    target.source === 'REDISHOST'
      ? 'REDISPASSWORD (and REDISUSER)'
      : target.source === 'REDIS_HOST'
        ? 'REDIS_PASSWORD'
        : target.source === 'PGHOST'
          ? 'PGPASSWORD (and PGUSER)'
          : `the password in ${target.source}`;
  return {
    kind: 'auth',
    summary: `${name} at ${target.host}:${target.port} rejected the credentials from ${target.source}`,
    fix: `copy ${variable} again from the ${name} service's variables (on Railway reference them, e.g. \${{${name === 'Redis' ? 'Redis.REDIS_URL' : 'Postgres.DATABASE_URL'}}}, instead of pasting)`,
  };
}

function dns(target: FailureTarget, name: string): Explanation {
  const publicVariable = target.tier === 'redis' ? 'REDIS_PUBLIC_URL' : 'DATABASE_PUBLIC_URL';
  if (target.host.endsWith('.railway.internal'))
    return {
      kind: 'private-host',
      summary: `${target.source} points at ${target.host}, a private hostname that only resolves inside the Railway project`,
      fix: `from outside the project (your machine, CI) use ${publicVariable}; inside it, put both services in one project`,
    };
  return {
    kind: 'dns',
    summary: `the ${name} host ${target.host} (from ${target.source}) does not resolve`,
    fix: `fix the host name in ${target.source}`,
  };
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const own = (error as { code?: unknown }).code;
  if (typeof own === 'string') return own;
  const cause = (error as { cause?: unknown }).cause;
  return cause === undefined || cause === error ? undefined : errorCode(cause);
}
