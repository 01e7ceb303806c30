import { ColumnType } from '@dataflex/backstage-plugin-dataflex-common';

const INTEGER = /^[-+]?(0|[1-9]\d*)$/;
const NUMBER = /^[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/;
const BOOLEAN = /^(true|false)$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP =
  /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?$/i;

/**
 * The narrowest type of a text value, as it appears in a CSV cell. Numbers
 * with leading zeros stay strings: they are identifiers (postal codes,
 * account numbers) whose zeros matter.
 */
export function classifyText(value: string): ColumnType {
  if (INTEGER.test(value)) {
    return 'integer';
  }
  if (NUMBER.test(value) && !/^[-+]?0\d/.test(value)) {
    return 'number';
  }
  if (BOOLEAN.test(value)) {
    return 'boolean';
  }
  const date = DATE.exec(value);
  if (date) {
    return isCalendarDate(+date[1], +date[2], +date[3]) ? 'date' : 'string';
  }
  if (TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value))) {
    return 'timestamp';
  }
  return 'string';
}

/** The type of a parsed JSON value; strings may still be dates or timestamps. */
export function classifyJson(value: unknown): ColumnType {
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(value) ? 'integer' : 'number';
    case 'string': {
      const type = classifyText(value);
      return type === 'date' || type === 'timestamp' ? type : 'string';
    }
    default:
      return 'json';
  }
}

/** The type both of two columns' values fit in. */
export function widenType(a: ColumnType, b: ColumnType): ColumnType {
  if (a === b) {
    return a;
  }
  const pair = new Set([a, b]);
  if (pair.has('integer') && pair.has('number')) {
    return 'number';
  }
  if (pair.has('date') && pair.has('timestamp')) {
    return 'timestamp';
  }
  if (pair.has('json')) {
    return 'json';
  }
  return 'string';
}

/**
 * Follows one column through a stream of values in constant memory: the
 * narrowest type all its non-empty values fit in, and whether any is empty.
 */
export class ColumnTypeTracker {
  private type: ColumnType | undefined;
  private values = 0;

  static create(): ColumnTypeTracker {
    return new ColumnTypeTracker();
  }

  private constructor() {}

  /** Records one non-empty value of the given type. */
  observe(type: ColumnType): void {
    this.values += 1;
    this.type = this.type ? widenType(this.type, type) : type;
  }

  /** The column's type and nullability after `rows` rows. */
  result(rows: number): { type: ColumnType; nullable: boolean } {
    return { type: this.type ?? 'string', nullable: this.values < rows };
  }
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day
  );
}
