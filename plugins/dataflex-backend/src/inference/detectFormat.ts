import { DatasetFormat } from '@dataflex/backstage-plugin-dataflex-common';

/** How many leading bytes format detection and CSV dialect sniffing look at. */
export const SNIFF_BYTES = 4096;

/**
 * What the first bytes of a file look like. `json` (a JSON document such as
 * an array) and `binary` are recognised only to be refused with a clear
 * message.
 */
export type DetectedFormat = DatasetFormat | 'json' | 'binary';

const PARQUET_MAGIC = Buffer.from('PAR1');
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Detects the format from the content itself, never from a client's
 * Content-Type or file name: Parquet by its magic number, JSON Lines by a
 * leading `{`, anything else that is text as CSV.
 */
export function detectFormat(head: Buffer): DetectedFormat {
  if (head.subarray(0, 4).equals(PARQUET_MAGIC)) {
    return 'parquet';
  }
  const text = stripBom(head.subarray(0, SNIFF_BYTES));
  if (text.includes(0)) {
    return 'binary';
  }
  const first = text.toString('utf8').trimStart().charAt(0);
  if (first === '{') {
    return 'jsonl';
  }
  if (first === '[') {
    return 'json';
  }
  return 'csv';
}

const DELIMITERS = [',', ';', '\t', '|'];

/**
 * Picks the CSV delimiter from the header line: the candidate that occurs
 * most often outside quotes, a comma when none does. Upload and preview
 * both sniff the first {@link SNIFF_BYTES} bytes, so they agree.
 */
export function sniffCsvDelimiter(head: Buffer): string {
  const text = stripBom(head.subarray(0, SNIFF_BYTES)).toString('utf8');
  const counts = new Map(DELIMITERS.map(d => [d, 0]));
  let quoted = false;
  for (const char of text) {
    if (char === '"') {
      quoted = !quoted;
    } else if (!quoted && (char === '\n' || char === '\r')) {
      break;
    } else if (!quoted && counts.has(char)) {
      counts.set(char, counts.get(char)! + 1);
    }
  }
  let best = ',';
  let bestCount = 0;
  for (const [delimiter, count] of counts) {
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best;
}

function stripBom(bytes: Buffer): Buffer {
  return bytes.subarray(0, 3).equals(UTF8_BOM) ? bytes.subarray(3) : bytes;
}
