import { hsError } from '../errors.ts';

/** A variable map such as the process environment. Only apps pass the real one in. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The value of a variable, or undefined when unset or blank (PaaS dashboards leave blanks). */
export function read(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** Parse a URL variable, checking the protocol; the error names the variable, never its value. */
export function parseUrlVariable(name: string, value: string, protocols: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw invalid(
      name,
      `is not a valid URL (expected ${protocols[0]}//user:password@host:port)`,
      cause,
    );
  }
  if (!protocols.includes(url.protocol)) {
    throw invalid(name, `has protocol "${url.protocol}", expected ${protocols.join(' or ')}`);
  }
  if (url.hostname === '') throw invalid(name, 'has no host name');
  return url;
}

/** Parse a TCP port variable. */
export function parsePort(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65_535)
    throw invalid(name, `must be a port number from 1 to 65535, got "${value}"`);
  return port;
}

/** A URL with its password replaced by `***`, safe to log. */
export function redactUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password !== '') copy.password = '***';
  return copy.href;
}

/** Error for a variable that is present but unusable. */
export function invalid(name: string, why: string, cause?: unknown) {
  return hsError(
    'HS_CONFIG_INVALID',
    `Environment variable ${name} ${why}. Fix or unset it.`,
    { variable: name },
    cause,
  );
}

/** Error for a group where some variables are set and the one they need is not. */
export function halfSet(present: readonly string[], missing: string) {
  return hsError(
    'HS_CONFIG_INVALID',
    `${present.join(', ')} ${present.length === 1 ? 'is' : 'are'} set but ${missing} is not. Set ${missing} too, or unset the others.`,
    { variables: present, missing },
  );
}
