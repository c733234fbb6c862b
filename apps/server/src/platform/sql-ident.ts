const NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Quote a schema name for SQL after checking it is a plain lower-case identifier (names come
 * from options, never from requests).
 */
export function ident(name: string): string {
  if (!NAME.test(name))
    throw new Error(`Schema name "${name}" must match ${NAME}; change the schema option.`);
  return `"${name}"`;
}
