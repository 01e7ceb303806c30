import { toPreviewValue } from './toPreviewValue';

describe('toPreviewValue', () => {
  it('types CSV text by its column', () => {
    expect(toPreviewValue('42', 'integer')).toBe(42);
    expect(toPreviewValue('12345678901234567890', 'integer')).toBe(
      '12345678901234567890',
    );
    expect(toPreviewValue('1.5', 'number')).toBe(1.5);
    expect(toPreviewValue('TRUE', 'boolean')).toBe(true);
    expect(toPreviewValue('', 'integer')).toBeNull();
    expect(toPreviewValue('', 'string')).toBe('');
    expect(toPreviewValue('2024-01-01', 'date')).toBe('2024-01-01');
  });

  it('makes Parquet values JSON', () => {
    expect(toPreviewValue(7n, 'integer')).toBe(7);
    expect(toPreviewValue(2n ** 60n, 'integer')).toBe('1152921504606846976');
    expect(toPreviewValue(new Date('2024-01-02T03:04:05Z'), 'timestamp')).toBe(
      '2024-01-02T03:04:05.000Z',
    );
    expect(toPreviewValue(new Date('2024-01-02T00:00:00Z'), 'date')).toBe(
      '2024-01-02',
    );
    expect(toPreviewValue(new Uint8Array([1, 2, 3]), 'binary')).toBe('AQID');
    expect(toPreviewValue({ a: [1n, null] }, 'json')).toEqual({ a: [1, null] });
    expect(toPreviewValue(Number.NaN, 'number')).toBe('NaN');
    expect(toPreviewValue(undefined, 'string')).toBeNull();
  });
});
