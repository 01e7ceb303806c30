import { ColumnType } from '@dataflex/backstage-plugin-dataflex-common';
import { UnprocessableContentError } from '../service/errors';
import { csvKernelWasm } from './csvKernelWasm';
import { MAX_RECORD_BYTES } from './FormatInspector';

/** The exports of wasm/csvKernel.ts. */
interface KernelExports {
  memory: WebAssembly.Memory;
  init(delimiter: number): void;
  reserve(bytes: number): number;
  setColumns(count: number): void;
  scan(from: number, length: number, last: boolean): number;
  columnTypes(): number;
  columnNullable(): number;
  headerStarts(): number;
  headerEnds(): number;
  headerDoubled(): number;
  getHeaderFields(): number;
  getRows(): number;
  getLineAtEnd(): number;
  getError(): number;
  getErrorLine(): number;
  getErrorFields(): number;
}

// In the kernel's order.
const TYPES: ColumnType[] = [
  'string',
  'integer',
  'number',
  'boolean',
  'date',
  'timestamp',
  'string',
];
const HEADER_TABLE_FIELDS = 1024;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

// Compiled once per thread; each kernel is an instance with its own memory.
let compiled: WebAssembly.Module | undefined;

/** A CSV header as the kernel found it. */
export interface CsvHeader {
  /** The names of the first (up to 1024) fields, quotes removed. */
  names: string[];
  /** How many fields the header has. */
  fields: number;
}

/** What the kernel found out about the records after the header. */
export interface CsvKernelResult {
  rows: number;
  columns: Array<{ type: ColumnType; nullable: boolean }>;
}

/**
 * Drives the WebAssembly CSV kernel (wasm/csvKernel.ts) over a stream of
 * chunks: the same RFC 4180 reading as {@link CsvScanner} (quotes, LF, CRLF
 * or CR line ends, a leading BOM, blank lines skipped) and the same typing as
 * ColumnTypeTracker, at a few times the speed. The kernel scans whole
 * records only; the bytes of an incomplete one stay in its memory, in front
 * of the next chunk, so a record costs memory up to {@link MAX_RECORD_BYTES}.
 * Malformed input throws an UnprocessableContentError naming the line.
 */
export class CsvKernel {
  private readonly kernel: KernelExports;
  // Bytes at the start of the kernel's input not scanned yet: an incomplete
  // record, or the first bytes while it is unclear whether they are a BOM.
  private rest = 0;
  private bomChecked = false;
  private header: CsvHeader | undefined;

  static create(options: {
    delimiter: string;
    onHeader: (header: CsvHeader) => void;
  }): CsvKernel {
    const delimiter = Buffer.from(options.delimiter);
    if (delimiter.length !== 1) {
      throw new Error('The CSV delimiter must be a single byte');
    }
    compiled ??= new WebAssembly.Module(csvKernelWasm);
    const instance = new WebAssembly.Instance(compiled, {});
    return new CsvKernel(
      instance.exports as unknown as KernelExports,
      delimiter[0],
      options.onHeader,
    );
  }

  private constructor(
    kernel: KernelExports,
    delimiter: number,
    private readonly onHeader: (header: CsvHeader) => void,
  ) {
    this.kernel = kernel;
    kernel.init(delimiter);
  }

  /** The caller may reuse the chunk once this returns. */
  write(chunk: Buffer): void {
    const length = this.rest + chunk.length;
    const input = this.kernel.reserve(length);
    new Uint8Array(this.kernel.memory.buffer).set(chunk, input + this.rest);
    this.scan(input, length, false);
  }

  /** Ends the input; a last record without a line break still counts. */
  end(): void {
    this.scan(this.kernel.reserve(this.rest), this.rest, true);
  }

  result(): CsvKernelResult {
    const count = this.header?.fields ?? 0;
    const memory = Buffer.from(this.kernel.memory.buffer);
    const types = this.kernel.columnTypes();
    const nullable = this.kernel.columnNullable();
    return {
      rows: this.kernel.getRows(),
      columns: Array.from({ length: count }, (_, k) => ({
        type: TYPES[memory[types + k]],
        nullable: memory[nullable + k] === 1,
      })),
    };
  }

  private scan(input: number, length: number, last: boolean) {
    let from = 0;
    if (!this.bomChecked) {
      if (length < UTF8_BOM.length && !last) {
        this.rest = length;
        return;
      }
      this.bomChecked = true;
      const memory = Buffer.from(this.kernel.memory.buffer);
      if (
        length >= UTF8_BOM.length &&
        memory.subarray(input, input + UTF8_BOM.length).equals(UTF8_BOM)
      ) {
        from = UTF8_BOM.length;
      }
    }
    let consumed = this.check(this.kernel.scan(from, length, last));
    if (!this.header && this.kernel.getHeaderFields() > 0) {
      this.header = this.readHeader(input);
      this.onHeader(this.header);
      this.kernel.setColumns(this.header.fields);
      consumed = this.check(this.kernel.scan(consumed, length, last));
    }
    this.rest = length - consumed;
    if (this.rest > MAX_RECORD_BYTES) {
      throw new UnprocessableContentError(
        `The record on line ${this.kernel.getLineAtEnd()} is longer than ${MAX_RECORD_BYTES} bytes`,
      );
    }
    if (this.rest > 0 && consumed > 0) {
      new Uint8Array(this.kernel.memory.buffer).copyWithin(
        input,
        input + consumed,
        input + length,
      );
    }
  }

  private readHeader(input: number): CsvHeader {
    const memory = Buffer.from(this.kernel.memory.buffer);
    const fields = this.kernel.getHeaderFields();
    const starts = new Int32Array(
      this.kernel.memory.buffer,
      this.kernel.headerStarts(),
      HEADER_TABLE_FIELDS,
    );
    const ends = new Int32Array(
      this.kernel.memory.buffer,
      this.kernel.headerEnds(),
      HEADER_TABLE_FIELDS,
    );
    const doubled = this.kernel.headerDoubled();
    const names = Array.from(
      { length: Math.min(fields, HEADER_TABLE_FIELDS) },
      (_, k) => {
        const name = memory.toString(
          'utf8',
          input + starts[k],
          input + ends[k],
        );
        return memory[doubled + k] ? name.replace(/""/g, '"') : name;
      },
    );
    return { names, fields };
  }

  private check(consumed: number): number {
    if (consumed >= 0) {
      return consumed;
    }
    const line = this.kernel.getErrorLine();
    switch (this.kernel.getError()) {
      case 1:
        throw malformed(
          'a quote appears inside an unquoted field; quote the whole field and double the quotes inside it',
          line,
        );
      case 2:
        throw malformed(
          'text follows the closing quote of a field; double quotes inside a quoted field',
          line,
        );
      case 3:
        throw malformed('a quoted field is never closed', line);
      default:
        throw new UnprocessableContentError(
          `The file is not valid CSV: line ${line} has ${this.kernel.getErrorFields()} fields but the header has ${
            this.header?.fields
          }`,
        );
    }
  }
}

function malformed(why: string, line: number): UnprocessableContentError {
  return new UnprocessableContentError(
    `The file is not valid CSV: ${why} (line ${line})`,
  );
}
