// The CSV inspection kernel, in AssemblyScript, compiled to WebAssembly by
// `yarn build:wasm` into src/inference/csvKernelWasm.ts. It does what
// CsvScanner and the column typing of CsvInspector do, for the records after
// the header, 16 bytes at a time: inspecting an upload in JavaScript cost more
// CPU than storing it. src/inference/CsvKernel.ts drives it and documents the
// contract; the differential tests of CsvInspector check it against a plain
// reference reading.
//
// Memory: the tables below, then the input, which the driver writes at
// `reserve()`'s address. Records are scanned whole: `scan` returns how far
// the complete records reach, and the driver moves the rest (an incomplete
// record) to the front before appending the next chunk.

const QUOTE: i32 = 0x22;
const LF: i32 = 0x0a;
const CR: i32 = 0x0d;

/** Column types, as in ColumnTypeTracker. */
const NONE: u8 = 0;
const INTEGER: u8 = 1;
const NUMBER: u8 = 2;
const BOOLEAN: u8 = 3;
const DATE: u8 = 4;
const TIMESTAMP: u8 = 5;
const STRING: u8 = 6;

/** What `scan` stopped on; `errorLine` and `errorFields` say where. */
const QUOTE_IN_UNQUOTED: i32 = 1;
const TEXT_AFTER_QUOTE: i32 = 2;
const UNCLOSED_QUOTE: i32 = 3;
const FIELD_COUNT: i32 = 4;

/** Longer values are strings: no number, date or timestamp is longer. */
const CLASSIFY_BYTES: i32 = 40;

/** Field bounds and types are kept for this many fields of a record. */
const TABLE_FIELDS: i32 = 1024;

const PAGE: i32 = 65536;
const TABLES: usize = (__heap_base + 15) & ~15;
const COLUMN_TYPES: usize = TABLES;
const COLUMN_NULLABLE: usize = COLUMN_TYPES + TABLE_FIELDS;
const HEADER_DOUBLED: usize = COLUMN_NULLABLE + TABLE_FIELDS;
const HEADER_STARTS: usize = HEADER_DOUBLED + TABLE_FIELDS;
const HEADER_ENDS: usize = HEADER_STARTS + TABLE_FIELDS * 4;
const INPUT: usize = HEADER_ENDS + TABLE_FIELDS * 4;

let delimiter: i32 = 0x2c;
// 0 until the header is known; `scan` then stops after the first record.
let columns: i32 = 0;
let headerFields: i32 = 0;
let line: f64 = 1;
let lineAtEnd: f64 = 1;
let rows: f64 = 0;
let skipLineFeed: bool = false;
let error: i32 = 0;
let errorLine: f64 = 0;
let errorFields: i32 = 0;

export function init(delimiterByte: i32): void {
  delimiter = delimiterByte;
}

/** Where `bytes` bytes of input go; grows the memory to hold them. */
export function reserve(bytes: i32): usize {
  // 16 bytes past the end: the vector loads may read beyond the input.
  const needed = INPUT + (bytes as usize) + 16;
  const have = (memory.size() as usize) * PAGE;
  if (needed > have) {
    const pages = ((needed - have + PAGE - 1) / PAGE) as i32;
    if (memory.grow(pages) < 0) {
      unreachable();
    }
  }
  return INPUT;
}

export function setColumns(count: i32): void {
  columns = count;
  memory.fill(COLUMN_TYPES, 0, TABLE_FIELDS);
  memory.fill(COLUMN_NULLABLE, 0, TABLE_FIELDS);
}

export function columnTypes(): usize {
  return COLUMN_TYPES;
}

export function columnNullable(): usize {
  return COLUMN_NULLABLE;
}

export function headerStarts(): usize {
  return HEADER_STARTS;
}

export function headerEnds(): usize {
  return HEADER_ENDS;
}

export function headerDoubled(): usize {
  return HEADER_DOUBLED;
}

export function getHeaderFields(): i32 {
  return headerFields;
}

export function getRows(): f64 {
  return rows;
}

export function getLineAtEnd(): f64 {
  return lineAtEnd;
}

export function getError(): i32 {
  return error;
}

export function getErrorLine(): f64 {
  return errorLine;
}

export function getErrorFields(): i32 {
  return errorFields;
}

function fail(code: i32, fields: i32): i32 {
  error = code;
  errorLine = line;
  errorFields = fields;
  return -1;
}

