import {
  VersionColumn,
  DatasetFormat,
  SchemaDiff,
} from '@dataflex/backstage-plugin-dataflex-common';
import { WriteOptions } from './WriteOptions';

/** One immutable version of a dataset. */
export interface DatasetVersionRecord {
  datasetId: string;
  version: number;
  sha256: string;
  size: number;
  mediaType: string;
  format: DatasetFormat;
  filename: string;
  rowCount?: number;
  columns: VersionColumn[];
  /** Undefined for the first version. */
  schemaDiff?: SchemaDiff;
  changeNote?: string;
  uploadedBy: string;
  createdAt: string;
}

export type CreateVersionOptions = Omit<
  DatasetVersionRecord,
  'version' | 'schemaDiff' | 'createdAt'
> & {
  /**
   * The most bytes of versions `uploadedBy` may have uploaded in total,
   * this one included; checked in the same transaction that commits it.
   */
  quotaBytes?: number;
  /**
   * Whether the content is still stored, asked while no orphan collection
   * of the same digest can run (see `deleteIfUnreferenced`). An upload that
   * found its content already stored relies on it not being collected
   * between its put and this commit.
   */
  isStored?: () => Promise<boolean>;
};

export interface VersionPage {
  items: DatasetVersionRecord[];
  hasMore: boolean;
}

export interface DatasetVersionStore {
  /**
   * Commits the next version of a dataset: numbers it (1, 2, 3… without gaps
   * or duplicates, also under concurrent uploads) and diffs its columns
   * against the previous version, all in one transaction. Call it only once
   * the content is stored.
   *
   * Throws ConflictError when the content is identical to the latest
   * version, NotFoundError when the dataset is gone, and
   * PayloadTooLargeError when the uploader's quota would be exceeded.
   */
  createVersion(
    options: CreateVersionOptions,
    write?: WriteOptions<DatasetVersionRecord>,
  ): Promise<DatasetVersionRecord>;
  /** `latest` is the highest version number. */
  getVersion(
    datasetId: string,
    version: number | 'latest',
  ): Promise<DatasetVersionRecord | undefined>;
  /**
   * The newest version of each of these datasets, by dataset id; datasets
   * without versions are missing from the map.
   */
  getLatestVersions(
    datasetIds: string[],
  ): Promise<Map<string, DatasetVersionRecord>>;
  /** Newest first; `before` continues after that version number. */
  listVersions(
    datasetId: string,
    options: { limit: number; before?: number },
  ): Promise<VersionPage>;
  /** Total size of every version the user has uploaded. */
  getUsageBytes(uploadedBy: string): Promise<number>;
  /** Which of these digests some version still references (for cleaning up storage). */
  findReferencedDigests(sha256s: string[]): Promise<Set<string>>;
  /**
   * Calls `remove` if no version references `sha256`, while no version with
   * that digest can be committed; returns whether it did.
   */
  deleteIfUnreferenced(
    sha256: string,
    remove: () => Promise<void>,
  ): Promise<boolean>;
}
