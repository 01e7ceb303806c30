import { parse } from 'csv-parse/sync';
import { UnprocessableContentError } from '../service/errors';
import { CsvScanner } from './CsvScanner';

/** Every record as strings, feeding `input` in chunks of `size` bytes. */
function scan(input: string | Buffer, size: number, delimiter = ',') {
  const records: Array<{ fields: string[]; line: number }> = [];
  let current: string[] = [];
  const scanner = CsvScanner.create({
    delimiter,
    handler: {
      collect: () => 1024,
      field: (_, value, start, end) =>
        current.push(value!.toString('utf8', start, end)),
      record: (fields, line) => {
        expect(current).toHaveLength(fields);
        records.push({ fields: current, line });
        current = [];
      },
    },
  });
  const bytes = Buffer.from(input);
  for (let i = 0; i < bytes.length; i += size) {
    scanner.write(bytes.subarray(i, i + size));
  }
  scanner.end();
  return records;
}

const valid = [
  'a,b,c\n1,2,3\n',
  'a,b\r\n1,2\r\n3,4',
  'a,b\r1,2\r',
  '\uFEFFa,b\n1,2\n',
  'a,b\n\n\n1,2\n\n',
  'a,b\n"x, y","say ""hi"""\n',
  'a,b\n"multi\nline\r\ntext",2\n',
  'a,b\n"",\n,""\n',
  'a,b,c\n1,,\n',
  'name\nZoë\n日本語\n',
  'a\n"""quoted"""\n',
];

describe('CsvScanner', () => {
  it.each(valid)('reads %j as csv-parse does, however it is chunked', input => {
    const expected = parse(input, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as string[][];
    for (const size of [1, 2, 3, 5, 64]) {
      expect(scan(input, size).map(r => r.fields)).toEqual(expected);
    }
  });

  it('reports the line each record ends on, counting line breaks inside quotes', () => {
    expect(scan('a,b\n"x\ny",1\n\nz,2\n', 4).map(r => r.line)).toEqual([
      1, 3, 5,
    ]);
  });

  it('honours another delimiter', () => {
    expect(scan('a;b\n"1;5";2\n', 3, ';').map(r => r.fields)).toEqual([
      ['a', 'b'],
      ['1;5', '2'],
    ]);
  });

  it.each([
    ['a,b\n1,"2\n', /a quoted field is never closed/],
    ['a,b\n1,x"y\n', /a quote appears inside an unquoted field.*\(line 2\)/],
    ['a,b\n"1"x,2\n', /text follows the closing quote of a field.*\(line 2\)/],
  ])('refuses %j', (input, message) => {
    expect(() => scan(input, 2)).toThrow(UnprocessableContentError);
    expect(() => scan(input, 2)).toThrow(message);
  });

  it('refuses a record past the size limit instead of holding it', () => {
    const scanner = CsvScanner.create({
      delimiter: ',',
      handler: { collect: () => 0, field: () => {}, record: () => {} },
    });
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    expect(() => {
      for (let i = 0; i < 5; i++) {
        scanner.write(chunk);
      }
    }).toThrow(/line 1 is longer than/);
  });

  it('hands over no bytes it was not asked for, and nothing past the limit', () => {
    const seen: Array<string | undefined> = [];
    const scanner = CsvScanner.create({
      delimiter: ',',
      handler: {
        collect: index => (index === 0 ? 3 : 0),
        field: (_, value, start, end, empty) =>
          seen.push(
            value
              ? value.toString('utf8', start, end)
              : `${empty ? 'empty' : 'skipped'}`,
          ),
        record: () => {},
      },
    });
    scanner.write(Buffer.from('abc,def\nabcd,\n'));
    scanner.end();
    expect(seen).toEqual(['abc', 'skipped', 'skipped', 'empty']);
  });
});
