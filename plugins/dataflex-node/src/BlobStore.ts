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
  /**
   * False when identical content was already stored and nothing was written.
   * Two concurrent puts of the same new content may both report true; the
   * stored bytes are identical either way.
   */
  created: boolean;
}

/**
 * A content's SHA-256 and size, as computed by whoever read it.
 *
 * @public
 */
export interface ContentDigest {
  /** Hex SHA-256, lowercase. */
  sha256: string;
  size: number;
}

/**
 * Options for {@link BlobStore.put}.
 *
 * @public
 */
export interface BlobPutOptions {
  /**
   * The content's digest, from a caller that reads every byte anyway and
   * hashes them on a thread of its own (DataFlex does, while inspecting an
   * upload), so that the store need not hash the content a second time.
   * Called once, after the content has ended and before the blob is given
   * its address. The store checks the size against the bytes it received
   * and trusts the hash; a rejection fails the put as a failed stream does.
   */
  digest?: () => Promise<ContentDigest>;
}

/**
 * A byte range to read, both ends inclusive (as in HTTP `Range`). An `end`
 * past the content is clamped to its last byte; a `start` past it reads
 * nothing.
 *
 * @public
 */
export interface BlobRange {
  start: number;
  end?: number;
}

/**
 * One permanently stored blob, as listed by {@link BlobStore.list}.
 *
 * @public
 */
export interface BlobListing {
  sha256: string;
  size: number;
  lastModified: Date;
}

/**
 * Options for {@link BlobStore.sweep}.
 *
 * @public
 */
export interface BlobSweepOptions {
  /**
   * Leftovers last touched before this instant are removed. Must leave a
   * grace period longer than a put takes to go idle, so that puts still in
   * progress are never disturbed.
   */
  olderThan: Date;
}

/**
 * What {@link BlobStore.sweep} cleaned up.
 *
 * @public
 */
export interface BlobSweepResult {
  /** Unfinished multipart uploads that were aborted. */
  abortedUploads: number;
  /**
   * Temporary objects or files of interrupted puts that were removed, and
   * content whose interrupted delete had already removed its address.
   */
  removedTempObjects: number;
}

/**
 * Options for {@link BlobStore.getDownloadUrl}.
 *
 * @public
 */
export interface BlobDownloadUrlOptions {
  /** File name offered to the browser in `Content-Disposition: attachment`. */
  filename: string;
  /** Media type the URL serves the content as. */
  contentType?: string;
  /** Lifetime of the URL; the store's configured default when absent. */
  expiresInSeconds?: number;
}

/**
 * Content-addressed storage for dataset versions. Implementations stream: no
 * method may hold a whole blob in memory.
 *
 * Crash consistency: content becomes visible under its address only once it
 * is completely stored. An interrupted put leaves at most temporary
 * leftovers, never a blob; {@link BlobStore.sweep} removes those leftovers.
 * Blobs that no dataset version references any more (for example because
 * the process died between `put` and committing the version) are found with
 * {@link BlobStore.list} and removed with {@link BlobStore.delete} by whoever
 * owns the references.
 *
 * @public
 */
export interface BlobStore {
  /** Short name of the backing storage, shown in health checks (`local`, `s3`). */
  readonly kind: string;

  /**
   * Stores a stream and returns its address. Content that is already stored
   * is not written again. A failed or aborted stream leaves no blob behind.
   */
  put(content: Readable, options?: BlobPutOptions): Promise<StoredBlob>;

  /**
   * Opens stored content, optionally a byte range of it. Throws a
   * `NotFoundError` when nothing is stored under the address.
   */
  open(sha256: string, range?: BlobRange): Promise<Readable>;

  has(sha256: string): Promise<boolean>;

  /** Removes stored content; removing absent content is not an error. */
  delete(sha256: string): Promise<void>;

  /** Throws when the store cannot currently be written to or read from. */
  check(): Promise<void>;

  /** Lists every stored blob, in no particular order. */
  list(): AsyncIterable<BlobListing>;

  /**
   * Removes what interrupted puts and deletes left behind (temporary
   * objects, unfinished multipart uploads, content no address names any
   * more) that has been idle since before `olderThan`. Never touches stored
   * blobs.
   */
  sweep(options: BlobSweepOptions): Promise<BlobSweepResult>;

  /**
   * A short-lived URL from which a browser can download the content directly
   * from the storage, as an attachment named `filename`. Stores that cannot
   * hand out URLs leave this undefined; callers then stream through `open`.
   */
  getDownloadUrl?(
    sha256: string,
    options: BlobDownloadUrlOptions,
  ): Promise<string>;
}
