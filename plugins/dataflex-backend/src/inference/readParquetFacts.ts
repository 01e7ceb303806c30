import { buffer } from 'node:stream/consumers';
import {
  ColumnType,
  VersionColumn,
} from '@dataflex/backstage-plugin-dataflex-common';
import { BlobStore } from '@dataflex/backstage-plugin-dataflex-node';
import {
  FileMetaData,
  parquetMetadataAsync,
  parquetSchema,
  SchemaElement,
} from 'hyparquet';
import { UnprocessableContentError } from '../service/errors';
import { blobAsyncBuffer } from './blobAsyncBuffer';
import {
  checkParquetTail,
  MAX_PARQUET_FOOTER_BYTES,
} from './ParquetTailInspector';

/** What the footer of a stored Parquet file says. */
export interface ParquetFacts {
  metadata: FileMetaData;
  columns: VersionColumn[];
  rowCount: number;
}

/**
 * Reads a stored Parquet file's footer with two range reads (its length,
 * then the footer itself) and derives columns and row count from it.
 */
export async function readParquetFacts(options: {
  blobStore: BlobStore;
  sha256: string;
  size: number;
}): Promise<ParquetFacts> {
  const { blobStore, sha256, size } = options;
  const tail = await buffer(
    await blobStore.open(sha256, { start: Math.max(0, size - 8) }),
  );
  const footerLength = checkParquetTail(tail, size);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(
      blobAsyncBuffer({
        blobStore,
        sha256,
        size,
        budgetBytes: MAX_PARQUET_FOOTER_BYTES + 8,
      }),
      { initialFetchSize: footerLength + 8 },
    );
  } catch (error) {
    if (error instanceof UnprocessableContentError) {
      throw error;
    }
    throw new UnprocessableContentError(
      `The Parquet footer cannot be read: ${(error as Error).message}`,
    );
  }
  return {
    metadata,
    columns: parquetColumns(metadata),
    rowCount: Number(metadata.num_rows),
  };
}

/** The top-level columns of a Parquet schema; nested groups become `json`. */
export function parquetColumns(metadata: FileMetaData): VersionColumn[] {
  return parquetSchema(metadata).children.map(child => ({
    name: child.element.name,
    type: child.children.length > 0 ? 'json' : leafType(child.element),
    nullable: child.element.repetition_type !== 'REQUIRED',
  }));
}

function leafType(element: SchemaElement): ColumnType {
  const logical = element.logical_type?.type;
  const converted = element.converted_type;
  if (logical === 'DATE' || converted === 'DATE') {
    return 'date';
  }
  if (
    logical === 'TIMESTAMP' ||
    converted === 'TIMESTAMP_MILLIS' ||
    converted === 'TIMESTAMP_MICROS' ||
    element.type === 'INT96'
  ) {
    return 'timestamp';
  }
  if (logical === 'DECIMAL' || converted === 'DECIMAL') {
    return 'number';
  }
  if (
    logical === 'JSON' ||
    logical === 'BSON' ||
    logical === 'VARIANT' ||
    converted === 'JSON' ||
    converted === 'BSON'
  ) {
    return 'json';
  }
  if (
    logical === 'STRING' ||
    logical === 'ENUM' ||
    logical === 'UUID' ||
    logical === 'TIME' ||
    logical === 'INTERVAL' ||
    converted === 'UTF8' ||
    converted === 'ENUM' ||
    converted === 'TIME_MILLIS' ||
    converted === 'TIME_MICROS' ||
    converted === 'INTERVAL'
  ) {
    return 'string';
  }
  switch (element.type) {
    case 'BOOLEAN':
      return 'boolean';
    case 'INT32':
    case 'INT64':
      return 'integer';
    case 'FLOAT':
    case 'DOUBLE':
      return 'number';
    default:
      return 'binary';
  }
}
