import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { LocalDiskBlobStore } from '../LocalDiskBlobStore';
import { S3BlobStore, S3BlobStoreOptions } from '../S3BlobStore';
import { BlobStoreContractSubject, chunked } from './blobStoreContract';
import {
  ChecksumMode,
  createTestS3Client,
  deleteTestPrefix,
  TestS3Server,
  uniqueTestPrefix,
} from './testS3';

const MiB = 1024 * 1024;

export async function createLocalDiskSubject(): Promise<
  BlobStoreContractSubject & { directory: string }
> {
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'dataflex-blobs-'));
  const store = await LocalDiskBlobStore.create({ directory });
  const tmpDir = path.join(directory, 'tmp');
  return {
    store,
    directory,
    async crashPuts() {
      // A process killed mid-put leaves its partly written temporary file.
      await fs.writeFile(
        path.join(tmpDir, `${randomUUID()}.part`),
        randomBytes(1024),
      );
      return { abortedUploads: 0, removedTempObjects: 1 };
    },
    async leftovers() {
      return {
        tempObjects: (await fs.readdir(tmpDir)).length,
        unfinishedUploads: 0,
      };
    },
    async dispose() {
      await fs.rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * An S3 store under a fresh prefix of the test bucket. Its client can be
 * made to "crash": from a chosen request on, every request fails, as if the
 * process had died there, so the store's own cleanup cannot run either.
 */
export async function createS3Subject(
  server: TestS3Server,
  checksumMode: ChecksumMode,
  options: Partial<S3BlobStoreOptions> = {},
): Promise<
  BlobStoreContractSubject & {
    store: S3BlobStore;
    client: S3Client;
    prefix: string;
    /** Parts stored so far by unfinished multipart uploads. */
    uploadedParts(): Promise<number>;
  }
> {
  const client = createTestS3Client(server, checksumMode);
  const prefix = uniqueTestPrefix();
  const multipartKeys = new Set<string>();
  let crash: { before?: string; after?: string } = {};
  let crashed = false;

  client.middlewareStack.add(
    (next, context) => async args => {
      if (crashed || context.commandName === crash.before) {
        crashed = true;
        throw new Error(`simulated crash before ${context.commandName}`);
      }
      if (context.commandName === 'CreateMultipartUploadCommand') {
        multipartKeys.add((args.input as { Key: string }).Key);
      }
      const result = await next(args);
      if (context.commandName === crash.after) {
        crashed = true;
      }
      return result;
    },
    { step: 'initialize', name: 'dataflexTestCrashSimulator' },
  );

  const store = await S3BlobStore.create({
    client,
    bucket: server.bucket,
    prefix,
    partSizeBytes: 5 * MiB,
    createBucket: true,
    ...options,
  });

  async function crashDuring(
    point: { before?: string; after?: string },
    content: Buffer,
  ) {
    crash = point;
    try {
      await expect(store.put(chunked(content))).rejects.toThrow(
        /simulated crash/,
      );
    } finally {
      crash = {};
      crashed = false;
    }
  }

  async function unfinishedUploads() {
    const uploads = [];
    // MinIO lists multipart uploads only for an exact key.
    for (const key of multipartKeys) {
      const page = await client.send(
        new ListMultipartUploadsCommand({ Bucket: server.bucket, Prefix: key }),
      );
      uploads.push(...(page.Uploads ?? []).filter(u => u.Key === key));
    }
    return uploads;
  }

  async function countObjects(under: string) {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: server.bucket, Prefix: under }),
    );
    return page.KeyCount ?? 0;
  }

  return {
    store,
    client,
    prefix,
    async crashPuts() {
      // Dies after the first part of a multipart upload was stored...
      await crashDuring({ after: 'UploadPartCommand' }, randomBytes(11 * MiB));
      // ...and after the upload was complete, before the copy into place.
      await crashDuring({ before: 'CopyObjectCommand' }, randomBytes(1024));
      return { abortedUploads: 1, removedTempObjects: 1 };
    },
    async uploadedParts() {
      let parts = 0;
      for (const upload of await unfinishedUploads()) {
        const page = await client.send(
          new ListPartsCommand({
            Bucket: server.bucket,
            Key: upload.Key,
            UploadId: upload.UploadId,
          }),
        );
        parts += page.Parts?.length ?? 0;
      }
      return parts;
    },
    async leftovers() {
      return {
        tempObjects:
          (await countObjects(`${prefix}tmp/`)) +
          (await countObjects(`${prefix}pending/`)),
        unfinishedUploads: (await unfinishedUploads()).length,
      };
    },
    async dispose() {
      await deleteTestPrefix(client, server.bucket, prefix);
      client.destroy();
    },
  };
}
