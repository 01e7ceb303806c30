import { BlobStore } from '@dataflex/backstage-plugin-dataflex-node';
import { parquetReadObjects } from 'hyparquet';
import { blobAsyncBuffer } from '../inference/blobAsyncBuffer';
import { readParquetFacts } from '../inference/readParquetFacts';
import { DatasetVersionRecord } from '../database/DatasetVersionStore';

/** The most bytes one Parquet preview may read (footer and row group pages). */
export const PARQUET_PREVIEW_BUDGET_BYTES = 64 * 1024 * 1024;

/**
 * The first rows of a stored Parquet file: its footer, then only the pages
 * of the first row group that hold those rows (hyparquet reads byte ranges
 * and stops at `rowEnd`).
 */
export async function readParquetRows(options: {
  blobStore: BlobStore;
  version: DatasetVersionRecord;
  limit: number;
}): Promise<unknown[][]> {
  const { blobStore, version, limit } = options;
  const { metadata, columns } = await readParquetFacts({
    blobStore,
    sha256: version.sha256,
    size: version.size,
  });
  const firstGroupRows = Number(metadata.row_groups[0]?.num_rows ?? 0);
  const rowEnd = Math.min(limit, firstGroupRows);
  if (rowEnd === 0) {
    return [];
  }
  const objects = await parquetReadObjects({
    file: blobAsyncBuffer({
      blobStore,
      sha256: version.sha256,
      size: version.size,
      budgetBytes: PARQUET_PREVIEW_BUDGET_BYTES,
    }),
    metadata,
    columns: columns.map(c => c.name),
    rowStart: 0,
    rowEnd,
    useOffsetIndex: true,
  });
  return objects.map(object => columns.map(c => object[c.name] ?? null));
}
