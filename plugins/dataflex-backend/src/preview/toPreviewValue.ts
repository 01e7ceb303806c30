import { ColumnType } from '@dataflex/backstage-plugin-dataflex-common';

/**
 * A cell as JSON: CSV text typed by its column, Parquet values made
 * serialisable (64-bit integers, dates, bytes, nested values).
 */
export function toPreviewValue(value: unknown, type: ColumnType): unknown {
  if (value === null || value === undefined) {
    return null;
  }
  if (typeof value === 'string') {
    return fromText(value, type);
  }
  if (typeof value === 'bigint') {
    return Number.isSafeInteger(Number(value)) ? Number(value) : String(value);
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : String(value);
  }
  if (value instanceof Date) {
    const iso = value.toISOString();
    return type === 'date' ? iso.slice(0, 10) : iso;
  }
  if (value instanceof Uint8Array) {
    return Buffer.from(value).toString('base64');
  }
  if (Array.isArray(value)) {
    return value.map(v => toPreviewValue(v, 'json'));
  }
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, toPreviewValue(v, 'json')]),
    );
  }
  return value;
}

function fromText(value: string, type: ColumnType): unknown {
  if (value === '' && type !== 'string') {
    return null;
  }
  switch (type) {
    case 'integer': {
      const n = Number(value);
      return Number.isSafeInteger(n) ? n : value;
    }
    case 'number': {
      const n = Number(value);
      return Number.isFinite(n) ? n : value;
    }
    case 'boolean':
      return value.toLocaleLowerCase('en-US') === 'true';
    default:
      return value;
  }
}
