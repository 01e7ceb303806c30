import { UnprocessableContentError } from '../service/errors';
import { FormatInspector, InspectedContent } from './FormatInspector';

const MAGIC = Buffer.from('PAR1');

/**
 * The footers DataFlex reads; a larger one is refused rather than read into
 * memory.
 */
export const MAX_PARQUET_FOOTER_BYTES = 16 * 1024 * 1024;

/**
 * Checks, while a Parquet file streams past, that it ends like one: the
 * footer length and the closing `PAR1`. Only the last 8 bytes are kept; the
 * footer itself is read from the stored content afterwards.
 */
export class ParquetTailInspector implements FormatInspector {
  private tail = Buffer.alloc(0);
  private size = 0;

  static create(): ParquetTailInspector {
    return new ParquetTailInspector();
  }

  private constructor() {}

  async write(chunk: Buffer): Promise<void> {
    this.size += chunk.length;
    this.tail = Buffer.concat([this.tail, chunk.subarray(-8)]).subarray(-8);
  }

  async end(): Promise<InspectedContent> {
    checkParquetTail(this.tail, this.size);
    return { format: 'parquet', columns: [] };
  }
}

/** Throws unless `tail` (the last 8 bytes of a `size`-byte file) closes a Parquet file. */
export function checkParquetTail(tail: Buffer, size: number): number {
  if (size < 12 || tail.length < 8 || !tail.subarray(4).equals(MAGIC)) {
    throw new UnprocessableContentError(
      'The Parquet file is incomplete or damaged: it does not end with a Parquet footer',
    );
  }
  const footerLength = tail.readUInt32LE(0);
  if (footerLength === 0 || footerLength > size - 12) {
    throw new UnprocessableContentError(
      'The Parquet file is damaged: its footer length does not fit the file',
    );
  }
  if (footerLength > MAX_PARQUET_FOOTER_BYTES) {
    throw new UnprocessableContentError(
      `The Parquet footer is ${footerLength} bytes; at most ${MAX_PARQUET_FOOTER_BYTES} are supported`,
    );
  }
  return footerLength;
}
