import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  BucketLocationConstraint,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  HeadObjectCommandOutput,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  _Object,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  BlobDownloadUrlOptions,
  BlobListing,
  BlobPutOptions,
  BlobRange,
  BlobStore,
  BlobSweepOptions,
  BlobSweepResult,
  StoredBlob,
} from '@dataflex/backstage-plugin-dataflex-node';
import { assertDigest, assertRange, isDigest } from './assertDigest';
import { attachmentContentDisposition } from './attachmentContentDisposition';
import { PartBufferPool } from './PartBufferPool';
import { PutDigest } from './PutDigest';
import { S3StreamUpload } from './S3StreamUpload';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
/** S3's limits for multipart upload parts. */
const MIN_PART_SIZE = 5 * MiB;
const MAX_PART_SIZE = 5 * GiB;
const MAX_PRESIGNED_TTL_SECONDS = 7 * 24 * 60 * 60;
const POINTER_CONTENT_TYPE = 'application/vnd.dataflex.blob-pointer';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Digests whose object key this process remembers; enough for a busy day. */
const MAX_REMEMBERED_LOCATIONS = 10_000;
/**
 * Times a put looks for the pointer of its digest and tries to write it:
 * after losing a race it finds the winner's, unless that was deleted since.
 */
const MAX_LINK_ATTEMPTS = 5;

/**
 * Options for {@link S3BlobStore.create}.
 */
export interface S3BlobStoreOptions {
  client: S3Client;
  bucket: string;
  /** Key prefix under which the store keeps everything, e.g. `dataflex/`. */
  prefix?: string;
  /** Size of each multipart upload part; memory per put is about (queueSize + 1) × partSizeBytes. */
  partSizeBytes?: number;
  /** Parts of one put uploaded concurrently. */
  queueSize?: number;
  presignedUrlTtlSeconds?: number;
  /** Create the bucket on start when it does not exist. */
  createBucket?: boolean;
}

/** Where the content of a digest is stored. */
interface BlobLocation {
  key: string;
  size: number;
  /** Content stored directly under `blobs/<sha256>` by earlier releases. */
  legacy: boolean;
}

/** What a `pending/` marker records about a put or delete in progress. */
interface Marker {
  /** The key whose object or multipart upload a crash could leave behind. */
  key: string;
  /** Set once the put knows its digest, before it writes the pointer. */
  sha256?: string;
}

/**
 * Stores blobs in an S3 bucket (AWS S3, MinIO or any S3-compatible store).
 *
 * Layout under the prefix:
 * - `objects/<uuid>`: content, uploaded there directly by a bounded
 *   multipart upload while it is hashed;
 * - `refs/<sha256>`: an empty pointer object whose metadata names the object
 *   holding the content (`object`) and its size;
 * - `blobs/<sha256>`: content stored by earlier releases, which kept it under
 *   its digest (copied there from a temporary key). It stays readable and
 *   deletable; nothing new is written there, so an instance of an earlier
 *   release running during an upgrade finds no content it cannot read rather
 *   than a pointer it would serve as the content;
 * - `pending/<uuid>`: a marker (`{ "key": …, "sha256"?: … }`) for each put
 *   or delete in progress, naming the object a crash could leave behind;
 * - `tmp/`: health probes, and leftovers of earlier releases' puts.
 *
 * A put writes its marker, uploads the content to a fresh `objects/` key,
 * records the digest in the marker and then creates the pointer with a
 * conditional write (`If-None-Match: *`): of two puts of the same content
 * exactly one pointer wins, and the other put deletes its own object. No
 * content is ever copied, and a pointer only ever names complete content.
 *
 * The janitor (`sweep`) finds what crashed puts left through the markers:
 * not every store can list multipart uploads by prefix (MinIO lists them
 * only for an exact key). It aborts the marked key's idle multipart uploads
 * and removes its object unless the pointer of the marker's digest names it,
 * that is unless the put got as far as creating it.
 *
 * Pointers never change while they exist, so the object a digest resolves to
 * is remembered in-process; a remembered object that is gone (its blob was
 * deleted and stored again, perhaps by another instance) is looked up anew.
 */
export class S3BlobStore implements BlobStore {
  readonly kind = 's3';

