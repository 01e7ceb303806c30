import { ColumnType } from '@dataflex/backstage-plugin-dataflex-common';
import { JsonLinesInspector } from './JsonLinesInspector';
import { inspectHoweverCut } from './__testUtils__/inspectHoweverCut';
import { pick, random, Random } from './__testUtils__/random';
import { referenceType, widen } from './__testUtils__/referenceType';

// A differential test: random JSON Lines files, fed in chunks split
// everywhere, must give what parsing each whole line with JSON.parse and
// typing the parsed values plainly gives, errors included.

function referenceValueType(value: unknown): ColumnType | undefined {
  if (value === null) {
    return undefined;
  }
  if (typeof value === 'boolean') {
    return 'boolean';
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) ? 'integer' : 'number';
  }
  if (typeof value === 'string') {
    const type = referenceType(value);
    return type === 'date' || type === 'timestamp' ? type : 'string';
  }
  return 'json';
}

function referenceInspection(input: Buffer) {
  const lines = input
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split('\n');
  if (lines[lines.length - 1] === '') {
    lines.pop();
  }
  const columns = new Map<string, { types: Set<ColumnType>; rows: number }>();
  let rows = 0;
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') {
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      return {
        error: `Line ${index + 1} is not valid JSON: ${
          (error as Error).message
        }`,
      };
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return {
        error: `Line ${
          index + 1
        } is not a JSON object; JSON Lines needs one object per line`,
      };
    }
    rows += 1;
    for (const [key, field] of Object.entries(value)) {
      if (!columns.has(key)) {
        columns.set(key, { types: new Set(), rows: 0 });
      }
      const type = referenceValueType(field);
      if (type) {
        columns.get(key)!.types.add(type);
        columns.get(key)!.rows += 1;
      }
    }
  }
  return {
    result: {
      format: 'jsonl',
      rowCount: rows,
      columns: [...columns].map(([name, column]) => ({
        name,
        type: widen(column.types),
        nullable: column.rows < rows,
      })),
    },
  };
}

const KEYS = [
  'id',
  'name',
  'when',
  'amount',
  'ü',
  '__proto__',
  '7',
  '01',
  'a"b',
  'tab\tkey',
  '\ud800',
  '😀',
];
const STRINGS = [
  'plain',
  '2024-02-29',
  '2023-02-29',
  '2024-02-29T12:00:00Z',
  '2024-02-29 12:00',
  '42',
  '',
  'Zoë',
  'line\nbreak',
  'quote"d',
  '\u0000',
  '\ud83d',
];
// Raw JSON texts of values, valid and not.
const RAW_VALUES = [
  '0',
  '-0',
  '7',
  '-12',
  '1.0',
  '1.50',
  '0.5',
  '1e2',
  '1E-2',
  '2.5e+3',
  '1e400',
  '1.0000000000000001',
  '123456789012345',
  '1234567890123456789',
  '9007199254740993.5',
  'true',
  'false',
  'null',
  '{}',
  '[]',
  '{"a":[1,{"b":null}],"c":"d"}',
  '[1, "two", [3.5e1], {"x": true}]',
  '"2024\\u002d02-29"',
  '"esc\\"aped\\\\"',
  '"\\ud800"',
  // Invalid:
  '01',
  '1.',
  '.5',
  '-',
  '+1',
  '1e',
  'tru',
  'nul',
  'True',
  'NaN',
  '"unterminated',
  '"bad \\x escape"',
  '[1,]',
  '{"a":1,}',
  '{"a"}',
  '[1 2]',
  "'single'",
];

function randomValue(next: Random): string {
  const r = next();
  if (r < 0.35) {
    return JSON.stringify(pick(next, STRINGS));
  }
  if (r < 0.45) {
    return JSON.stringify(Math.floor(next() * 1e6) / pick(next, [1, 100]));
  }
  const raw = pick(next, RAW_VALUES);
  // Invalid ones rarely, so that most files are read to the end.
  return RAW_VALUES.indexOf(raw) >= RAW_VALUES.indexOf('01') && next() < 0.8
    ? 'null'
    : raw;
}

function randomJsonl(next: Random): Buffer {
  const space = () => pick(next, ['', '', '', ' ', '\t', ' \r', '  ']);
  const keys = Array.from({ length: 1 + Math.floor(next() * 5) }, () =>
    pick(next, KEYS),
  );
  let out = next() < 0.2 ? '\uFEFF' : '';
  const lines = 1 + Math.floor(next() * 10);
  for (let l = 0; l < lines; l++) {
    const r = next();
    if (r < 0.05) {
      out += pick(next, ['', ' ', '\t', '\r', '\f', '\u00a0']);
    } else if (r < 0.08) {
      out += pick(next, ['42', '[1]', '"x"', 'null', '{', '{}x', '} {']);
    } else {
      const present = keys.filter(() => next() < 0.85);
      if (next() < 0.05 && present.length > 0) {
        present.push(present[0]);
      }
      if (next() < 0.1) {
        present.reverse();
      }
      out += `${space()}{${present
        .map(
          key =>
            `${space()}${JSON.stringify(key)}${space()}:${space()}${randomValue(
              next,
            )}${space()}`,
        )
        .join(',')}}${space()}`;
    }
    if (l < lines - 1 || next() < 0.7) {
      out += next() < 0.3 ? '\r\n' : '\n';
    }
  }
  return Buffer.from(out);
}

describe('JsonLinesInspector against JSON.parse', () => {
  it('infers the same from random files however they are chunked', async () => {
    const next = random(6);
    const outcomes = { valid: 0, invalid: 0 };
    for (let n = 0; n < 500; n++) {
      const input = randomJsonl(next);
      const expected = referenceInspection(input);
      outcomes[expected.error ? 'invalid' : 'valid'] += 1;
      const inspections = await inspectHoweverCut({
        create: () => JsonLinesInspector.create(),
        input,
        next,
        everywhere: n < 60,
      });
      for (const inspection of inspections) {
        const { context, cuts } = inspection;
        expect(inspection).toEqual({ context, cuts, ...expected });
      }
    }
    // Both kinds of file are common enough to test something.
    expect(outcomes.valid).toBeGreaterThan(150);
    expect(outcomes.invalid).toBeGreaterThan(50);
  });
});
