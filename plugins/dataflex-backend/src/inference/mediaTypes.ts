import { DatasetFormat } from '@dataflex/backstage-plugin-dataflex-common';

/** The media type each format is served as. */
export const MEDIA_TYPES: Record<DatasetFormat, string> = {
  csv: 'text/csv',
  jsonl: 'application/x-ndjson',
  parquet: 'application/vnd.apache.parquet',
};
