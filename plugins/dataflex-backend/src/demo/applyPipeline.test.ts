import { parseDemoPipeline } from '@dataflex/backstage-plugin-dataflex-common';
import { applyPipeline } from './applyPipeline';

const run = (pipeline: string, rows: Record<string, unknown>[]) =>
  applyPipeline(parseDemoPipeline(pipeline), rows);

describe('applyPipeline', () => {
  const messy = [
    { id: '1', email: '  ADA@Example.com ', value: '10.5', country: 'DE' },
    { id: '2', email: 'ada@example.com', value: '3', country: 'FR' },
    { id: '3', email: '', value: 'x', country: 'DE' },
    { id: '4', email: 'grace@example.org', value: '7', country: 'de' },
  ];

  it('cleans like the Customer Cleaning Pipeline: trim, lowercase, drop nulls, dedupe, cast, select', () => {
    expect(
      run(
        `
- trim: [email]
- lowercase: [email]
- dropNulls: [email]
- dedupe: [email]
- cast: { value: number, id: integer }
- select: [id, email, value]
`,
        messy,
      ),
    ).toEqual([
      { id: 1, email: 'ada@example.com', value: 10.5 },
      { id: 4, email: 'grace@example.org', value: 7 },
    ]);
  });

  it('filters by typed comparisons', () => {
    expect(
      run(
        '- cast: { value: number }\n- filter: { column: value, op: gte, value: 7 }',
        messy,
      ).map(r => r.id),
    ).toEqual(['1', '4']);
    expect(
      run('- filter: { column: country, op: eq, value: DE }', messy).map(
        r => r.id,
      ),
    ).toEqual(['1', '3']);
    expect(
      run('- filter: { column: country, op: ne, value: DE }', messy).map(
        r => r.id,
      ),
    ).toEqual(['2', '4']);
    expect(
      run(
        '- filter: { column: email, op: contains, value: example.ORG }',
        messy,
      ).map(r => r.id),
    ).toEqual(['4']);
    expect(
      run('- filter: { column: value, op: lt, value: 5 }', messy).map(
        r => r.id,
      ),
    ).toEqual(['2']);
  });

  it('renames, masks and limits', () => {
    expect(
      run(
        '- rename: { country: country_code }\n- mask: [email]\n- limit: 1',
        messy,
      ),
    ).toEqual([{ id: '1', email: '***', value: '10.5', country_code: 'DE' }]);
  });

  it('casts what it cannot parse to null instead of guessing', () => {
    expect(
      run('- cast: { value: integer, id: boolean, email: date }', [
        { id: 'maybe', value: '1.5', email: 'soon' },
      ]),
    ).toEqual([{ id: null, value: null, email: null }]);
    expect(
      run('- cast: { id: boolean, email: date }', [
        { id: 'yes', email: '2026-03-01T10:00:00Z' },
      ]),
    ).toEqual([{ id: true, email: '2026-03-01' }]);
  });

  it('dedupes whole rows when given no columns', () => {
    expect(run('- dedupe: []', [{ a: 1 }, { a: 1 }, { a: 2 }])).toEqual([
      { a: 1 },
      { a: 2 },
    ]);
  });

  it('names the step and the columns there are when a column is missing', () => {
    expect(() => run('- trim: [email]\n- select: [mail]', messy)).toThrow(
      "Demo pipeline step 2 (select): column 'mail' is not in the data; columns: id, email, value, country",
    );
  });

  it('never changes its input', () => {
    const input = [{ email: ' A ' }];
    run('- trim: [email]\n- mask: [email]', input);
    expect(input).toEqual([{ email: ' A ' }]);
  });
});