  static async create(options: S3BlobStoreOptions): Promise<S3BlobStore> {
    const partSizeBytes = options.partSizeBytes ?? 8 * MiB;
    if (partSizeBytes < MIN_PART_SIZE || partSizeBytes > MAX_PART_SIZE) {
      throw new Error(
        `S3 part size must be between ${MIN_PART_SIZE} and ${MAX_PART_SIZE} bytes, got ${partSizeBytes}`,
      );
    }
    const queueSize = options.queueSize ?? 2;
    if (!Number.isInteger(queueSize) || queueSize < 1) {
      throw new Error(
        `S3 queue size must be a whole number of at least 1, got ${queueSize}`,
      );
    }
    const store = new S3BlobStore(
      options.client,
      options.bucket,
      normalizePrefix(options.prefix),
      // Enough for one put's parts in flight and the one being filled.
      PartBufferPool.create({
        partSize: partSizeBytes,
        maxIdle: queueSize + 1,
      }),
      queueSize,
      options.presignedUrlTtlSeconds ?? 300,
    );
    if (options.createBucket) {
      await store.ensureBucket();
    }
    return store;
  }

  private readonly locations = new Map<string, BlobLocation>();

  private constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
    private readonly partBuffers: PartBufferPool,
    private readonly queueSize: number,
    private readonly presignedUrlTtlSeconds: number,
  ) {}

  async put(content: Readable, options?: BlobPutOptions): Promise<StoredBlob> {
    const id = randomUUID();
    const objectKey = `${this.prefix}objects/${id}`;
    const markerKey = this.markerKey(id);
    await this.writeMarker(markerKey, { key: objectKey });

    const digest = new PutDigest(options?.digest);
    const upload = S3StreamUpload.start({
      client: this.client,
      bucket: this.bucket,
      key: objectKey,
      buffers: this.partBuffers,
      queueSize: this.queueSize,
    });
    let sha256: string;
    try {
      for await (const data of content) {
        const chunk: Buffer =
          typeof data === 'string' ? Buffer.from(data) : data;
        digest.update(chunk);
        await upload.write(chunk);
      }
      // Before the upload completes, so a digest that fails leaves no
      // complete object behind.
      sha256 = await digest.sha256();
      await upload.end();
    } catch (error) {
      content.destroy();
      await upload.abort();
      await this.discardUpload(objectKey, markerKey);
      throw error;
    }

    const size = digest.size;
    try {
      const created = await this.link(sha256, id, size, markerKey);
      if (!created) {
        await this.deleteObject(objectKey);
      }
      await this.deleteObject(markerKey);
      return { sha256, size, created };
    } catch (error) {
      // The pointer may have been written even though its request failed;
      // settling checks, and leaves the marker to the janitor if it cannot.
      await this.settle(markerKey, { key: objectKey, sha256 }).catch(
        () => undefined,
      );
      throw error;
    }
  }

  async open(sha256: string, range?: BlobRange): Promise<Readable> {
    assertDigest(sha256);
    if (range) {
      assertRange(range);
    }
    const remembered = this.locations.get(sha256);
    const location = remembered ?? (await this.resolve(sha256));
    if (!location) {
      throw new NotFoundError(`No stored content with digest ${sha256}`);
    }
    // S3 answers 416 for a range starting past the end, including any range
    // of empty content; the contract is to read nothing.
    if (range && range.start >= location.size) {
      if (remembered && !(await this.has(sha256))) {
        throw new NotFoundError(`No stored content with digest ${sha256}`);
      }
      return Readable.from([]);
    }
    try {
      const response = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: location.key,
          Range: range ? `bytes=${range.start}-${range.end ?? ''}` : undefined,
        }),
      );
      return response.Body as Readable;
    } catch (error) {
      if (isNotFound(error)) {
        this.locations.delete(sha256);
        if (remembered) {
          return this.open(sha256, range);
        }
        throw new NotFoundError(`No stored content with digest ${sha256}`);
      }
      throw error;
    }
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.resolve(sha256)) !== undefined;
  }

  async delete(sha256: string): Promise<void> {
    const pointerKey = this.pointerKey(sha256);
    const pointer = await this.head(pointerKey);
    this.locations.delete(sha256);
    if (pointer) {
      const { key } = this.pointerLocation(sha256, pointer);
      // The pointer goes first: one naming deleted content would let a later
      // put of the same content find it "already stored" and store nothing.
      // A crash after it leaves content without a pointer, which the marker
      // lets the janitor remove.
      const markerKey = this.markerKey(randomUUID());
      await this.writeMarker(markerKey, { key, sha256 });
      await this.deleteObject(pointerKey);
      await this.deleteObject(key);
      await this.deleteObject(markerKey);
    }
    // Content of the old layout; both are there when an instance of an
    // earlier release stored the same content again during an upgrade.
    await this.deleteObject(this.legacyKey(sha256));
    this.locations.delete(sha256);
  }

  async check(): Promise<void> {
    const probe = `${this.prefix}tmp/health-${randomUUID()}`;
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: probe, Body: 'ok' }),
    );
    await this.deleteObject(probe);
  }

  async *list(): AsyncIterable<BlobListing> {
    const listed = new Set<string>();
    const refsPrefix = `${this.prefix}refs/`;
    for await (const object of this.listObjects(refsPrefix)) {
      const sha256 = object.Key!.slice(refsPrefix.length);
      if (!isDigest(sha256)) {
        continue;
      }
      // A listing shows the pointer's size, not its content's.
      const size = (this.locations.get(sha256) ?? (await this.resolve(sha256)))
        ?.size;
      if (size !== undefined) {
        listed.add(sha256);
        yield { sha256, size, lastModified: object.LastModified! };
      }
    }
    const legacyPrefix = `${this.prefix}blobs/`;
    for await (const object of this.listObjects(legacyPrefix)) {
      const sha256 = object.Key!.slice(legacyPrefix.length);
      if (isDigest(sha256) && !listed.has(sha256)) {
        yield {
          sha256,
          size: object.Size ?? 0,
          lastModified: object.LastModified!,
        };
      }
    }
  }

  async sweep(options: BlobSweepOptions): Promise<BlobSweepResult> {
    const { olderThan } = options;
    let abortedUploads = 0;
    let removedTempObjects = 0;

    for await (const marker of this.listObjects(`${this.prefix}pending/`)) {
      if (marker.LastModified! >= olderThan) {
        continue;
      }
      const record = await this.readMarker(marker.Key!);
      if (record === undefined) {
        await this.deleteObject(marker.Key!);
        continue;
      }
      const { aborted, active } = await this.abortIdleUploads(
        record.key,
        olderThan,
      );
      abortedUploads += aborted;
      if (active) {
        continue;
      }
      const settled = await this.settle(marker.Key!, record, olderThan);
      if (settled === 'removed') {
        removedTempObjects += 1;
      }
    }

    for await (const object of this.listObjects(`${this.prefix}tmp/`)) {
      if (object.LastModified! < olderThan) {
        await this.deleteObject(object.Key!);
        removedTempObjects += 1;
      }
    }

    return { abortedUploads, removedTempObjects };
  }

  async getDownloadUrl(
    sha256: string,
    options: BlobDownloadUrlOptions,
  ): Promise<string> {
    const expiresIn = options.expiresInSeconds ?? this.presignedUrlTtlSeconds;
    if (
      !Number.isSafeInteger(expiresIn) ||
      expiresIn < 1 ||
      expiresIn > MAX_PRESIGNED_TTL_SECONDS
    ) {
      throw new InputError(
        `Download URLs live between 1 and ${MAX_PRESIGNED_TTL_SECONDS} seconds, got ${expiresIn}`,
      );
    }
    // Looked up anew rather than remembered: nothing would notice a URL to
    // an object that is gone.
    const location = await this.resolve(sha256);
    if (!location) {
      throw new NotFoundError(`No stored content with digest ${sha256}`);
    }
    return getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: location.key,
        ResponseContentDisposition: attachmentContentDisposition(
          options.filename,
        ),
        ResponseContentType: options.contentType,
      }),
      { expiresIn },
    );
  }

  /**
   * Makes the object `id` the content of `sha256` unless other content is
   * already there; returns whether it did.
   */
  private async link(
    sha256: string,
    id: string,
    size: number,
    markerKey: string,
  ): Promise<boolean> {
    const objectKey = `${this.prefix}objects/${id}`;
    const pointerKey = this.pointerKey(sha256);
    for (let attempt = 1; attempt <= MAX_LINK_ATTEMPTS; attempt++) {
      const existing = await this.resolve(sha256);
      if (existing && !existing.legacy && existing.size !== size) {
        throw new Error(
          `The pointer of blob ${sha256} records ${existing.size} bytes, but its content has ${size}`,
        );
      }
      if (existing?.size === size) {
        if (existing.legacy || (await this.head(existing.key))) {
          return false;
        }
        // A pointer is written only once its object is complete, but the
        // janitor removes the object of a put stalled for longer than its
        // grace period. Unless a delete was just removing both, this put's
        // object takes its place.
        if ((await this.resolve(sha256))?.key === existing.key) {
          await this.deleteObject(pointerKey);
        }
        continue;
      } else if (existing) {
        // Earlier releases overwrote content of the wrong size in place; it
        // can only be damaged, and this put has the real thing.
        await this.deleteObject(existing.key);
      }
      // From here on a crash may have left a pointer naming the object, so
      // the janitor must check before removing it.
      await this.writeMarker(markerKey, { key: objectKey, sha256 });
      try {
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: pointerKey,
            Body: new Uint8Array(0),
            ContentLength: 0,
            ContentType: POINTER_CONTENT_TYPE,
            Metadata: { sha256, object: id, size: String(size) },
            IfNoneMatch: '*',
          }),
        );
        this.remember(sha256, { key: objectKey, size, legacy: false });
        return true;
      } catch (error) {
        // 412: another put of the same content won. 409: AWS S3 refuses a
        // conditional write racing another one; either way, look again.
        const status = errorStatus(error);
        if (status !== 412 && status !== 409) {
          throw error;
        }
      }
    }
    throw new Error(
      `Could not store the pointer of blob ${sha256}: other puts and deletes of the same content kept changing it`,
    );
  }

  /**
   * Where the content of `sha256` is stored, read from its pointer (or
   * found under the digest itself for blobs of the old layout).
   */
  private async resolve(sha256: string): Promise<BlobLocation | undefined> {
    const pointer = await this.head(this.pointerKey(sha256));
    let location: BlobLocation | undefined;
    if (pointer) {
      location = this.pointerLocation(sha256, pointer);
    } else {
      const legacyKey = this.legacyKey(sha256);
      const legacy = await this.head(legacyKey);
      location = legacy && {
        key: legacyKey,
        size: legacy.ContentLength ?? 0,
        legacy: true,
      };
    }
    if (location) {
      this.remember(sha256, location);
    } else {
      this.locations.delete(sha256);
    }
    return location;
  }

  private pointerLocation(
    sha256: string,
    pointer: HeadObjectCommandOutput,
  ): BlobLocation {
    const object = pointer.Metadata?.object;
    const size = Number(pointer.Metadata?.size);
    if (
      object === undefined ||
      !UUID.test(object) ||
      !Number.isSafeInteger(size) ||
      size < 0
    ) {
      throw new Error(
        `The pointer of blob ${sha256} is damaged: it names object '${object}' of ${pointer.Metadata?.size} bytes`,
      );
    }
    return { key: `${this.prefix}objects/${object}`, size, legacy: false };
  }

  private remember(sha256: string, location: BlobLocation): void {
    this.locations.delete(sha256);
    this.locations.set(sha256, location);
    if (this.locations.size > MAX_REMEMBERED_LOCATIONS) {
      this.locations.delete(this.locations.keys().next().value!);
    }
  }

  /**
   * Finishes what a put or delete left, as its marker describes: removes the
   * marked object unless the pointer of the marker's digest names it, then
   * the marker. An object touched since `olderThan` may still be in use by a
   * put in progress and is left alone, with its marker.
   */
  private async settle(
    markerKey: string,
    marker: Marker,
    olderThan?: Date,
  ): Promise<'removed' | 'kept' | 'busy'> {
    let settled: 'removed' | 'kept' | 'busy' = 'kept';
    // Markers of earlier releases may name keys under blobs/ (copies into
    // place), whose uploads were aborted above; those keys are never removed
    // on a marker's word.
    if (marker.key.startsWith(`${this.prefix}objects/`)) {
      // Read without resolve(), which refuses damaged pointers: one of
      // those names nothing, and must not keep the janitor from its work.
      const pointer = marker.sha256
        ? await this.head(this.pointerKey(marker.sha256))
        : undefined;
      const linked =
        pointer?.Metadata?.object !== undefined &&
        `${this.prefix}objects/${pointer.Metadata.object}` === marker.key;
      const object = linked ? undefined : await this.head(marker.key);
      if (object && olderThan && object.LastModified! >= olderThan) {
        return 'busy';
      }
      if (object) {
        await this.deleteObject(marker.key);
        settled = 'removed';
      }
    }
    await this.deleteObject(markerKey);
    return settled;
  }

  /**
   * Best-effort cleanup after a failed upload. Whatever cannot be removed
   * now stays recorded by the marker for the janitor.
   */
  private async discardUpload(
    objectKey: string,
    markerKey: string,
  ): Promise<void> {
    try {
      await this.abortIdleUploads(objectKey);
      await this.deleteObject(objectKey);
      await this.deleteObject(markerKey);
    } catch {
      // The marker remains, so sweep() finishes the cleanup later.
    }
  }

  /**
   * Aborts the unfinished multipart uploads of `key` that have been idle
   * since `olderThan` (all of them when it is absent), and reports whether
   * any upload of the key is still active.
   */
  private async abortIdleUploads(
    key: string,
    olderThan?: Date,
  ): Promise<{ aborted: number; active: boolean }> {
    let aborted = 0;
    let active = false;
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    do {
      const page = await this.client.send(
        new ListMultipartUploadsCommand({
          Bucket: this.bucket,
          Prefix: key,
          KeyMarker: keyMarker,
          UploadIdMarker: uploadIdMarker,
        }),
      );
      for (const upload of page.Uploads ?? []) {
        if (upload.Key !== key) {
          continue;
        }
        if (
          olderThan &&
          (upload.Initiated! >= olderThan ||
            (await this.lastPartUploadedAt(key, upload.UploadId!)) >= olderThan)
        ) {
          active = true;
          continue;
        }
        try {
          await this.client.send(
            new AbortMultipartUploadCommand({
              Bucket: this.bucket,
              Key: key,
              UploadId: upload.UploadId,
            }),
          );
          aborted += 1;
        } catch (error) {
          if ((error as Error).name !== 'NoSuchUpload') {
            throw error;
          }
        }
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      uploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
    } while (keyMarker);
    return { aborted, active };
  }

  private async lastPartUploadedAt(key: string, uploadId: string) {
    let latest = new Date(0);
    let partNumberMarker: string | undefined;
    do {
      const page = await this.client.send(
        new ListPartsCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId: uploadId,
          PartNumberMarker: partNumberMarker,
        }),
      );
      for (const part of page.Parts ?? []) {
        if (part.LastModified && part.LastModified > latest) {
          latest = part.LastModified;
        }
      }
      partNumberMarker = page.IsTruncated
        ? page.NextPartNumberMarker
        : undefined;
    } while (partNumberMarker);
    return latest;
  }

  private markerKey(id: string): string {
    return `${this.prefix}pending/${id}`;
  }

  private async writeMarker(key: string, marker: Marker): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: JSON.stringify(marker),
        ContentType: 'application/json',
      }),
    );
  }

  /**
   * What a marker records, when it is one this store could have written;
   * anything else in the bucket is never removed on a marker's word.
   */
  private async readMarker(key: string): Promise<Marker | undefined> {
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key }),
      );
      const { key: target, sha256 } = JSON.parse(
        await response.Body!.transformToString(),
      );
      const ownKey = new RegExp(
        `^${escapeRegExp(
          this.prefix,
        )}((tmp|objects)/[0-9a-f-]{36}|blobs/[0-9a-f]{64})$`,
      );
      if (typeof target !== 'string' || !ownKey.test(target)) {
        return undefined;
      }
      if (sha256 === undefined) {
        return { key: target };
      }
      return typeof sha256 === 'string' && isDigest(sha256)
        ? { key: target, sha256 }
        : undefined;
    } catch (error) {
      if (isNotFound(error) || error instanceof SyntaxError) {
        return undefined;
      }
      throw error;
    }
  }

  private async *listObjects(prefix: string): AsyncIterable<_Object> {
    let continuationToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          ContinuationToken: continuationToken,
        }),
      );
      yield* page.Contents ?? [];
      continuationToken = page.IsTruncated
        ? page.NextContinuationToken
        : undefined;
    } while (continuationToken);
  }

  private async head(
    key: string,
  ): Promise<HeadObjectCommandOutput | undefined> {
    try {
      return await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: key }),
      );
    } catch (error) {
      if (isNotFound(error)) {
        return undefined;
      }
      throw error;
    }
  }

  private async deleteObject(key: string): Promise<void> {
    await this.client.send(
      new DeleteObjectCommand({ Bucket: this.bucket, Key: key }),
    );
  }

  private async ensureBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      return;
    } catch (error) {
      if (!isNotFound(error)) {
        throw error;
      }
    }
    const region = await this.client.config.region();
    try {
      await this.client.send(
        new CreateBucketCommand({
          Bucket: this.bucket,
          // us-east-1 is the one region S3 refuses as an explicit constraint.
          CreateBucketConfiguration:
            region && region !== 'us-east-1'
              ? { LocationConstraint: region as BucketLocationConstraint }
              : undefined,
        }),
      );
    } catch (error) {
      // Another instance created it first.
      if ((error as Error).name !== 'BucketAlreadyOwnedByYou') {
        throw error;
      }
    }
  }

  private pointerKey(sha256: string): string {
    assertDigest(sha256);
    return `${this.prefix}refs/${sha256}`;
  }

  private legacyKey(sha256: string): string {
    assertDigest(sha256);
    return `${this.prefix}blobs/${sha256}`;
  }
}

function normalizePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/^\/+|\/+$/g, '');
  return trimmed ? `${trimmed}/` : '';
}

function errorStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } })?.$metadata
    ?.httpStatusCode;
}

function isNotFound(error: unknown): boolean {
  const name = (error as Error)?.name;
  return (
    name === 'NotFound' || name === 'NoSuchKey' || errorStatus(error) === 404
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
