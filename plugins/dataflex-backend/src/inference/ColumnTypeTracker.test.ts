import {
  classifyJson,
  classifyText,
  ColumnTypeTracker,
  widenType,
} from './ColumnTypeTracker';

describe('column type inference', () => {
  it.each([
    ['42', 'integer'],
    ['-7', 'integer'],
    ['0', 'integer'],
    ['007', 'string'],
    ['3.14', 'number'],
    ['1e6', 'number'],
    ['.5', 'number'],
    ['0.5', 'number'],
    ['TRUE', 'boolean'],
    ['false', 'boolean'],
    ['2024-02-29', 'date'],
    ['2023-02-29', 'string'],
    ['2024-02-29T12:00:00Z', 'timestamp'],
    ['2024-02-29 12:00:00.123+02:00', 'timestamp'],
    ['12:00', 'string'],
    ['hello', 'string'],
  ])('classifies the text %j as %s', (value, type) => {
    expect(classifyText(value)).toBe(type);
  });

  it.each([
    [1, 'integer'],
    [1.5, 'number'],
    [true, 'boolean'],
    ['2024-01-01', 'date'],
    ['42', 'string'],
    [{ a: 1 }, 'json'],
    [[1], 'json'],
  ])('classifies the JSON value %j as %s', (value, type) => {
    expect(classifyJson(value)).toBe(type);
  });

  it('widens to the type both values fit in', () => {
    expect(widenType('integer', 'number')).toBe('number');
    expect(widenType('date', 'timestamp')).toBe('timestamp');
    expect(widenType('integer', 'boolean')).toBe('string');
    expect(widenType('string', 'json')).toBe('json');
  });

  it('tracks a column: narrowest type and nullability', () => {
    const tracker = ColumnTypeTracker.create();
    expect(tracker.result(0)).toEqual({ type: 'string', nullable: false });
    tracker.observe('integer');
    tracker.observe('number');
    expect(tracker.result(2)).toEqual({ type: 'number', nullable: false });
    expect(tracker.result(3)).toEqual({ type: 'number', nullable: true });
  });
});
