import { ColumnType } from '@dataflex/backstage-plugin-dataflex-common';

const ZERO = 0x30;
const NINE = 0x39;
const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const COLON = 0x3a;
const LOWER = 0x20;

/**
 * The narrowest type of a text value given as character codes `at(0)` to
 * `at(length - 1)`: integer, number, boolean, date (`YYYY-MM-DD`, a real
 * calendar day), timestamp (ISO 8601 date and time, optional seconds,
 * fraction and zone) or string. Numbers with leading zeros stay strings:
 * they are identifiers (postal codes, account numbers) whose zeros matter.
 * Works on codes rather than strings so that CSV bytes are typed without
 * decoding them.
 */
function classify(at: (i: number) => number, length: number): ColumnType {
  if (length === 0) {
    return 'string';
  }
  const c0 = at(0);
  if ((c0 >= ZERO && c0 <= NINE) || c0 === PLUS || c0 === MINUS || c0 === DOT) {
    return classifyNumeric(at, length);
  }
  if (length === 4 || length === 5) {
    const word = length === 4 ? 'true' : 'false';
    for (let i = 0; i < length; i++) {
      if ((at(i) | LOWER) !== word.charCodeAt(i)) {
        return 'string';
      }
    }
    return 'boolean';
  }
  return 'string';
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

function classifyNumeric(at: (i: number) => number, n: number): ColumnType {
  if (n >= 10 && isDateAt(at, 0)) {
    if (n === 10) {
      return 'date';
    }
    return isTimeFrom(at, 10, n) ? 'timestamp' : 'string';
  }
  let i = at(0) === PLUS || at(0) === MINUS ? 1 : 0;
  const firstDigit = i;
  let intDigits = 0;
  while (i < n && isDigit(at(i))) {
    i++;
    intDigits++;
  }
  if (intDigits > 1 && at(firstDigit) === ZERO) {
    return 'string';
  }
  if (i === n) {
    return intDigits > 0 ? 'integer' : 'string';
  }
  let fracDigits = 0;
  if (at(i) === DOT) {
    i++;
    while (i < n && isDigit(at(i))) {
      i++;
      fracDigits++;
    }
  }
  if (intDigits + fracDigits === 0) {
    return 'string';
  }
  if (i < n && (at(i) | LOWER) === 0x65) {
    i++;
    if (i < n && (at(i) === PLUS || at(i) === MINUS)) {
      i++;
    }
    let expDigits = 0;
    while (i < n && isDigit(at(i))) {
      i++;
      expDigits++;
    }
    if (expDigits === 0) {
      return 'string';
    }
  }
  return i === n ? 'number' : 'string';
}

function digits(at: (i: number) => number, from: number, count: number) {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const c = at(i);
    if (!isDigit(c)) {
      return -1;
    }
    value = value * 10 + (c - ZERO);
  }
  return value;
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isDateAt(at: (i: number) => number, from: number): boolean {
  if (at(from + 4) !== MINUS || at(from + 7) !== MINUS) {
    return false;
  }
  const year = digits(at, from, 4);
  const month = digits(at, from + 5, 2);
  const day = digits(at, from + 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1) {
    return false;
  }
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && !leap ? 28 : DAYS[month - 1]);
}

/** `Thh:mm[:ss[.fff]][Z|±hh[:mm]]` (or a space for the T) from `from` to `n`. */
function isTimeFrom(at: (i: number) => number, from: number, n: number) {
  let i = from;
  const t = at(i);
  if (t !== 0x54 && t !== 0x74 && t !== 0x20) {
    return false;
  }
  i++;
  if (n - i < 5 || at(i + 2) !== COLON) {
    return false;
  }
  const hour = digits(at, i, 2);
  const minute = digits(at, i + 3, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) {
    return false;
  }
  i += 5;
  if (i < n && at(i) === COLON) {
    const second = digits(at, i + 1, 2);
    if (n - i < 3 || second < 0 || second > 60) {
      return false;
    }
    i += 3;
    if (i < n && at(i) === DOT) {
      i++;
      const start = i;
      while (i < n && isDigit(at(i))) {
        i++;
      }
      if (i === start || i - start > 9) {
        return false;
      }
    }
  }
  if (i === n) {
    return true;
  }
  if ((at(i) | LOWER) === 0x7a) {
    return i + 1 === n;
  }
  if (at(i) !== PLUS && at(i) !== MINUS) {
    return false;
  }
  i++;
  const rest = n - i;
  if (rest === 2) {
    return digits(at, i, 2) >= 0;
  }
  if (rest === 4) {
    return digits(at, i, 4) >= 0;
  }
  return (
    rest === 5 &&
    at(i + 2) === COLON &&
    digits(at, i, 2) >= 0 &&
    digits(at, i + 3, 2) >= 0
  );
}

/** The narrowest type of a text value, as in a CSV cell or a JSON string. */
export function classifyText(value: string): ColumnType {
  return classify(i => value.charCodeAt(i), value.length);
}

/** {@link classifyText} for the bytes `value[start..end)`, without decoding them. */
export function classifyBytes(
  value: Buffer,
  start: number,
  end: number,
): ColumnType {
  return classify(i => value[start + i], end - start);
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

  /** Whether no value can change the type any more (CSV text is at its widest). */
  get settled(): boolean {
    return this.type === 'string';
  }

  /** Records one non-empty value of the given type. */
  observe(type: ColumnType): void {
    this.values += 1;
    if (this.type !== type) {
      this.type = this.type ? widenType(this.type, type) : type;
    }
  }

  /** The column's type and nullability after `rows` rows. */
  result(rows: number): { type: ColumnType; nullable: boolean } {
    return { type: this.type ?? 'string', nullable: this.values < rows };
  }
}
