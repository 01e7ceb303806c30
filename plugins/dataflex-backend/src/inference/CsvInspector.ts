import { VersionColumn } from '@dataflex/backstage-plugin-dataflex-common';
import { UnprocessableContentError } from '../service/errors';
import {
  classifyBytes,
  ColumnTypeTracker,
  observeFields,
} from './ColumnTypeTracker';
import { CsvScanner } from './CsvScanner';
import {
  FormatInspector,
  InspectedContent,
  MAX_COLUMNS,
  MAX_RECORD_BYTES,
} from './FormatInspector';

// No number, date or timestamp is longer; longer values are strings.
const CLASSIFY_BYTES = 40;

/**
 * Reads CSV as it streams past: the first record is the header, every later
 * one must have as many fields. Values are typed from their bytes, and only
 * in columns whose type can still change, so memory and time per byte stay
 * small whatever the file size.
 */
export class CsvInspector implements FormatInspector {
  private readonly scanner: CsvScanner;
  private headerValues: string[] = [];
  private header: string[] | undefined;
  private trackers: ColumnTypeTracker[] = [];
  // How many bytes of each column's values to type: none once the column is
  // a string, which no value can change.
  private limits = new Int32Array(0);
  // Values counted but not typed, in columns that are strings already.
  private strings = new Float64Array(0);
  private rows = 0;

  static create(options: { delimiter: string }): CsvInspector {
    return new CsvInspector(options.delimiter);
  }

  private constructor(delimiter: string) {
    this.scanner = CsvScanner.create({
      delimiter,
      handler: {
        collect: index => {
          if (!this.header) {
            return MAX_RECORD_BYTES;
          }
          // Past the header's width the record is refused at its end.
          return index < this.limits.length ? this.limits[index] : 0;
        },
        field: (index, value, start, end, empty) => {
          if (!this.header) {
            this.headerValues.push(
              value ? value.toString('utf8', start, end) : '',
            );
            return;
          }
          if (empty || index >= this.trackers.length) {
            return;
          }
          const tracker = this.trackers[index];
          tracker.observe(value ? classifyBytes(value, start, end) : 'string');
          if (this.limits[index] !== 0 && tracker.settled) {
            this.limits[index] = 0;
          }
        },
        record: (fields, line) => this.onRecord(fields, line),
        plainRecord: (chunk, starts, ends, fields, line) => {
          if (!this.header) {
            for (let k = 0; k < fields; k++) {
              this.headerValues.push(
                chunk.toString('utf8', starts[k], ends[k]),
              );
            }
            this.onRecord(fields, line);
            return;
          }
          this.onRecord(fields, line);
          observeFields(
            this.trackers,
            this.limits,
            this.strings,
            chunk,
            starts,
            ends,
            fields,
          );
        },
      },
    });
  }

  async write(chunk: Buffer): Promise<void> {
    this.scanner.write(chunk);
  }

  async end(): Promise<InspectedContent> {
    this.scanner.end();
    if (!this.header) {
      throw new UnprocessableContentError(
        'The CSV file has no header row: the first line must name the columns',
      );
    }
    const columns: VersionColumn[] = this.header.map((name, i) => {
      this.trackers[i].observeStrings(this.strings[i]);
      return { name, ...this.trackers[i].result(this.rows) };
    });
    return { format: 'csv', columns, rowCount: this.rows };
  }

  private onRecord(fields: number, line: number) {
    if (this.header) {
      if (fields !== this.header.length) {
        throw new UnprocessableContentError(
          `The file is not valid CSV: line ${line} has ${fields} fields but the header has ${this.header.length}`,
        );
      }
      this.rows += 1;
      return;
    }
    this.header = checkHeader(this.headerValues);
    this.headerValues = [];
    this.trackers = this.header.map(() => ColumnTypeTracker.create());
    this.limits = new Int32Array(this.header.length).fill(CLASSIFY_BYTES);
    this.strings = new Float64Array(this.header.length);
  }
}

function checkHeader(values: string[]): string[] {
  if (values.length > MAX_COLUMNS) {
    throw new UnprocessableContentError(
      `The CSV header has ${values.length} columns; at most ${MAX_COLUMNS} are supported`,
    );
  }
  const seen = new Set<string>();
  return values.map((raw, i) => {
    const name = raw.trim() || `column_${i + 1}`;
    if (seen.has(name)) {
      throw new UnprocessableContentError(
        `The CSV header names the column '${name}' more than once`,
      );
    }
    seen.add(name);
    return name;
  });
}
