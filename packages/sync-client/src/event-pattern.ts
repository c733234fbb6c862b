/** True when `pattern` (a name, `domain.*` or `*`) matches the event name `type`. */
export function matchesPattern(pattern: string, type: string): boolean {
  if (pattern === '*' || pattern === type) return true;
  const dot = type.indexOf('.');
  return dot > 0 && pattern === `${type.slice(0, dot)}.*`;
}
