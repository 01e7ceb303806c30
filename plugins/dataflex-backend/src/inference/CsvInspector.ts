import { VersionColumn } from '@dataflex/backstage-plugin-dataflex-common';
import { UnprocessableContentError } from '../service/errors';
import { CsvHeader, CsvKernel } from './CsvKernel';
import {
  FormatInspector,
  InspectedContent,
  MAX_COLUMNS,
} from './FormatInspector';

/**
 * Reads CSV as it streams past: the first record is the header, every later
 * one must have as many fields. Values are typed from their bytes, and only
 * in columns whose type can still change, so memory and time per byte stay
 * small whatever the file size. The reading and typing happen in a
 * WebAssembly kernel ({@link CsvKernel}): in JavaScript they cost more CPU
 * than the rest of an upload together.
 */
export class CsvInspector implements FormatInspector {
  private readonly kernel: CsvKernel;
  private header: string[] | undefined;

  static create(options: { delimiter: string }): CsvInspector {
    return new CsvInspector(options.delimiter);
  }

  private constructor(delimiter: string) {
    this.kernel = CsvKernel.create({
      delimiter,
      onHeader: header => {
        this.header = checkHeader(header);
      },
    });
  }

  async write(chunk: Buffer): Promise<void> {
    this.kernel.write(chunk);
  }

  async end(): Promise<InspectedContent> {
    this.kernel.end();
    if (!this.header) {
      throw new UnprocessableContentError(
        'The CSV file has no header row: the first line must name the columns',
      );
    }
    const { rows, columns } = this.kernel.result();
    return {
      format: 'csv',
      columns: this.header.map(
        (name, i): VersionColumn => ({ name, ...columns[i] }),
      ),
      rowCount: rows,
    };
  }
}

function checkHeader({ names, fields }: CsvHeader): string[] {
  if (fields > MAX_COLUMNS) {
    throw new UnprocessableContentError(
      `The CSV header has ${fields} columns; at most ${MAX_COLUMNS} are supported`,
    );
  }
  const seen = new Set<string>();
  return names.map((raw, i) => {
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
