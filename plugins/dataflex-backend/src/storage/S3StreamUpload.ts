import {
  AbortMultipartUploadCommand,
  ChecksumAlgorithm,
  CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { PartBufferPool } from './PartBufferPool';

/** S3's most parts in one multipart upload. */
const MAX_PARTS = 10_000;

/**
 * Options for {@link S3StreamUpload.start}.
 */
export interface S3StreamUploadOptions {
  client: S3Client;
  bucket: string;
  key: string;
  /** Where part buffers come from; its part size is the upload's. */
  buffers: PartBufferPool;
  /** Parts uploaded concurrently. */
  queueSize: number;
}

/**
 * Uploads content of unknown length to one key as it is written: a single
 * `PutObject` when it fits in one part, otherwise a multipart upload with at
 * most `queueSize` parts in flight, each copied into a pooled buffer that is
 * reused once S3 has stored it (see {@link PartBufferPool} for why). This is
 * what `@aws-sdk/lib-storage`'s `Upload` does, apart from its fresh buffer
 * for every part.
 *
 * A written chunk must not change afterwards: until the first part is full
 * the chunks are kept as they are. `write` waits while all parts are in
 * flight, which is the upload's backpressure. After a failure, `abort`
 * waits for the parts in flight and aborts the multipart upload.
 */
export class S3StreamUpload {
  /** Chunks of an upload that may still fit in one `PutObject`. */
  private head: Buffer[] = [];
  private headBytes = 0;
  private multipart = false;
  private part: Buffer | undefined;
  private filled = 0;
  private partCount = 0;
  private uploadId: string | undefined;
  private readonly completed: CompletedPart[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private failure: Error | undefined;

  static start(options: S3StreamUploadOptions): S3StreamUpload {
    return new S3StreamUpload(options);
  }

  private constructor(private readonly options: S3StreamUploadOptions) {}

  async write(chunk: Buffer): Promise<void> {
    this.throwIfFailed();
    const { partSize } = this.options.buffers;
    if (!this.multipart) {
      if (this.headBytes + chunk.length <= partSize) {
        this.head.push(chunk);
        this.headBytes += chunk.length;
        return;
      }
      this.multipart = true;
      const head = this.head;
      this.head = [];
      this.headBytes = 0;
      for (const earlier of head) {
        await this.append(earlier);
      }
    }
    await this.append(chunk);
  }

  /** Stores what was written; the object exists once this resolves. */
  async end(): Promise<void> {
    this.throwIfFailed();
    const { client, bucket, key } = this.options;
    if (!this.multipart) {
      const body =
        this.head.length === 1
          ? this.head[0]
          : Buffer.concat(this.head, this.headBytes);
      this.head = [];
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentLength: body.length,
        }),
      );
      return;
    }
    if (this.filled > 0) {
      await this.sendPart();
    }
    await Promise.all(this.inFlight);
    this.throwIfFailed();
    const parts = [...this.completed].sort(
      (a, b) => a.PartNumber! - b.PartNumber!,
    );
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: this.uploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
  }

  /**
   * Gives up: waits for the parts in flight and aborts the multipart upload.
   * Best effort, so it never throws; what it cannot abort stays for the
   * store's janitor.
   */
  async abort(): Promise<void> {
    this.failure ??= new Error('The upload was aborted');
    this.head = [];
    if (this.part) {
      this.options.buffers.release(this.part);
      this.part = undefined;
    }
    await Promise.all(this.inFlight);
    if (this.uploadId) {
      const { client, bucket, key } = this.options;
      await client
        .send(
          new AbortMultipartUploadCommand({
            Bucket: bucket,
            Key: key,
            UploadId: this.uploadId,
          }),
        )
        .catch(() => undefined);
    }
  }

  private async append(chunk: Buffer): Promise<void> {
    const { buffers } = this.options;
    let offset = 0;
    while (offset < chunk.length) {
      this.part ??= buffers.acquire();
      const n = Math.min(chunk.length - offset, buffers.partSize - this.filled);
      chunk.copy(this.part, this.filled, offset, offset + n);
      this.filled += n;
      offset += n;
      if (this.filled === buffers.partSize) {
        await this.sendPart();
      }
    }
  }

  /** Queues the part being filled once a slot is free. */
  private async sendPart(): Promise<void> {
    const body = this.part!;
    const length = this.filled;
    this.part = undefined;
    this.filled = 0;
    try {
      while (this.inFlight.size >= this.options.queueSize) {
        await Promise.race(this.inFlight);
      }
      this.throwIfFailed();
      this.uploadId ??= await this.createMultipartUpload();
      this.partCount += 1;
      if (this.partCount > MAX_PARTS) {
        throw new Error(
          `The content needs more than ${MAX_PARTS} parts of ${this.options.buffers.partSize} bytes; configure a larger S3 part size`,
        );
      }
    } catch (error) {
      this.options.buffers.release(body);
      throw error;
    }
    const task: Promise<void> = this.uploadPart(
      this.partCount,
      body,
      length,
    ).finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
  }

  private async uploadPart(
    partNumber: number,
    body: Buffer,
    length: number,
  ): Promise<void> {
    const { client, bucket, key, buffers } = this.options;
    try {
      const result = await client.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId: this.uploadId,
          PartNumber: partNumber,
          Body: body.subarray(0, length),
          ContentLength: length,
        }),
      );
      // Only a part S3 answered for is handed back: after a failed request
      // the socket may still be sending from the buffer.
      buffers.release(body);
      if (!result.ETag) {
        throw new Error(
          `S3 stored part ${partNumber} of ${key} without answering its ETag`,
        );
      }
      this.completed.push({
        PartNumber: partNumber,
        ETag: result.ETag,
        ChecksumCRC32: result.ChecksumCRC32,
      });
    } catch (error) {
      this.failure ??= error as Error;
    }
  }

  private async createMultipartUpload(): Promise<string> {
    const { client, bucket, key } = this.options;
    // As lib-storage does: with checksums on, the parts carry CRC32s, which
    // S3 accepts only for an upload created with that algorithm.
    const checksums =
      (await client.config.requestChecksumCalculation()) === 'WHEN_SUPPORTED';
    const { UploadId } = await client.send(
      new CreateMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        ChecksumAlgorithm: checksums ? ChecksumAlgorithm.CRC32 : undefined,
      }),
    );
    if (!UploadId) {
      throw new Error(`S3 started no multipart upload for ${key}`);
    }
    return UploadId;
  }

  private throwIfFailed() {
    if (this.failure) {
      throw this.failure;
    }
  }
}