// `scan` puts 16 quotes after the input: the searches below stop there at
// the latest, so they need no bounds check.

/** The first delimiter, quote, CR or LF at or after `from`. */
function nextSpecial(from: i32): i32 {
  const d = i8x16.splat(delimiter as i8);
  const q = i8x16.splat(QUOTE as i8);
  const lf = i8x16.splat(LF as i8);
  const cr = i8x16.splat(CR as i8);
  let at = from - 16;
  let mask = 0;
  do {
    at += 16;
    const v = v128.load(INPUT + (at as usize));
    const hits = v128.or(
      v128.or(i8x16.eq(v, d), i8x16.eq(v, q)),
      v128.or(i8x16.eq(v, lf), i8x16.eq(v, cr)),
    );
    mask = i8x16.bitmask(hits);
  } while (mask === 0);
  return at + ctz(mask);
}

/** The next quote at or after `from`, counting the LFs passed. */
function nextQuote(from: i32): i32 {
  const q = i8x16.splat(QUOTE as i8);
  const lf = i8x16.splat(LF as i8);
  let at = from - 16;
  let quotes = 0;
  let feeds = 0;
  do {
    at += 16;
    const v = v128.load(INPUT + (at as usize));
    quotes = i8x16.bitmask(i8x16.eq(v, q));
    feeds = i8x16.bitmask(i8x16.eq(v, lf));
    if (quotes === 0) {
      line += popcnt(feeds) as f64;
    }
  } while (quotes === 0);
  const k = ctz(quotes);
  line += popcnt(feeds & ((1 << k) - 1)) as f64;
  return at + k;
}

function byteAt(at: i32): i32 {
  return load<u8>((INPUT + at) as usize) as i32;
}

/**
 * Scans the records in input bytes `from` to `length`. Returns where the
 * complete ones end (the rest is an incomplete record, to scan again with
 * more input), or -1 on malformed input (see `getError`). With
 * `last`, the input ends there and a last record needs no line break.
 * Before `setColumns`, stops after the first record, the header, whose
 * fields it notes.
 */
export function scan(from: i32, length: i32, last: bool): i32 {
  memory.fill(INPUT + (length as usize), QUOTE as u8, 16);
  let at = from;
  if (skipLineFeed && length > from) {
    skipLineFeed = false;
    if (byteAt(from) === LF) {
      at += 1;
    }
  }
  let consumed = at;
  const typing = columns > 0;
  while (at < length) {
    const recordLine = line;
    let c = byteAt(at);
    if (c === LF || c === CR) {
      // A blank line.
      at += 1;
      if (c === CR) {
        if (at < length) {
          if (byteAt(at) === LF) {
            at += 1;
          }
        } else if (!last) {
          skipLineFeed = true;
        }
      }
      line += 1;
      consumed = at;
      continue;
    }
    let field: i32 = 0;
    let complete = false;
    for (;;) {
      let start = at;
      let end = at;
      let doubled = false;
      if (at < length && byteAt(at) === QUOTE) {
        at += 1;
        start = at;
        let closed = false;
        for (;;) {
          at = nextQuote(at);
          if (at >= length) {
            break;
          }
          if (at + 1 < length) {
            if (byteAt(at + 1) === QUOTE) {
              doubled = true;
              at += 2;
              continue;
            }
          } else if (!last) {
            // The next byte may be a quote doubling this one.
            at = length;
            break;
          }
          closed = true;
          break;
        }
        if (!closed) {
          if (!last) {
            break;
          }
          return fail(UNCLOSED_QUOTE, 0);
        }
        end = at;
        at += 1;
        if (at < length) {
          c = byteAt(at);
          if (c !== delimiter && c !== LF && c !== CR) {
            return fail(TEXT_AFTER_QUOTE, 0);
          }
        } else if (!last) {
          break;
        }
      } else {
        at = nextSpecial(at);
        if (at >= length) {
          if (!last) {
            break;
          }
        } else if (byteAt(at) === QUOTE) {
          return fail(QUOTE_IN_UNQUOTED, 0);
        }
        end = at;
      }
      if (typing) {
        if (field < columns) {
          observe(field, start, end, doubled);
        }
      } else if (field < TABLE_FIELDS) {
        store<i32>(HEADER_STARTS + ((field << 2) as usize), start);
        store<i32>(HEADER_ENDS + ((field << 2) as usize), end);
        store<u8>(HEADER_DOUBLED + (field as usize), doubled ? 1 : 0);
      }
      field += 1;
      if (at >= length) {
        // The input ends the last record.
        complete = true;
        break;
      }
      c = byteAt(at);
      at += 1;
      if (c === delimiter) {
        continue;
      }
      if (c === CR) {
        if (at < length) {
          if (byteAt(at) === LF) {
            at += 1;
          }
        } else if (!last) {
          skipLineFeed = true;
        }
      }
      complete = true;
      break;
    }
    if (!complete) {
      lineAtEnd = line;
      line = recordLine;
      return consumed;
    }
    if (!typing) {
      headerFields = field;
      line += 1;
      return at;
    }
    if (field !== columns) {
      return fail(FIELD_COUNT, field);
    }
    rows += 1;
    line += 1;
    consumed = at;
  }
  lineAtEnd = line;
  return consumed;
}

