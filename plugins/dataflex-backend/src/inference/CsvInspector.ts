import { finished } from 'node:stream/promises';
import { CsvError, Parser, parse } from 'csv-parse';
import { VersionColumn } from '@dataflex/backstage-plugin-dataflex-common';
import { UnprocessableContentError } from '../service/errors';
import { classifyText, ColumnTypeTracker } from './ColumnTypeTracker';
import {
  FormatInspector,
  InspectedContent,
  MAX_COLUMNS,
  MAX_RECORD_BYTES,
} from './FormatInspector';

/**
 * Parses CSV as it streams past with `csv-parse`: the first record is the
 * header, every later one must have as many fields. Unbalanced quotes and
 * ragged rows fail the upload with the parser's line number.
 */
export class CsvInspector implements FormatInspector {
  private readonly parser: Parser;
  private header: string[] | undefined;
  private trackers: ColumnTypeTracker[] = [];
  private rows = 0;
  private failure: Error | undefined;

  static create(options: { delimiter: string }): CsvInspector {
    return new CsvInspector(options.delimiter);
  }

  private constructor(delimiter: string) {
    this.parser = createCsvParser(delimiter);
    this.parser.on('data', (record: string[]) => this.onRecord(record));
    this.parser.on('error', error => {
      this.failure ??= toUnprocessable(error);
    });
  }

  async write(chunk: Buffer): Promise<void> {
    this.throwIfFailed();
    await new Promise<void>(resolve => {
      // Errors arrive through the 'error' listener; the callback only paces us.
      this.parser.write(chunk, () => resolve());
    });
    this.throwIfFailed();
  }

  async end(): Promise<InspectedContent> {
    this.throwIfFailed();
    this.parser.end();
    try {
      await finished(this.parser);
    } catch (error) {
      this.failure ??= toUnprocessable(error);
    }
    this.throwIfFailed();
    if (!this.header) {
      throw new UnprocessableContentError(
        'The CSV file has no header row: the first line must name the columns',
      );
    }
    const columns: VersionColumn[] = this.header.map((name, i) => ({
      name,
      ...this.trackers[i].result(this.rows),
    }));
    return { format: 'csv', columns, rowCount: this.rows };
  }

  private onRecord(record: string[]) {
    if (this.failure) {
      return;
    }
    if (!this.header) {
      this.failure = checkHeader(record);
      this.header = record.map((name, i) => name.trim() || `column_${i + 1}`);
      this.trackers = record.map(() => ColumnTypeTracker.create());
      return;
    }
    this.rows += 1;
    record.forEach((value, i) => {
      if (value !== '') {
        this.trackers[i].observe(classifyText(value));
      }
    });
  }

  private throwIfFailed() {
    if (this.failure) {
      throw this.failure;
    }
  }
}

/** The csv-parse options upload inspection and preview share. */
export function createCsvParser(delimiter: string): Parser {
  return parse({
    delimiter,
    bom: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_BYTES,
  });
}

function checkHeader(header: string[]): Error | undefined {
  if (header.length > MAX_COLUMNS) {
    return new UnprocessableContentError(
      `The CSV header has ${header.length} columns; at most ${MAX_COLUMNS} are supported`,
    );
  }
  const seen = new Set<string>();
  for (const raw of header) {
    const name = raw.trim();
    if (name && seen.has(name)) {
      return new UnprocessableContentError(
        `The CSV header names the column '${name}' more than once`,
      );
    }
    seen.add(name);
  }
  return undefined;
}

function toUnprocessable(error: unknown): Error {
  if (error instanceof CsvError) {
    return new UnprocessableContentError(
      `The file is not valid CSV: ${error.message}`,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}
