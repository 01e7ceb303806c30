import { VersionColumn } from '@dataflex/backstage-plugin-dataflex-common';
import { UnprocessableContentError } from '../service/errors';
import { ColumnType } from '@dataflex/backstage-plugin-dataflex-common';
import {
  classifyJson,
  classifyJsonStringBytes,
  ColumnTypeTracker,
} from './ColumnTypeTracker';
import {
  FormatInspector,
  InspectedContent,
  MAX_COLUMNS,
  MAX_RECORD_BYTES,
} from './FormatInspector';

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
const DOT = 0x2e;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
// In a `u` expression a surrogate pair is one code point, so this finds
// only unpaired ones.
const LONE_SURROGATE = /\p{Cs}/u;
// Deeper values are left to JSON.parse.
const MAX_DEPTH = 64;
// Decimals of up to this many digits parse to the nearest double, and a
// non-zero fraction of so few digits stays a fraction.
const EXACT_DIGITS = 15;

/** A key seen so far, with what the fast path needs to recognise it. */
interface Column {
  name: string;
  tracker: ColumnTypeTracker;
  /** The key's UTF-8 bytes, if they are how the key must appear unescaped. */
  bytes: Buffer | undefined;
  /** The last line the key was seen on, to find a key given twice. */
  seen: number;
}

/**
 * Whether the fast path may find the key as it is in a line's bytes: JSON
 * needs no escape for it, and it has no unpaired surrogate, which has no
 * UTF-8 bytes of its own.
 */
function isUnescaped(key: string): boolean {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < SPACE || c === QUOTE || c === BACKSLASH) {
      return false;
    }
  }
  return !LONE_SURROGATE.test(key);
}

function isSpace(b: number): boolean {
  return b === SPACE || b === TAB || b === CR;
}

function isDigit(b: number): boolean {
  return b >= ZERO && b <= NINE;
}

// Where the value scanned last ended, and its type (undefined for null).
let valueEnd = 0;
let valueType: ColumnType | undefined;

/**
 * Scans the JSON value at `b[i]`, before `end`: sets {@link valueEnd} and
 * {@link valueType} and returns true, or returns false when the value is not
 * valid JSON or is left to JSON.parse (escapes, deep nesting).
 */
function scanValue(b: Buffer, i: number, end: number): boolean {
  const c = b[i];
  if (c === QUOTE) {
    const from = i + 1;
    let j = from;
    while (j < end) {
      const d = b[j];
      if (d === QUOTE || d === BACKSLASH || d < SPACE) {
        break;
      }
      j++;
    }
    if (j >= end || b[j] !== QUOTE) {
      return false;
    }
    valueEnd = j + 1;
    valueType = classifyJsonStringBytes(b, from, j);
    return true;
  }
  if (c === MINUS || isDigit(c)) {
    return scanNumber(b, i, end);
  }
  if (c === OPEN_BRACE || c === OPEN_BRACKET) {
    const after = skipNested(b, i, end, 0);
    if (after < 0) {
      return false;
    }
    valueEnd = after;
    valueType = 'json';
    return true;
  }
  const after = skipLiteral(b, i, end);
  if (after < 0) {
    return false;
  }
  valueEnd = after;
  valueType = c === 0x6e ? undefined : 'boolean';
  return true;
}

/** `true`, `false` or `null` at `b[i]`: the index after it, or -1. */
function skipLiteral(b: Buffer, i: number, end: number): number {
  const c = b[i];
  if (c === 0x74 || c === 0x6e) {
    if (
      i + 4 <= end &&
      (c === 0x74
        ? b[i + 1] === 0x72 && b[i + 2] === 0x75 && b[i + 3] === 0x65
        : b[i + 1] === 0x75 && b[i + 2] === 0x6c && b[i + 3] === 0x6c)
    ) {
      return i + 4;
    }
    return -1;
  }
  if (
    c === 0x66 &&
    i + 5 <= end &&
    b[i + 1] === 0x61 &&
    b[i + 2] === 0x6c &&
    b[i + 3] === 0x73 &&
    b[i + 4] === 0x65
  ) {
    return i + 5;
  }
  return -1;
}

/**
 * A JSON number at `b[i]` (`-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`): typed
 * integer when JSON.parse would give an integral value, as classifyJson does.
 */
