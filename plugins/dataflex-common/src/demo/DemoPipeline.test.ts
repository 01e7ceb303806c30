import { parseDemoPipeline } from './DemoPipeline';

describe('parseDemoPipeline', () => {
  it('parses every kind of step', () => {
    expect(
      parseDemoPipeline(`
- trim: [full_name, email]
- lowercase: [email]
- dropNulls: [email]
- dedupe: [email]
- cast: { lifetime_value: number }
- filter: { column: country, op: eq, value: DE }
- rename: { iso2: country_code }
- mask: [email]
- select: [email, country]
- limit: 10
`),
    ).toEqual([
      { trim: ['full_name', 'email'] },
      { lowercase: ['email'] },
      { dropNulls: ['email'] },
      { dedupe: ['email'] },
      { cast: { lifetime_value: 'number' } },
      { filter: { column: 'country', op: 'eq', value: 'DE' } },
      { rename: { iso2: 'country_code' } },
      { mask: ['email'] },
      { select: ['email', 'country'] },
      { limit: 10 },
    ]);
  });

  it.each([
    ['- trim: [a', /not valid YAML/],
    ['trim: [a]', /non-empty YAML list/],
    ['[]', /non-empty YAML list/],
    [
      '- explode: [a]',
      /step 1 'explode' is not a step; allowed: select, rename/,
    ],
    [
      '- trim: [a]\n  lowercase: [a]',
      /step 1 must be an object with exactly one of/,
    ],
    ['- trim: []', /step 1 \(trim\) must be a non-empty list of column names/],
    [
      '- select: [a]\n- cast: { a: float }',
      /step 2 \(cast\) 'a' must be one of integer, number/,
    ],
    ['- filter: { column: a, op: like, value: x }', /op must be one of eq, ne/],
    [
      '- filter: { column: a, op: eq, value: [1] }',
      /value must be a string, number or boolean/,
    ],
    [
      '- filter: { column: a, op: eq, value: 1, extra: 2 }',
      /unknown keys extra/,
    ],
    ['- limit: 0', /step 1 \(limit\) must be a positive whole number/],
    ['- limit: 2.5', /positive whole number/],
    ['- rename: { a: "" }', /'a' must map to a non-empty column name/],
  ])('rejects %j with a message naming the step', (text, message) => {
    expect(() => parseDemoPipeline(text)).toThrow(message);
  });

  it('caps the number of steps', () => {
    expect(() => parseDemoPipeline('- limit: 1\n'.repeat(51))).toThrow(
      /at most 50/,
    );
  });
});
