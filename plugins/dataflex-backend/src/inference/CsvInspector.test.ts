import { classifyBytes, classifyText } from './ColumnTypeTracker';
import { CsvInspector } from './CsvInspector';
import { CsvScanner } from './CsvScanner';
import { MAX_COLUMNS } from './FormatInspector';
import { referenceType, widen } from './__testUtils__/referenceType';
import { pick, random, Random } from './__testUtils__/random';
import { inspectHoweverCut } from './__testUtils__/inspectHoweverCut';

// A differential test: random CSV files, fed in chunks split everywhere, must
// give exactly what a plain reference reading of the whole text gives. The
// reference below is written for clarity, not speed: a character loop over
// the decoded text for the records, regular expressions for the types.

// ---- The reference ----

interface ReferenceRecord {
  fields: string[];
  line: number;
}

/** The records of a whole CSV text, or the error message reading it gives. */
function referenceRecords(
  bytes: Buffer,
  delimiter: string,
): { records: ReferenceRecord[]; error?: string } {
  let text = bytes.toString('utf8');
  if (text.startsWith('\uFEFF')) {
    text = text.slice(1);
  }
  const records: ReferenceRecord[] = [];
  const malformed = (why: string, line: number) => ({
    records,
    error: `The file is not valid CSV: ${why} (line ${line})`,
  });
  let line = 1;
  let fields: string[] = [];
  let field = '';
  let inField = false;
  let pos = 0;
  const endRecord = () => {
    if (inField || fields.length > 0) {
      fields.push(field);
      records.push({ fields, line });
    }
    fields = [];
    field = '';
    inField = false;
  };
  while (pos < text.length) {
    const c = text[pos];
    if (c === '"' && !inField) {
      // A quoted field: up to the quote not followed by another.
      inField = true;
      pos += 1;
      for (;;) {
        if (pos >= text.length) {
          return malformed('a quoted field is never closed', line);
        }
        if (text[pos] === '"') {
          if (text[pos + 1] === '"') {
            field += '"';
            pos += 2;
            continue;
          }
          pos += 1;
          break;
        }
        if (text[pos] === '\n') {
          line += 1;
        }
        field += text[pos];
        pos += 1;
      }
      const after = text[pos];
      if (
        after !== undefined &&
        after !== delimiter &&
        after !== '\n' &&
        after !== '\r'
      ) {
        return malformed(
          'text follows the closing quote of a field; double quotes inside a quoted field',
          line,
        );
      }
      continue;
    }
    if (c === delimiter) {
      fields.push(field);
      field = '';
      inField = false;
      pos += 1;
    } else if (c === '\n' || c === '\r') {
      endRecord();
      line += 1;
      pos += c === '\r' && text[pos + 1] === '\n' ? 2 : 1;
    } else if (c === '"') {
      return malformed(
        'a quote appears inside an unquoted field; quote the whole field and double the quotes inside it',
        line,
      );
    } else {
      field += c;
      inField = true;
      pos += 1;
    }
  }
  endRecord();
  return { records };
}

/** What inspecting a whole CSV text should give, or its error message. */
function referenceInspection(bytes: Buffer, delimiter: string) {
  const { records, error } = referenceRecords(bytes, delimiter);
  // Errors come in file order: a record's problem before a later malformation.
  const [header, ...rows] = records;
  if (header) {
    if (header.fields.length > MAX_COLUMNS) {
      return {
        error: `The CSV header has ${header.fields.length} columns; at most ${MAX_COLUMNS} are supported`,
      };
    }
    const names = header.fields.map((f, i) => f.trim() || `column_${i + 1}`);
    const twice = names.find((name, i) => names.indexOf(name) !== i);
    if (twice !== undefined) {
      return {
        error: `The CSV header names the column '${twice}' more than once`,
      };
    }
    for (const row of rows) {
      if (row.fields.length !== names.length) {
        return {
          error: `The file is not valid CSV: line ${row.line} has ${row.fields.length} fields but the header has ${names.length}`,
        };
      }
    }
    if (error) {
      return { error };
    }
    return {
      result: {
        format: 'csv',
        rowCount: rows.length,
        columns: names.map((name, i) => {
          const values = rows.map(r => r.fields[i]);
          const types = new Set(
            values
              .filter(v => v !== '')
              .map(v =>
                Buffer.byteLength(v) > 40 ? 'string' : referenceType(v),
              ),
          );
          return {
            name,
            type: widen(types),
            nullable: values.some(v => v === ''),
          };
        }),
      },
    };
  }
  return {
    error:
      error ??
      'The CSV file has no header row: the first line must name the columns',
  };
}

// ---- Random input ----

