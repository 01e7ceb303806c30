/**
 * Whether a knex error is a unique-constraint violation, on any supported
 * database client.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) {
    return false;
  }
  const { code, message } = error as { code?: unknown; message?: unknown };
  // 23505: PostgreSQL unique_violation; the SQLite drivers use a string code.
  if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
    return true;
  }
  return (
    typeof message === 'string' && /UNIQUE constraint failed/.test(message)
  );
}
