import { InputError } from '@backstage/errors';
import {
  UnsupportedMediaTypeError,
  UnprocessableContentError,
} from '../service/errors';
import { ContentInspector } from './ContentInspector';

/** Feeds `content` in chunks of `size` bytes, splitting records and characters. */
async function inspect(content: string | Buffer, size = 7) {
  const bytes = Buffer.from(content);
  const inspector = ContentInspector.create({
    allowedFormats: ['csv', 'jsonl', 'parquet'],
  });
  for (let i = 0; i < bytes.length; i += size) {
    await inspector.write(bytes.subarray(i, i + size));
  }
  return inspector.end();
}

describe('ContentInspector', () => {
  it('infers CSV columns and rows across chunk boundaries, quotes and multi-byte characters', async () => {
    const csv =
      '\uFEFFid,name,joined,score,active,seen_at\r\n' +
      '1,"Zoë, ""the"" first",2024-02-29,1.5,TRUE,2024-03-01T10:00:00Z\r\n' +
      '2,"multi\nline",2024-03-01,2,false,2024-03-01 11:00\r\n' +
      '3,Łukasz,,-3e2,true,\r\n';

    for (const size of [1, 3, 7, 4096]) {
      expect(await inspect(csv, size)).toEqual({
        format: 'csv',
        rowCount: 3,
        columns: [
          { name: 'id', type: 'integer', nullable: false },
          { name: 'name', type: 'string', nullable: false },
          { name: 'joined', type: 'date', nullable: true },
          { name: 'score', type: 'number', nullable: false },
          { name: 'active', type: 'boolean', nullable: false },
          { name: 'seen_at', type: 'timestamp', nullable: true },
        ],
      });
    }
  });

  it('sniffs semicolon and tab delimiters from the header', async () => {
    const semicolon = await inspect('a;b;c\n1;2,5;x\n');
    const tab = await inspect('a\tb\n1\t2\n');
    expect(semicolon.columns.map(c => c.name)).toEqual(['a', 'b', 'c']);
    expect(semicolon.columns[1].type).toBe('string');
    expect(tab.columns.map(c => c.name)).toEqual(['a', 'b']);
  });

  it('keeps leading-zero codes and invalid dates as strings', async () => {
    const result = await inspect(
      'zip,day\n01234,2024-02-30\n98765,2024-01-01\n',
    );
    expect(result.columns).toEqual([
      { name: 'zip', type: 'string', nullable: false },
      { name: 'day', type: 'string', nullable: false },
    ]);
  });

  it('counts zero rows for a header-only CSV and names blank headers', async () => {
    expect(await inspect('a,,c\n')).toEqual({
      format: 'csv',
      rowCount: 0,
      columns: [
        { name: 'a', type: 'string', nullable: false },
        { name: 'column_2', type: 'string', nullable: false },
        { name: 'c', type: 'string', nullable: false },
      ],
    });
  });

  it('infers JSON Lines keys in order of appearance, nullable when missing or null', async () => {
    const jsonl =
      '{"id":1,"v":1,"when":"2024-01-01","meta":{"a":1}}\r\n\n' +
      '{"id":2,"v":2.5,"when":"2024-01-02","extra":"x"}\n' +
      '{"id":3,"v":null,"when":"2024-01-03T00:00:00Z","meta":"text"}';
    expect(await inspect(jsonl, 5)).toEqual({
      format: 'jsonl',
      rowCount: 3,
      columns: [
        { name: 'id', type: 'integer', nullable: false },
        { name: 'v', type: 'number', nullable: true },
        { name: 'when', type: 'timestamp', nullable: false },
        { name: 'meta', type: 'json', nullable: true },
        { name: 'extra', type: 'string', nullable: true },
      ],
    });
  });

  it('recognises Parquet by its magic bytes and checks its tail only', async () => {
    const footer = Buffer.alloc(8);
    footer.writeUInt32LE(4, 0);
    footer.write('PAR1', 4);
    const parquet = Buffer.concat([
      Buffer.from('PAR1'),
      Buffer.alloc(20),
      footer,
    ]);
    expect(await inspect(parquet, 3)).toEqual({
      format: 'parquet',
      columns: [],
    });
    await expect(
      inspect(Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(20)])),
    ).rejects.toThrow(UnprocessableContentError);
  });

  it.each([
    ['', InputError, /empty/],
    ['[1,2,3]', UnsupportedMediaTypeError, /JSON document/],
    ['\u0000\u0001\u0002', UnsupportedMediaTypeError, /binary/],
    ['a,b\n1,"2\n', UnprocessableContentError, /quoted field is never closed/],
    [
      'a,b\n1,2,3\n',
      UnprocessableContentError,
      /line 2 has 3 fields but the header has 2/,
    ],
    ['{"a":1}\n42\n', UnprocessableContentError, /Line 2 is not a JSON object/],
  ])('refuses %j', async (content, type, message) => {
    const result = inspect(content);
    await expect(result).rejects.toThrow(type);
    await expect(inspect(content)).rejects.toThrow(message);
  });

  it('refuses a disallowed format as soon as it is detected', async () => {
    const inspector = ContentInspector.create({ allowedFormats: ['parquet'] });
    await expect(
      inspector.write(Buffer.from(`a,b\n${'1,2\n'.repeat(2000)}`)),
    ).rejects.toThrow('CSV uploads are not allowed here; allowed: Parquet');
  });

  it('refuses a record that grows without bound instead of buffering it', async () => {
    const inspector = ContentInspector.create({ allowedFormats: ['jsonl'] });
    const chunk = Buffer.from(`{"a":"${'x'.repeat(1024 * 1024)}`);
    await inspector.write(chunk);
    const more = Buffer.from('x'.repeat(1024 * 1024));
    await expect(
      (async () => {
        for (let i = 0; i < 5; i++) {
          await inspector.write(more);
        }
      })(),
    ).rejects.toThrow(/Line 1 is longer than/);
  });
});