const VALUES: Record<string, string[]> = {
  integer: ['0', '7', '-0', '+1', '42', '-12345', '9007199254740993', '10'],
  number: ['1.5', '.5', '-.5', '1.', '0.0', '1e5', '1E+05', '-2.5e-3', '3e0'],
  boolean: ['true', 'FALSE', 'True', 'fAlSe'],
  date: ['2024-02-29', '2023-12-31', '0000-02-29', '1999-01-01', '2400-02-29'],
  timestamp: [
    '2024-02-29T23:59:60Z',
    '2024-02-29 12:00',
    '2024-02-29t12:00:00.123456789+0530',
    '2025-01-01T08:16:12.295Z',
    '2024-03-01T10:00:00-02',
    '2024-03-01 00:00:00+02:00',
  ],
  tricky: [
    '00',
    '007',
    '-01',
    '.',
    '-',
    '+',
    '1e',
    'e5',
    '1.2.3',
    '2023-02-29',
    '2100-02-29',
    '2024-13-01',
    '2024-00-10',
    '2024-02-29T24:00',
    '2024-02-29T12:60',
    '2024-02-29T12:00:61',
    '2024-02-29T12:00:00.1234567890',
    '2024-02-29T12:00:00.',
    '2024-02-29T12:00Z1',
    '2024-02-29T12:00+1',
    '2024-02-29X',
    '12:00',
    'yes',
    'truex',
    'Zoë',
    '日本語',
    '1'.repeat(40),
    '1'.repeat(41),
    `2024-02-29T12:00:00.123456789+05:30${' '.repeat(5)}`,
    ' 1',
    '1 ',
  ],
  text: ['a', 'hello world', 'x;y', 'tab\there', 'a|b', 'C0571362'],
  special: ['a,b', 'say "hi"', '"', 'multi\nline', 'cr\rinside', 'crlf\r\n'],
};
const KINDS = Object.keys(VALUES);

