import { CsvScanner } from '../inference/CsvScanner';
import { sniffCsvDelimiter } from '../inference/detectFormat';
import { MAX_RECORD_BYTES } from '../inference/FormatInspector';
import { PreviewSource } from './PreviewSource';

/**
 * The first rows of a CSV file from its first bytes only. A record is
 * reported once its line ends, so one cut off by the end of those bytes is
 * never returned.
 */
export async function readCsvRows(source: PreviewSource): Promise<string[][]> {
  const { head, complete, limit } = source;
  const rows: string[][] = [];
  let current: string[] = [];
  let header = true;
  const scanner = CsvScanner.create({
    delimiter: sniffCsvDelimiter(head),
    handler: {
      collect: () => (header || rows.length < limit ? MAX_RECORD_BYTES : 0),
      field: (_, value, start, end) => {
        current.push(value ? value.toString('utf8', start, end) : '');
      },
      record: () => {
        if (header) {
          header = false;
        } else if (rows.length < limit) {
          rows.push(current);
        }
        current = [];
      },
    },
  });
  scanner.write(head);
  if (complete) {
    scanner.end();
  }
  return rows;
}
