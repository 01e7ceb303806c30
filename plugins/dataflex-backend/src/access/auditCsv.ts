import { AccessAuditRecord } from './AccessStore';

const COLUMNS: Array<[string, (entry: AccessAuditRecord) => unknown]> = [
  ['time', e => e.createdAt],
  ['action', e => e.action],
  ['actor', e => e.actor],
  ['subject', e => e.subject],
  ['version', e => e.version],
  ['from_version', e => e.fromVersion],
  ['to_version', e => e.toVersion],
  ['request_id', e => e.requestId],
  ['grant_id', e => e.grantId],
  ['reason', e => e.reason],
];

/** The header line of the access log's CSV export. */
export function auditCsvHeader(): string {
  return `${COLUMNS.map(([name]) => name).join(',')}\r\n`;
}

/** One entry of the access log as an RFC 4180 CSV line. */
export function auditCsvRow(entry: AccessAuditRecord): string {
  return `${COLUMNS.map(([, get]) => csvCell(get(entry))).join(',')}\r\n`;
}

/**
 * One CSV cell. Text a spreadsheet would run as a formula (starting with
 * `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, as
 * OWASP recommends against CSV injection; then cells with commas, quotes or
 * line breaks are quoted with quotes doubled. Numbers are written as they
 * are.
 */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) {
    return '';
  }
  if (typeof value === 'number') {
    return String(value);
  }
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) {
    text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
