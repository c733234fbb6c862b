const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a well-formed UUID; anything else cannot be a user id and never reaches SQL. */
export function isUserId(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
