import {
  VersionColumn,
  DatasetFormat,
} from '@dataflex/backstage-plugin-dataflex-common';

/** What inspecting a file's content found out. */
export interface InspectedContent {
  format: DatasetFormat;
  /** Empty for Parquet, whose schema is read from the stored footer. */
  columns: VersionColumn[];
  /** Undefined for Parquet, whose row count is read from the stored footer. */
  rowCount?: number;
}

/**
 * Follows a file's bytes as they stream past, in bounded memory, and throws
 * as soon as they cannot be a valid file of its format.
 */
export interface FormatInspector {
  /** The caller may reuse the chunk's memory once this has resolved. */
  write(chunk: Buffer): Promise<void>;
  /** Called after the last chunk; throws when the file ends malformed. */
  end(): Promise<InspectedContent>;
}

/** A single record (a CSV row, a JSON line) may not grow past this. */
export const MAX_RECORD_BYTES = 4 * 1024 * 1024;

/** More columns than this are refused rather than tracked. */
export const MAX_COLUMNS = 1000;