function scanNumber(b: Buffer, from: number, end: number): boolean {
  let i = from;
  if (b[i] === MINUS) {
    i++;
  }
  const intStart = i;
  while (i < end && isDigit(b[i])) {
    i++;
  }
  const intDigits = i - intStart;
  if (intDigits === 0 || (intDigits > 1 && b[intStart] === ZERO)) {
    return false;
  }
  let fracDigits = 0;
  let fracZero = true;
  if (i < end && b[i] === DOT) {
    i++;
    const fracStart = i;
    while (i < end && isDigit(b[i])) {
      if (b[i] !== ZERO) {
        fracZero = false;
      }
      i++;
    }
    fracDigits = i - fracStart;
    if (fracDigits === 0) {
      return false;
    }
  }
  let exponent = false;
  if (i < end && (b[i] | 0x20) === 0x65) {
    i++;
    if (i < end && (b[i] === MINUS || b[i] === 0x2b)) {
      i++;
    }
    const expStart = i;
    while (i < end && isDigit(b[i])) {
      i++;
    }
    if (i === expStart) {
      return false;
    }
    exponent = true;
  }
  valueEnd = i;
  if (!exponent && intDigits + fracDigits <= EXACT_DIGITS) {
    // So few digits are parsed exactly enough that only a zero fraction
    // gives an integral value.
    valueType = fracZero ? 'integer' : 'number';
  } else {
    // 1.0000000000000001, 1e2 and 1e400 parse to 1, 100 and Infinity.
    const value = Number(b.toString('latin1', from, i));
    valueType = Number.isInteger(value) ? 'integer' : 'number';
  }
  return true;
}

/**
 * Validates the object or array at `b[i]` without building it: the index
 * after it, or -1 if it is invalid or left to JSON.parse.
 */
function skipNested(b: Buffer, from: number, end: number, depth: number) {
  if (depth >= MAX_DEPTH) {
    return -1;
  }
  const object = b[from] === OPEN_BRACE;
  const close = object ? CLOSE_BRACE : CLOSE_BRACKET;
  let i = skipSpace(b, from + 1, end);
  if (i < end && b[i] === close) {
    return i + 1;
  }
  for (;;) {
    if (object) {
      if (i >= end || b[i] !== QUOTE || !scanValue(b, i, end)) {
        return -1;
      }
      i = skipSpace(b, valueEnd, end);
      if (i >= end || b[i] !== COLON) {
        return -1;
      }
      i = skipSpace(b, i + 1, end);
    }
    if (i >= end) {
      return -1;
    }
    const c = b[i];
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      i = skipNested(b, i, end, depth + 1);
      if (i < 0) {
        return -1;
      }
    } else if (scanValue(b, i, end)) {
      i = valueEnd;
    } else {
      return -1;
    }
    i = skipSpace(b, i, end);
    if (i >= end) {
      return -1;
    }
    if (b[i] === close) {
      return i + 1;
    }
    if (b[i] !== COMMA) {
      return -1;
    }
    i = skipSpace(b, i + 1, end);
  }
}

function skipSpace(b: Buffer, from: number, end: number): number {
  let i = from;
  while (i < end && isSpace(b[i])) {
    i++;
  }
  return i;
}

/**
 * Checks JSON Lines as they stream past: every non-blank line must be a JSON
 * object. Columns are the union of the objects' keys in order of first
 * appearance; a key missing from some objects makes its column nullable.
 * Lines are found in the bytes, so only one line at a time is decoded.
 */
export class JsonLinesInspector implements FormatInspector {
  // The start of a line that continues in the next chunk.
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private line = 0;
  private rows = 0;
  private readonly columns = new Map<string, Column>();
  // The keys in the order of the last line read fast: the next line most
  // likely has the same.
  private order: Column[] = [];
  // The values of the line being read fast, observed once it is all valid.
  private lineColumns: Column[] = [];
  private lineTypes: Array<ColumnType | undefined> = [];

  static create(): JsonLinesInspector {
    return new JsonLinesInspector();
  }

  private constructor() {}

