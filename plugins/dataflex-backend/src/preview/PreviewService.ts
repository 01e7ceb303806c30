import { buffer } from 'node:stream/consumers';
import { DatasetPreview } from '@dataflex/backstage-plugin-dataflex-common';
import { BlobStore } from '@dataflex/backstage-plugin-dataflex-node';
import { DatasetRef } from '../database/DatasetStore';
import { DatasetVersionRecord } from '../database/DatasetVersionStore';
import { MaskingResolver } from './MaskingResolver';
import { readCsvRows } from './readCsvRows';
import { readJsonLinesRows } from './readJsonLinesRows';
import { readParquetRows } from './readParquetRows';
import { toPreviewValue } from './toPreviewValue';

/** What replaces every value of a masked column. */
export const MASK = '***';

/**
 * The first rows of a version without reading the whole content: a range
 * read of the first `maxBytes` for CSV and JSON Lines, the footer and first
 * row group for Parquet. Masked columns are replaced before anything leaves.
 */
export class PreviewService {
  static create(options: {
    blobStore: BlobStore;
    masking: MaskingResolver;
    maxRows: number;
    maxBytes: number;
  }): PreviewService {
    return new PreviewService(
      options.blobStore,
      options.masking,
      options.maxRows,
      options.maxBytes,
    );
  }

  private constructor(
    private readonly blobStore: BlobStore,
    private readonly masking: MaskingResolver,
    private readonly maxRows: number,
    private readonly maxBytes: number,
  ) {}

  async preview(
    dataset: DatasetRef,
    version: DatasetVersionRecord,
    requestedRows: number | undefined,
  ): Promise<DatasetPreview> {
    const limit = Math.min(requestedRows ?? 20, this.maxRows);
    const masked = await this.masking.maskedColumns(dataset);
    const raw = await this.readRows(version, limit);

    const columns = version.columns.map(c => ({
      name: c.name,
      type: c.type,
      masked: masked.has(c.name.toLocaleLowerCase('en-US')),
    }));
    const rows: unknown[][] = [];
    // Rows stop before the response would pass maxBytes.
    let bytes = 0;
    for (const row of raw) {
      const shown = columns.map((column, i) =>
        column.masked ? MASK : toPreviewValue(row[i], column.type),
      );
      bytes += Buffer.byteLength(JSON.stringify(shown)) + 1;
      if (bytes > this.maxBytes) {
        break;
      }
      rows.push(shown);
    }
    return {
      version: version.version,
      format: version.format,
      columns,
      rows,
      truncated: rows.length < (version.rowCount ?? rows.length + 1),
    };
  }

  private async readRows(
    version: DatasetVersionRecord,
    limit: number,
  ): Promise<unknown[][]> {
    if (version.format === 'parquet') {
      return readParquetRows({ blobStore: this.blobStore, version, limit });
    }
    const complete = version.size <= this.maxBytes;
    const head = await buffer(
      await this.blobStore.open(version.sha256, {
        start: 0,
        end: Math.min(version.size, this.maxBytes) - 1,
      }),
    );
    const source = { version, head, complete, limit };
    return version.format === 'csv'
      ? readCsvRows(source)
      : readJsonLinesRows(source);
  }
}