/**
 * Adds a value of column `k` to the column's type and nullability. Both only
 * ever widen, so the values of an incomplete record, seen again when the
 * record is scanned whole, change nothing the second time.
 */
function observe(k: i32, start: i32, end: i32, doubled: bool): void {
  if (start === end) {
    store<u8>(COLUMN_NULLABLE + (k as usize), 1);
    return;
  }
  const types = COLUMN_TYPES + (k as usize);
  const current = load<u8>(types);
  if (current === STRING) {
    return;
  }
  // A doubled quote is a quote in the value: not a number, date or boolean.
  const type =
    doubled || end - start > CLASSIFY_BYTES
      ? STRING
      : classify(INPUT + (start as usize), end - start);
  if (type !== current) {
    store<u8>(types, widen(current, type));
  }
}

function widen(a: u8, b: u8): u8 {
  if (a === NONE) {
    return b;
  }
  if ((a === INTEGER && b === NUMBER) || (a === NUMBER && b === INTEGER)) {
    return NUMBER;
  }
  if ((a === DATE && b === TIMESTAMP) || (a === TIMESTAMP && b === DATE)) {
    return TIMESTAMP;
  }
  return STRING;
}

// ---- Typing, byte for byte as ColumnTypeTracker's classify ----

const ZERO: i32 = 0x30;
const PLUS: i32 = 0x2b;
const MINUS: i32 = 0x2d;
const DOT: i32 = 0x2e;
const COLON: i32 = 0x3a;
const LOWER: i32 = 0x20;

function byteOf(p: usize, i: i32): i32 {
  return load<u8>((p + i) as usize) as i32;
}

function isDigit(c: i32): bool {
  return ((c - ZERO) as u32) <= 9;
}

function classify(p: usize, n: i32): u8 {
  const c0 = byteOf(p, 0);
  if (n <= 16) {
    // Integers and plain decimals, the most common typed values, from two
    // masks of the (at most 16) bytes: which are digits, which are dots.
    const v = v128.load(p);
    const all = (1 << n) - 1;
    const digits =
      i8x16.bitmask(
        i8x16.lt_u(i8x16.sub(v, i8x16.splat(ZERO as i8)), i8x16.splat(10)),
      ) & all;
    if (digits === all) {
      return n > 1 && c0 === ZERO ? STRING : INTEGER;
    }
    const dots = i8x16.bitmask(i8x16.eq(v, i8x16.splat(DOT as i8))) & all;
    if ((digits | dots) === all && popcnt(dots) === 1 && n > 1) {
      return ctz(dots) > 1 && c0 === ZERO ? STRING : NUMBER;
    }
  }
  if (isDigit(c0)) {
    let i = 1;
    while (i < n && isDigit(byteOf(p, i))) {
      i++;
    }
    if (i === n) {
      return n > 1 && c0 === ZERO ? STRING : INTEGER;
    }
    return classifyNumeric(p, n);
  }
  if (c0 === PLUS || c0 === MINUS || c0 === DOT) {
    return classifyNumeric(p, n);
  }
  if (n === 4) {
    return (byteOf(p, 0) | LOWER) === 0x74 &&
      (byteOf(p, 1) | LOWER) === 0x72 &&
      (byteOf(p, 2) | LOWER) === 0x75 &&
      (byteOf(p, 3) | LOWER) === 0x65
      ? BOOLEAN
      : STRING;
  }
  if (n === 5) {
    return (byteOf(p, 0) | LOWER) === 0x66 &&
      (byteOf(p, 1) | LOWER) === 0x61 &&
      (byteOf(p, 2) | LOWER) === 0x6c &&
      (byteOf(p, 3) | LOWER) === 0x73 &&
      (byteOf(p, 4) | LOWER) === 0x65
      ? BOOLEAN
      : STRING;
  }
  return STRING;
}

