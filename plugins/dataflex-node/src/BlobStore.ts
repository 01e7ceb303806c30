import { Readable } from 'node:stream';

/**
 * What a blob store reports after storing content.
 *
 * @public
 */
export interface StoredBlob {
  /** Hex SHA-256 of the content; also its address in the store. */
  sha256: string;
  size: number;
  /** False when identical content was already stored and nothing was written. */
  created: boolean;
}

/**
 * A byte range to read, both ends inclusive (as in HTTP `Range`).
 *
 * @public
 */
export interface BlobRange {
  start: number;
  end?: number;
}

/**
 * Content-addressed storage for dataset versions. Implementations stream: no
 * method may hold a whole blob in memory.
 *
 * @public
 */
export interface BlobStore {
  /** Short name of the backing storage, shown in health checks (`local`, `s3`). */
  readonly kind: string;

  /**
   * Stores a stream and returns its address. Content that is already stored
   * is not written again. A failed or aborted stream leaves nothing behind.
   */
  put(content: Readable): Promise<StoredBlob>;

  /** Opens stored content, optionally a byte range of it. */
  open(sha256: string, range?: BlobRange): Promise<Readable>;

  has(sha256: string): Promise<boolean>;

  /** Removes stored content; removing absent content is not an error. */
  delete(sha256: string): Promise<void>;

  /** Throws when the store cannot currently be written to or read from. */
  check(): Promise<void>;
}