  async write(chunk: Buffer): Promise<void> {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(LF, start);
      if (end < 0) {
        break;
      }
      if (this.partialBytes > 0) {
        this.partial.push(chunk.subarray(start, end));
        this.onLine(
          Buffer.concat(this.partial),
          0,
          this.partialBytes + end - start,
        );
        this.partial = [];
        this.partialBytes = 0;
      } else {
        this.onLine(chunk, start, end);
      }
      start = end + 1;
    }
    if (start < chunk.length) {
      // Copied: the caller may reuse the chunk.
      this.partial.push(Buffer.from(chunk.subarray(start)));
      this.partialBytes += chunk.length - start;
      if (this.partialBytes > MAX_RECORD_BYTES) {
        throw new UnprocessableContentError(
          `Line ${this.line + 1} is longer than ${MAX_RECORD_BYTES} bytes`,
        );
      }
    }
  }

  async end(): Promise<InspectedContent> {
    if (this.partialBytes > 0) {
      this.onLine(Buffer.concat(this.partial), 0, this.partialBytes);
    }
    const columns: VersionColumn[] = [...this.columns.values()].map(
      ({ name, tracker }) => ({ name, ...tracker.result(this.rows) }),
    );
    return { format: 'jsonl', columns, rowCount: this.rows };
  }

  private onLine(bytes: Buffer, start: number, end: number) {
    this.line += 1;
    // The first line may start with a BOM, which JSON.parse refuses.
    if (this.line > 1 && this.readFast(bytes, start, end)) {
      return;
    }
    const text = bytes.toString('utf8', start, end);
    const line = this.line === 1 ? text.replace(/^\uFEFF/, '') : text;
    if (!line.trim()) {
      return;
    }
    const value = parseObject(line, this.line);
    this.rows += 1;
    for (const key in value) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) {
        continue;
      }
      let column = this.columns.get(key);
      if (!column) {
        if (this.columns.size >= MAX_COLUMNS) {
          throw new UnprocessableContentError(
            `Line ${this.line} brings the number of distinct keys past ${MAX_COLUMNS}, the most supported`,
          );
        }
        column = {
          name: key,
          tracker: ColumnTypeTracker.create(),
          bytes: isUnescaped(key) ? Buffer.from(key) : undefined,
          seen: 0,
        };
        this.columns.set(key, column);
      }
      const field = value[key];
      if (field !== null) {
        column.tracker.observe(classifyJson(field));
      }
    }
  }

  /**
   * Reads a line that is blank or an object of keys seen before, each once
   * and without escapes, straight from its bytes: true if it did, with the
   * same outcome as JSON.parse and {@link classifyJson}. Anything else (new
   * or escaped keys, invalid JSON, a key given twice) is left to the general
   * path, which this leaves no trace for.
   */
  private readFast(b: Buffer, start: number, end: number): boolean {
    let i = skipSpace(b, start, end);
    if (i === end) {
      return true;
    }
    if (b[i] !== OPEN_BRACE) {
      return false;
    }
    i = skipSpace(b, i + 1, end);
    const line = this.line;
    const order = this.order;
    const lineColumns = this.lineColumns;
    const lineTypes = this.lineTypes;
    let count = 0;
    if (i < end && b[i] === CLOSE_BRACE) {
      i += 1;
    } else {
      for (;;) {
        if (i >= end || b[i] !== QUOTE) {
          return false;
        }
        const keyStart = i + 1;
        let keyEnd: number;
        let column: Column | undefined = order[count];
        if (column && startsWithKey(column, b, keyStart, end)) {
          // The key of the last line's object at this place, as usual.
          keyEnd = keyStart + column.bytes!.length;
        } else {
          keyEnd = keyStart;
          while (keyEnd < end) {
            const c = b[keyEnd];
            if (c === QUOTE || c === BACKSLASH || c < SPACE) {
              break;
            }
            keyEnd++;
          }
          if (keyEnd >= end || b[keyEnd] !== QUOTE) {
            return false;
          }
          column = this.findColumn(b, keyStart, keyEnd);
          if (!column) {
            return false;
          }
        }
        if (column.seen === line) {
          return false;
        }
        column.seen = line;
        i = skipSpace(b, keyEnd + 1, end);
        if (i >= end || b[i] !== COLON) {
          return false;
        }
        i = skipSpace(b, i + 1, end);
        if (i >= end || !scanValue(b, i, end)) {
          return false;
        }
        lineColumns[count] = column;
        lineTypes[count] = valueType;
        count++;
        i = skipSpace(b, valueEnd, end);
        if (i >= end) {
          return false;
        }
        if (b[i] === CLOSE_BRACE) {
          i += 1;
          break;
        }
        if (b[i] !== COMMA) {
          return false;
        }
        i = skipSpace(b, i + 1, end);
      }
    }
    if (skipSpace(b, i, end) !== end) {
      return false;
    }
    this.rows += 1;
    for (let k = 0; k < count; k++) {
      const column = lineColumns[k];
      const type = lineTypes[k];
      if (type !== undefined) {
        column.tracker.observe(type);
      }
      order[k] = column;
    }
    return true;
  }

  private findColumn(
    b: Buffer,
    start: number,
    end: number,
  ): Column | undefined {
    for (const column of this.columns.values()) {
      if (sameKey(column, b, start, end)) {
        return column;
      }
    }
    return undefined;
  }
}

/** Whether `b[start..]` is the column's key and its closing quote. */
function startsWithKey(column: Column, b: Buffer, start: number, end: number) {
  const key = column.bytes;
  if (!key || start + key.length >= end) {
    return false;
  }
  for (let k = 0; k < key.length; k++) {
    if (key[k] !== b[start + k]) {
      return false;
    }
  }
  return b[start + key.length] === QUOTE;
}

function sameKey(column: Column, b: Buffer, start: number, end: number) {
  const key = column.bytes;
  if (!key || key.length !== end - start) {
    return false;
  }
  for (let k = 0; k < key.length; k++) {
    if (key[k] !== b[start + k]) {
      return false;
    }
  }
  return true;
}

/** Parses one JSON Lines line, which must hold a JSON object. */
export function parseObject(
  line: string,
  lineNumber: number,
): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new UnprocessableContentError(
      `Line ${lineNumber} is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UnprocessableContentError(
      `Line ${lineNumber} is not a JSON object; JSON Lines needs one object per line`,
    );
  }
  return value as Record<string, unknown>;
}
