import { InputError } from '@backstage/errors';
import { DatasetFormat } from '@dataflex/backstage-plugin-dataflex-common';
import { UnsupportedMediaTypeError } from '../service/errors';
import { CsvInspector } from './CsvInspector';
import {
  DetectedFormat,
  detectFormat,
  SNIFF_BYTES,
  sniffCsvDelimiter,
} from './detectFormat';
import { FormatInspector, InspectedContent } from './FormatInspector';
import { JsonLinesInspector } from './JsonLinesInspector';
import { ParquetTailInspector } from './ParquetTailInspector';

const FORMAT_NAMES: Record<DetectedFormat, string> = {
  csv: 'CSV',
  jsonl: 'JSON Lines',
  parquet: 'Parquet',
  json: 'a JSON document (not JSON Lines)',
  binary: 'binary data of an unknown format',
};

/**
 * Inspects an upload as it streams through: holds back the first
 * {@link SNIFF_BYTES} bytes to detect the format, then hands every chunk to
 * the inspector of that format. Memory stays bounded whatever the file size.
 */
export class ContentInspector implements FormatInspector {
  private head: Buffer[] = [];
  private headBytes = 0;
  private delegate: FormatInspector | undefined;

  static create(options: {
    allowedFormats: readonly DatasetFormat[];
  }): ContentInspector {
    return new ContentInspector(options.allowedFormats);
  }

  private constructor(
    private readonly allowedFormats: readonly DatasetFormat[],
  ) {}

  async write(chunk: Buffer): Promise<void> {
    if (this.delegate) {
      await this.delegate.write(chunk);
      return;
    }
    // Copied: the caller may reuse the chunk before the head is complete.
    this.head.push(Buffer.from(chunk));
    this.headBytes += chunk.length;
    if (this.headBytes >= SNIFF_BYTES) {
      await this.startDelegate();
    }
  }

  async end(): Promise<InspectedContent> {
    if (!this.delegate) {
      if (this.headBytes === 0) {
        throw new InputError('The file is empty');
      }
      await this.startDelegate();
    }
    return this.delegate!.end();
  }

  private async startDelegate() {
    const head = Buffer.concat(this.head);
    this.head = [];
    const detected = detectFormat(head);
    if (detected === 'json' || detected === 'binary') {
      throw new UnsupportedMediaTypeError(
        `The file looks like ${FORMAT_NAMES[detected]}; upload CSV, JSON Lines or Parquet`,
      );
    }
    if (!this.allowedFormats.includes(detected)) {
      throw new UnsupportedMediaTypeError(
        `${
          FORMAT_NAMES[detected]
        } uploads are not allowed here; allowed: ${this.allowedFormats
          .map(f => FORMAT_NAMES[f])
          .join(', ')}`,
      );
    }
    this.delegate = createInspector(detected, head);
    await this.delegate.write(head);
  }
}

function createInspector(format: DatasetFormat, head: Buffer): FormatInspector {
  switch (format) {
    case 'csv':
      return CsvInspector.create({ delimiter: sniffCsvDelimiter(head) });
    case 'jsonl':
      return JsonLinesInspector.create();
    case 'parquet':
      return ParquetTailInspector.create();
    default:
      throw new Error(`No inspector for format ${format satisfies never}`);
  }
}