function randomCsv(next: Random, delimiter: string): Buffer {
  const columns = 1 + Math.floor(next() * 5);
  const kinds = Array.from({ length: columns }, () => pick(next, KINDS));
  const value = (column: number) => {
    const r = next();
    if (r < 0.1) {
      return '';
    }
    return pick(next, VALUES[(r < 0.8 && kinds[column]) || pick(next, KINDS)]);
  };
  const cell = (text: string) => {
    const mustQuote = /["\r\n]/.test(text) || text.includes(delimiter);
    return mustQuote || next() < 0.15 ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lineEnd = () => pick(next, ['\n', '\r\n', '\r']);
  let out = next() < 0.2 ? '\uFEFF' : '';
  const header = Array.from({ length: columns }, (_, i) =>
    next() < 0.1 ? ' ' : `c${i}`,
  );
  out += header.map(cell).join(delimiter) + lineEnd();
  const rows = Math.floor(next() * 12);
  for (let r = 0; r < rows; r++) {
    if (next() < 0.1) {
      out += lineEnd();
    }
    let width = columns;
    if (next() < 0.03) {
      width += next() < 0.5 ? -1 : 1;
    }
    out += Array.from({ length: Math.max(width, 1) }, (_, c) =>
      cell(value(c)),
    ).join(delimiter);
    if (r < rows - 1 || next() < 0.7) {
      out += lineEnd();
    }
  }
  if (next() < 0.05) {
    // Something malformed somewhere.
    const at = Math.floor(next() * (out.length + 1));
    out =
      out.slice(0, at) + pick(next, ['"', 'x"', '"x', '""x']) + out.slice(at);
  }
  return Buffer.from(out);
}

/** The typed forms, random strings of their characters and mutations. */
function typingSamples(): string[] {
  const next = random(7);
  const alphabet = '0123456789+-.eE:TtZz -';
  const samples = [...Object.values(VALUES).flat()];
  for (let i = 0; i < 20000; i++) {
    const length = Math.floor(next() * 20);
    samples.push(
      Array.from({ length }, () => pick(next, [...alphabet])).join(''),
    );
    // Mutations of the typed forms reach the edge cases more often.
    const base = pick(next, samples);
    const at = Math.floor(next() * (base.length + 1));
    samples.push(
      base.slice(0, at) + pick(next, [...alphabet, '']) + base.slice(at + 1),
    );
  }
  return samples;
}

describe('CsvInspector against a reference reading', () => {
  it('types random values as the reference does, from text and from bytes', () => {
    const wrong = [];
    for (const sample of typingSamples()) {
      const bytes = Buffer.from(`,${sample},`);
      const expected = referenceType(sample);
      const fromText = classifyText(sample);
      const fromBytes = classifyBytes(bytes, 1, bytes.length - 1);
      if (fromText !== expected || fromBytes !== expected) {
        wrong.push({ sample, expected, fromText, fromBytes });
      }
    }
    expect(wrong).toEqual([]);
  });

  it('types random values in files as the reference does', async () => {
    const samples = typingSamples().filter(sample => sample !== '');
    const wrong: Array<{ cell: string; expected: string; actual: string }> = [];
    // A row of up to MAX_COLUMNS values, each alone in its column, unquoted
    // (where it can be) and quoted: the kernel finds the end of each kind
    // its own way.
    for (let from = 0; from < samples.length; from += MAX_COLUMNS) {
      const row = samples.slice(from, from + MAX_COLUMNS);
      const header = row.map((_, i) => `c${i}`).join(',');
      for (const quoteAll of [false, true]) {
        const cells = row.map(sample =>
          quoteAll || /[",\r\n]/.test(sample)
            ? `"${sample.replace(/"/g, '""')}"`
            : sample,
        );
        const inspector = CsvInspector.create({ delimiter: ',' });
        await inspector.write(Buffer.from(`${header}\n${cells.join(',')}\n`));
        const { columns } = await inspector.end();
        row.forEach((sample, i) => {
          const expected =
            Buffer.byteLength(sample) > 40 ? 'string' : referenceType(sample);
          if (columns[i].type !== expected) {
            wrong.push({ cell: cells[i], expected, actual: columns[i].type });
          }
        });
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refuses a record past the size limit instead of holding it', async () => {
    const inspector = CsvInspector.create({ delimiter: ',' });
    await inspector.write(Buffer.from('a,b\n1,"'));
    // A quoted value that never ends: two lines per chunk.
    const chunk = Buffer.from(`${'x'.repeat(512 * 1024)}\n`.repeat(2));
    await expect(
      (async () => {
        for (let i = 0; i < 5; i++) {
          await inspector.write(chunk);
        }
      })(),
    ).rejects.toThrow('The record on line 10 is longer than 4194304 bytes');
  });

  it('reads a record just under the size limit, however it arrives', async () => {
    const value = 'y'.repeat(4 * 1024 * 1024 - 16);
    const input = Buffer.from(`a,b\n1,${value}\n2,z\n`);
    for (const size of [64 * 1024, 1024 * 1024, input.length]) {
      const inspector = CsvInspector.create({ delimiter: ',' });
      for (let from = 0; from < input.length; from += size) {
        await inspector.write(input.subarray(from, from + size));
      }
      await expect(inspector.end()).resolves.toEqual({
        format: 'csv',
        columns: [
          { name: 'a', type: 'integer', nullable: false },
          { name: 'b', type: 'string', nullable: false },
        ],
        rowCount: 2,
      });
    }
  });

  it('infers the same from random files however they are chunked', async () => {
    const next = random(20261122);
    for (let n = 0; n < 400; n++) {
      const delimiter = pick(next, [',', ',', ';', '\t', '|']);
      const input = randomCsv(next, delimiter);
      const expected = referenceInspection(input, delimiter);
      const inspections = await inspectHoweverCut({
        create: () => CsvInspector.create({ delimiter }),
        input,
        next,
        everywhere: n < 60,
      });
      for (const inspection of inspections) {
        const { context, cuts } = inspection;
        expect(inspection).toEqual({ context, cuts, ...expected });
      }
    }
  });

  it('hands every handler the same records, with or without plainRecord', () => {
    const next = random(99);
    for (let n = 0; n < 300; n++) {
      const delimiter = pick(next, [',', ';']);
      const input = randomCsv(next, delimiter);
      const expected = referenceRecords(input, delimiter);
      for (const plain of [false, true]) {
        const records: ReferenceRecord[] = [];
        let current: string[] = [];
        const scanner = CsvScanner.create({
          delimiter,
          handler: {
            collect: () => 1 << 20,
            field: (_, value, start, end) =>
              current.push(value ? value.toString('utf8', start, end) : ''),
            record: (fields, line) => {
              expect(current).toHaveLength(fields);
              records.push({ fields: current, line });
              current = [];
            },
            ...(plain
              ? {
                  plainRecord: (chunk, starts, ends, fields, line) => {
                    // Fields handed over one by one belong to no record.
                    const values = current.length > 0 ? ['stray fields'] : [];
                    for (let k = 0; k < fields; k++) {
                      values.push(chunk.toString('utf8', starts[k], ends[k]));
                    }
                    records.push({ fields: values, line });
                  },
                }
              : {}),
          },
        });
        let error: string | undefined;
        try {
          let from = 0;
          while (from < input.length) {
            const to = from + 1 + Math.floor(next() * 16);
            scanner.write(input.subarray(from, to));
            from = to;
          }
          scanner.end();
        } catch (e) {
          error = (e as Error).message;
        }
        const context = JSON.stringify(input.toString('utf8'));
        expect({
          context,
          ...(error ? { error } : { records }),
        }).toEqual({
          context,
          ...(expected.error
            ? { error: expected.error }
            : { records: expected.records }),
        });
      }
    }
  });
});
