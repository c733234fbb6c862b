/** The value of cookie `name` in a `Cookie` header, or `undefined`. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name)
      return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** A `Set-Cookie` value for a session id: HttpOnly, SameSite=Strict, Secure unless `insecure`. */
export function sessionCookie(name: string, id: string, maxAgeS: number, insecure = false): string {
  const secure = insecure ? '' : '; Secure';
  return `${name}=${encodeURIComponent(id)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${secure}`;
}

/** A `Set-Cookie` value that removes the cookie. */
export function clearedCookie(name: string): string {
  return `${name}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
}
