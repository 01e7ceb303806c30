import { ColumnType } from '@dataflex/backstage-plugin-dataflex-common';

// How the inspectors should type values, written plainly for the
// differential tests to compare with: regular expressions and Date
// arithmetic rather than byte loops.

function isCalendarDay(year: number, month: number, day: number): boolean {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day
  );
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?$/;
const NUMBER = /^[+-]?(\d*)(\.(\d*))?([eE][+-]?\d+)?$/;

/** The narrowest type of a text value. */
export function referenceType(value: string): ColumnType {
  const date = DATE.exec(value);
  if (date) {
    return isCalendarDay(+date[1], +date[2], +date[3]) ? 'date' : 'string';
  }
  const time = TIMESTAMP.exec(value);
  if (time) {
    const [, year, month, day, hour, minute, second] = time;
    const ok =
      isCalendarDay(+year, +month, +day) &&
      +hour <= 23 &&
      +minute <= 59 &&
      (second === undefined || +second <= 60);
    return ok ? 'timestamp' : 'string';
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    // Starts like a valid day but goes on as no timestamp does.
    const [, y, m, d] = /^(\d{4})-(\d{2})-(\d{2})/.exec(value)!;
    if (isCalendarDay(+y, +m, +d)) {
      return 'string';
    }
  }
  if (/^(true|false)$/i.test(value)) {
    return 'boolean';
  }
  const number = NUMBER.exec(value);
  if (!number) {
    return 'string';
  }
  const [, integer, dot, fraction = '', exponent] = number;
  if (integer.length > 1 && integer.startsWith('0')) {
    return 'string';
  }
  if (integer.length + fraction.length === 0) {
    return 'string';
  }
  return dot === undefined && exponent === undefined ? 'integer' : 'number';
}

/** The type of a column whose non-empty values have these types. */
export function widen(types: Set<ColumnType>): ColumnType {
  if (types.size === 0) {
    return 'string';
  }
  if (types.has('json')) {
    return 'json';
  }
  if (types.size === 1) {
    return [...types][0];
  }
  if ([...types].every(t => t === 'integer' || t === 'number')) {
    return 'number';
  }
  if ([...types].every(t => t === 'date' || t === 'timestamp')) {
    return 'timestamp';
  }
  return 'string';
}
