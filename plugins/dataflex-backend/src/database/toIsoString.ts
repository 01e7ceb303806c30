/**
 * SQLite hands timestamps back as epoch milliseconds or strings, PostgreSQL
 * as Date; all become ISO 8601 strings.
 */
export function toIsoString(value: Date | string | number): string {
  return new Date(value).toISOString();
}
