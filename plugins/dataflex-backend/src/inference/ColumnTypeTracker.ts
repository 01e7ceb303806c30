import { ColumnType } from '@dataflex/backstage-plugin-dataflex-common';

const ZERO = 0x30;
const NINE = 0x39;
const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;
const COLON = 0x3a;
const LOWER = 0x20;

// The classifier reads bytes from a Buffer only, never through a callback or
// from a string, so that V8 keeps every element load monomorphic and inline:
// it runs for every value of every column whose type can still change.

/**
 * The narrowest type of the bytes `b[s..s+n)`: integer, number, boolean,
 * date (`YYYY-MM-DD`, a real calendar day), timestamp (ISO 8601 date and
 * time, optional seconds, fraction and zone) or string. Numbers with leading
 * zeros stay strings: they are identifiers (postal codes, account numbers)
 * whose zeros matter. Every non-string form is ASCII, so typing UTF-8 bytes
 * gives the same answer as typing the decoded text. The CSV kernel
 * (wasm/csvKernel.ts) types the same way in its own code; CsvInspector's
 * tests hold both to one reference.
 */
function classify(b: Buffer, s: number, n: number): ColumnType {
  if (n === 0) {
    return 'string';
  }
  const c0 = b[s];
  if (c0 >= ZERO && c0 <= NINE) {
    // Digits only, the most common typed value, without a call.
    let i = 1;
    while (i < n && isDigit(b[s + i])) {
      i++;
    }
    if (i === n) {
      return n > 1 && c0 === ZERO ? 'string' : 'integer';
    }
    return classifyNumeric(b, s, n);
  }
  if (c0 === PLUS || c0 === MINUS || c0 === DOT) {
    return classifyNumeric(b, s, n);
  }
  if (n === 4) {
    return (b[s] | LOWER) === 0x74 &&
      (b[s + 1] | LOWER) === 0x72 &&
      (b[s + 2] | LOWER) === 0x75 &&
      (b[s + 3] | LOWER) === 0x65
      ? 'boolean'
      : 'string';
  }
  if (n === 5) {
    return (b[s] | LOWER) === 0x66 &&
      (b[s + 1] | LOWER) === 0x61 &&
      (b[s + 2] | LOWER) === 0x6c &&
      (b[s + 3] | LOWER) === 0x73 &&
      (b[s + 4] | LOWER) === 0x65
      ? 'boolean'
      : 'string';
  }
  return 'string';
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

function classifyNumeric(b: Buffer, s: number, n: number): ColumnType {
  if (n >= 10 && b[s + 4] === MINUS && isDateAt(b, s)) {
    if (n === 10) {
      return 'date';
    }
    return isTimeFrom(b, s, 10, n) ? 'timestamp' : 'string';
  }
  const c0 = b[s];
  let i = c0 === PLUS || c0 === MINUS ? 1 : 0;
  const firstDigit = i;
  while (i < n && isDigit(b[s + i])) {
    i++;
  }
  const intDigits = i - firstDigit;
  if (intDigits > 1 && b[s + firstDigit] === ZERO) {
    return 'string';
  }
  if (i === n) {
    return intDigits > 0 ? 'integer' : 'string';
  }
  let fracDigits = 0;
  if (b[s + i] === DOT) {
    i++;
    const fracStart = i;
    while (i < n && isDigit(b[s + i])) {
      i++;
    }
    fracDigits = i - fracStart;
  }
  if (intDigits + fracDigits === 0) {
    return 'string';
  }
  if (i < n && (b[s + i] | LOWER) === 0x65) {
    i++;
    if (i < n && (b[s + i] === PLUS || b[s + i] === MINUS)) {
      i++;
    }
    const expStart = i;
    while (i < n && isDigit(b[s + i])) {
      i++;
    }
    if (i === expStart) {
      return 'string';
    }
  }
  return i === n ? 'number' : 'string';
}

/** The two-digit number at `b[at]`, or -1. */
function twoDigits(b: Buffer, at: number): number {
  const hi = b[at] - ZERO;
  const lo = b[at + 1] - ZERO;
  return hi >= 0 && hi <= 9 && lo >= 0 && lo <= 9 ? hi * 10 + lo : -1;
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `YYYY-MM-DD` at `b[s]`, a real calendar day. */
function isDateAt(b: Buffer, s: number): boolean {
  if (b[s + 7] !== MINUS) {
    return false;
  }
  const century = twoDigits(b, s);
  const yy = twoDigits(b, s + 2);
  const month = twoDigits(b, s + 5);
  const day = twoDigits(b, s + 8);
  if (century < 0 || yy < 0 || month < 1 || month > 12 || day < 1) {
    return false;
  }
  if (day <= 28) {
    return true;
  }
  const year = century * 100 + yy;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && !leap ? 28 : DAYS[month - 1]);
}

/** `Thh:mm[:ss[.fff]][Z|±hh[:mm]]` (or a space for the T) from `from` to `n`. */
function isTimeFrom(b: Buffer, s: number, from: number, n: number): boolean {
  let i = from;
  const t = b[s + i];
  if (t !== 0x54 && t !== 0x74 && t !== 0x20) {
    return false;
  }
  i++;
  if (n - i < 5 || b[s + i + 2] !== COLON) {
    return false;
  }
  const hour = twoDigits(b, s + i);
  const minute = twoDigits(b, s + i + 3);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) {
    return false;
  }
  i += 5;
  if (i < n && b[s + i] === COLON) {
    if (n - i < 3) {
      return false;
    }
    const second = twoDigits(b, s + i + 1);
    if (second < 0 || second > 60) {
      return false;
    }
    i += 3;
    if (i < n && b[s + i] === DOT) {
      i++;
      const start = i;
      while (i < n && isDigit(b[s + i])) {
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
  const z = b[s + i];
  if ((z | LOWER) === 0x7a) {
    return i + 1 === n;
  }
  if (z !== PLUS && z !== MINUS) {
    return false;
  }
  i++;
  const rest = n - i;
  if (rest === 2) {
    return twoDigits(b, s + i) >= 0;
  }
  if (rest === 4) {
    return twoDigits(b, s + i) >= 0 && twoDigits(b, s + i + 2) >= 0;
  }
  return (
    rest === 5 &&
    b[s + i + 2] === COLON &&
    twoDigits(b, s + i) >= 0 &&
    twoDigits(b, s + i + 3) >= 0
  );
}

// Text is typed by copying its character codes here: a character outside
// ASCII makes any value a string, so it needs no encoding.
let textScratch = Buffer.alloc(64);

/** The narrowest type of a text value, as in a CSV cell or a JSON string. */
export function classifyText(value: string): ColumnType {
  const n = value.length;
  if (n > textScratch.length) {
    textScratch = Buffer.alloc(Math.max(n, textScratch.length * 2));
  }
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c > 0x7f) {
      return 'string';
    }
    textScratch[i] = c;
  }
  return classify(textScratch, 0, n);
}

/** {@link classifyText} for the bytes `value[start..end)`, without decoding them. */
export function classifyBytes(
  value: Buffer,
  start: number,
  end: number,
): ColumnType {
  return classify(value, start, end - start);
}

/**
 * The type of a JSON string whose text, without escapes, is the bytes
 * `value[start..end)`: date, timestamp or string, as {@link classifyJson}
 * types the parsed string.
 */
export function classifyJsonStringBytes(
  value: Buffer,
  start: number,
  end: number,
): ColumnType {
  const type = classify(value, start, end - start);
  return type === 'date' || type === 'timestamp' ? type : 'string';
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
    if (this.type !== type) {
      this.type = this.type ? widenType(this.type, type) : type;
    }
  }

  /** The column's type and nullability after `rows` rows. */
  result(rows: number): { type: ColumnType; nullable: boolean } {
    return { type: this.type ?? 'string', nullable: this.values < rows };
  }
}