function classifyNumeric(p: usize, n: i32): u8 {
  if (n >= 10 && byteOf(p, 4) === MINUS && isDateAt(p)) {
    if (n === 10) {
      return DATE;
    }
    return isTimeFrom(p, 10, n) ? TIMESTAMP : STRING;
  }
  const c0 = byteOf(p, 0);
  let i = c0 === PLUS || c0 === MINUS ? 1 : 0;
  const firstDigit = i;
  while (i < n && isDigit(byteOf(p, i))) {
    i++;
  }
  const intDigits = i - firstDigit;
  if (intDigits > 1 && byteOf(p, firstDigit) === ZERO) {
    return STRING;
  }
  if (i === n) {
    return intDigits > 0 ? INTEGER : STRING;
  }
  let fracDigits = 0;
  if (byteOf(p, i) === DOT) {
    i++;
    const fracStart = i;
    while (i < n && isDigit(byteOf(p, i))) {
      i++;
    }
    fracDigits = i - fracStart;
  }
  if (intDigits + fracDigits === 0) {
    return STRING;
  }
  if (i < n && (byteOf(p, i) | LOWER) === 0x65) {
    i++;
    if (i < n && (byteOf(p, i) === PLUS || byteOf(p, i) === MINUS)) {
      i++;
    }
    const expStart = i;
    while (i < n && isDigit(byteOf(p, i))) {
      i++;
    }
    if (i === expStart) {
      return STRING;
    }
  }
  return i === n ? NUMBER : STRING;
}

/** The two-digit number at `p + at`, or -1. */
function twoDigits(p: usize, at: i32): i32 {
  const hi = byteOf(p, at) - ZERO;
  const lo = byteOf(p, at + 1) - ZERO;
  return (hi as u32) <= 9 && (lo as u32) <= 9 ? hi * 10 + lo : -1;
}

function daysIn(month: i32, leap: bool): i32 {
  if (month === 2) {
    return leap ? 29 : 28;
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** `YYYY-MM-DD` at `p`, a real calendar day. */
function isDateAt(p: usize): bool {
  if (byteOf(p, 7) !== MINUS) {
    return false;
  }
  const century = twoDigits(p, 0);
  const yy = twoDigits(p, 2);
  const month = twoDigits(p, 5);
  const day = twoDigits(p, 8);
  if (century < 0 || yy < 0 || month < 1 || month > 12 || day < 1) {
    return false;
  }
  if (day <= 28) {
    return true;
  }
  const year = century * 100 + yy;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= daysIn(month, leap);
}

/** `Thh:mm[:ss[.fff]][Z|±hh[:mm]]` (or a space for the T) from `from` to `n`. */
function isTimeFrom(p: usize, from: i32, n: i32): bool {
  let i = from;
  const t = byteOf(p, i);
  if (t !== 0x54 && t !== 0x74 && t !== 0x20) {
    return false;
  }
  i++;
  if (n - i < 5 || byteOf(p, i + 2) !== COLON) {
    return false;
  }
  const hour = twoDigits(p, i);
  const minute = twoDigits(p, i + 3);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) {
    return false;
  }
  i += 5;
  if (i < n && byteOf(p, i) === COLON) {
    if (n - i < 3) {
      return false;
    }
    const second = twoDigits(p, i + 1);
    if (second < 0 || second > 60) {
      return false;
    }
    i += 3;
    if (i < n && byteOf(p, i) === DOT) {
      i++;
      const start = i;
      while (i < n && isDigit(byteOf(p, i))) {
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
  const z = byteOf(p, i);
  if ((z | LOWER) === 0x7a) {
    return i + 1 === n;
  }
  if (z !== PLUS && z !== MINUS) {
    return false;
  }
  i++;
  const rest = n - i;
  if (rest === 2) {
    return twoDigits(p, i) >= 0;
  }
  if (rest === 4) {
    return twoDigits(p, i) >= 0 && twoDigits(p, i + 2) >= 0;
  }
  return (
    rest === 5 &&
    byteOf(p, i + 2) === COLON &&
    twoDigits(p, i) >= 0 &&
    twoDigits(p, i + 3) >= 0
  );
}
