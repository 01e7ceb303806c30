import { createHash, randomUUID } from 'node:crypto';
import { pipeline, Readable, Transform } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  BucketLocationConstraint,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
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
  UploadPartCopyCommand,
  _Object,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  BlobDownloadUrlOptions,
  BlobListing,
  BlobRange,
  BlobStore,
  BlobSweepOptions,
  BlobSweepResult,
  StoredBlob,
} from '@dataflex/backstage-plugin-dataflex-node';
import { assertDigest, assertRange, isDigest } from './assertDigest';
import { attachmentContentDisposition } from './attachmentContentDisposition';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
/** S3's limits for multipart uploads and single-request copies. */
const MIN_PART_SIZE = 5 * MiB;
const MAX_PART_SIZE = 5 * GiB;
const MAX_PARTS = 10_000;
const MAX_PRESIGNED_TTL_SECONDS = 7 * 24 * 60 * 60;
const COPY_CONCURRENCY = 4;

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
  /**
   * Blobs above this size are copied into place part by part
   * (UploadPartCopy); S3 copies at most 5 GiB in one request.
   */
  multipartCopyThresholdBytes?: number;
  multipartCopyPartSizeBytes?: number;
}

/**
 * Stores blobs in an S3 bucket (AWS S3, MinIO or any S3-compatible store) as
 * `<prefix>blobs/<sha256>`.
 *
 * A put streams the content to a temporary key with a bounded multipart
 * upload while hashing it, then copies it server-side to its address and
 * deletes the temporary object, so no key under `blobs/` ever holds partial
 * content. Before anything is uploaded, a marker under `pending/` names the
 * key whose multipart upload a crash could leave behind: not every store can
 * list multipart uploads by prefix (MinIO lists them only for an exact key),
 * so `sweep` finds abandoned uploads through these markers.
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
    const store = new S3BlobStore(
      options.client,
      options.bucket,
      normalizePrefix(options.prefix),
      partSizeBytes,
      options.queueSize ?? 2,
      options.presignedUrlTtlSeconds ?? 300,
      options.multipartCopyThresholdBytes ?? MAX_PART_SIZE,
      options.multipartCopyPartSizeBytes ?? 512 * MiB,
    );
    if (options.createBucket) {
      await store.ensureBucket();
    }
    return store;
  }

  private constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
    private readonly partSizeBytes: number,
    private readonly queueSize: number,
    private readonly presignedUrlTtlSeconds: number,
    private readonly multipartCopyThresholdBytes: number,
    private readonly multipartCopyPartSizeBytes: number,
  ) {}

  async put(content: Readable): Promise<StoredBlob> {
    const id = randomUUID();
    const tmpKey = `${this.prefix}tmp/${id}`;
    const uploadMarker = await this.writeMarker(`${id}`, tmpKey);

    const hash = createHash('sha256');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        size += chunk.length;
        callback(undefined, chunk);
      },
    });
    // pipeline() forwards a failure of the source into `measure`, which fails
    // the upload reading from it.
    pipeline(content, measure, () => undefined);

    try {
      await new Upload({
        client: this.client,
        params: { Bucket: this.bucket, Key: tmpKey, Body: measure },
        partSize: this.partSizeBytes,
        queueSize: this.queueSize,
        // Aborting is done below, where a failed abort can be left to the
        // janitor instead of hiding the error that caused it.
        leavePartsOnError: true,
      }).done();
    } catch (error) {
      measure.destroy();
      await this.discardTemp(tmpKey, uploadMarker);
      throw error;
    }

    try {
      const sha256 = hash.digest('hex');
      const blobKey = this.blobKey(sha256);
      const existing = await this.head(blobKey);
      const created = existing?.ContentLength !== size;
      if (created) {
        await this.copyIntoPlace(id, tmpKey, blobKey, sha256, size);
      }
      await this.deleteObject(tmpKey);
      await this.deleteObject(uploadMarker);
      return { sha256, size, created };
    } catch (error) {
      await this.discardTemp(tmpKey, uploadMarker);
      throw error;
    }
  }

  async open(sha256: string, range?: BlobRange): Promise<Readable> {
    const key = this.blobKey(sha256);
    if (range) {
      assertRange(range);
    }
    try {
      const response = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Range: range ? `bytes=${range.start}-${range.end ?? ''}` : undefined,
        }),
      );
      return response.Body as Readable;
    } catch (error) {
      if (isNotFound(error)) {
        throw new NotFoundError(`No stored content with digest ${sha256}`);
      }
      // S3 answers 416 for a range starting past the end, including any
      // range of empty content; the contract is to read nothing.
      if (errorStatus(error) === 416 && (await this.has(sha256))) {
        return Readable.from([]);
      }
      throw error;
    }
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.head(this.blobKey(sha256))) !== undefined;
  }

  async delete(sha256: string): Promise<void> {
    await this.deleteObject(this.blobKey(sha256));
  }

  async check(): Promise<void> {
    const probe = `${this.prefix}tmp/health-${randomUUID()}`;
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: probe, Body: 'ok' }),
    );
    await this.deleteObject(probe);
  }

  async *list(): AsyncIterable<BlobListing> {
    const blobsPrefix = `${this.prefix}blobs/`;
    for await (const object of this.listObjects(blobsPrefix)) {
      const sha256 = object.Key!.slice(blobsPrefix.length);
      if (isDigest(sha256)) {
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
      const target = await this.readMarker(marker.Key!);
      if (target === undefined) {
        await this.deleteObject(marker.Key!);
        continue;
      }
      const { aborted, active } = await this.abortIdleUploads(
        target,
        olderThan,
      );
      abortedUploads += aborted;
      if (!active) {
        await this.deleteObject(marker.Key!);
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
    if (!(await this.has(sha256))) {
      throw new NotFoundError(`No stored content with digest ${sha256}`);
    }
    return getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: this.blobKey(sha256),
        ResponseContentDisposition: attachmentContentDisposition(
          options.filename,
        ),
        ResponseContentType: options.contentType,
      }),
      { expiresIn },
    );
  }

  private async copyIntoPlace(
    id: string,
    tmpKey: string,
    blobKey: string,
    sha256: string,
    size: number,
  ): Promise<void> {
    let etag: string | undefined;
    if (size <= this.multipartCopyThresholdBytes) {
      const response = await this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: blobKey,
          CopySource: this.copySource(tmpKey),
          MetadataDirective: 'REPLACE',
          Metadata: { sha256 },
          ContentType: 'application/octet-stream',
        }),
      );
      etag = response.CopyObjectResult?.ETag;
    } else {
      etag = await this.multipartCopy(id, tmpKey, blobKey, sha256, size);
    }

    // A copy that reports success but stored something else must not stay
    // under the digest's address.
    const stored = await this.head(blobKey);
    if (
      stored?.ContentLength !== size ||
      stored.Metadata?.sha256 !== sha256 ||
      (etag !== undefined && stored.ETag !== etag)
    ) {
      await this.deleteObject(blobKey);
      throw new Error(
        `S3 copy of blob ${sha256} could not be verified: expected ${size} bytes with ETag ${etag}, found ${stored?.ContentLength} bytes with ETag ${stored?.ETag}`,
      );
    }
  }

  private async multipartCopy(
    id: string,
    tmpKey: string,
    blobKey: string,
    sha256: string,
    size: number,
  ): Promise<string | undefined> {
    const partSize = Math.min(
      MAX_PART_SIZE,
      Math.max(this.multipartCopyPartSizeBytes, Math.ceil(size / MAX_PARTS)),
    );
    const copyMarker = await this.writeMarker(`${id}-copy`, blobKey);
    const { UploadId } = await this.client.send(
      new CreateMultipartUploadCommand({
        Bucket: this.bucket,
        Key: blobKey,
        Metadata: { sha256 },
        ContentType: 'application/octet-stream',
      }),
    );

    try {
      const ranges: Array<{ partNumber: number; start: number; end: number }> =
        [];
      for (let start = 0; start < size; start += partSize) {
        ranges.push({
          partNumber: ranges.length + 1,
          start,
          end: Math.min(start + partSize, size) - 1,
        });
      }
      const etags = new Array<string>(ranges.length);
      let next = 0;
      const copyParts = async () => {
        while (next < ranges.length) {
          const { partNumber, start, end } = ranges[next++];
          const response = await this.client.send(
            new UploadPartCopyCommand({
              Bucket: this.bucket,
              Key: blobKey,
              UploadId,
              PartNumber: partNumber,
              CopySource: this.copySource(tmpKey),
              CopySourceRange: `bytes=${start}-${end}`,
            }),
          );
          etags[partNumber - 1] = response.CopyPartResult!.ETag!;
        }
      };
      await Promise.all(
        Array.from({ length: Math.min(COPY_CONCURRENCY, ranges.length) }, () =>
          copyParts(),
        ),
      );
      const response = await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: blobKey,
          UploadId,
          MultipartUpload: {
            Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })),
          },
        }),
      );
      await this.deleteObject(copyMarker);
      return response.ETag;
    } catch (error) {
      await this.client
        .send(
          new AbortMultipartUploadCommand({
            Bucket: this.bucket,
            Key: blobKey,
            UploadId,
          }),
        )
        .then(() => this.deleteObject(copyMarker))
        .catch(() => undefined);
      throw error;
    }
  }

  /**
   * Best-effort cleanup after a failed put. Whatever cannot be removed now
   * stays recorded by the marker for the janitor.
   */
  private async discardTemp(tmpKey: string, marker: string): Promise<void> {
    try {
      await this.abortIdleUploads(tmpKey);
      await this.deleteObject(tmpKey);
      await this.deleteObject(marker);
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

  private async writeMarker(name: string, target: string): Promise<string> {
    const key = `${this.prefix}pending/${name}`;
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: JSON.stringify({ key: target }),
        ContentType: 'application/json',
      }),
    );
    return key;
  }

  /**
   * The key a marker names, when it is one this store could have written;
   * anything else in the bucket is never aborted on a marker's word.
   */
  private async readMarker(key: string): Promise<string | undefined> {
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key }),
      );
      const { key: target } = JSON.parse(
        await response.Body!.transformToString(),
      );
      const ownKey = new RegExp(
        `^${escapeRegExp(this.prefix)}(tmp/[0-9a-f-]{36}|blobs/[0-9a-f]{64})$`,
      );
      return typeof target === 'string' && ownKey.test(target)
        ? target
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

  private blobKey(sha256: string): string {
    assertDigest(sha256);
    return `${this.prefix}blobs/${sha256}`;
  }

  private copySource(key: string): string {
    return `${this.bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
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
