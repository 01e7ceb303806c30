import { finished } from 'node:stream/promises';
import { createCsvParser } from '../inference/CsvInspector';
import { sniffCsvDelimiter } from '../inference/detectFormat';
import { PreviewSource } from './PreviewSource';

/**
 * The first rows of a CSV file from the first bytes only. When those bytes
 * stop mid-file, the last record read may be cut off, so it is dropped.
 */
export async function readCsvRows(source: PreviewSource): Promise<string[][]> {
  const { head, complete, limit } = source;
  const parser = createCsvParser(sniffCsvDelimiter(head));
  const records: string[][] = [];
  parser.on('data', (record: string[]) => records.push(record));
  let failed = false;
  parser.on('error', () => {
    failed = true;
  });
  parser.end(head);
  try {
    await finished(parser);
  } catch {
    failed = true;
  }
  if (failed && complete) {
    throw new Error('Stored CSV content no longer parses');
  }
  const rows = records.slice(1);
  if (!complete) {
    rows.pop();
  }
  return rows.slice(0, limit);
}
