import { DatasetVersionRecord } from '../database/DatasetVersionStore';

/** The start of a stored file, as a preview reader gets it. */
export interface PreviewSource {
  version: DatasetVersionRecord;
  /** The file's first bytes. */
  head: Buffer;
  /** Whether `head` is the whole file. */
  complete: boolean;
  /** Most rows to return. */
  limit: number;
}
