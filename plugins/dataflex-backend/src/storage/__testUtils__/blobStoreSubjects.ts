import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { LocalDiskBlobStore } from '../LocalDiskBlobStore';
import { S3BlobStore, S3BlobStoreOptions } from '../S3BlobStore';
import {
  BlobStoreContractSubject,
  chunked,
  sha256Of,
} from './blobStoreContract';
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
      return {
        sweep: { abortedUploads: 0, removedTempObjects: 1 },
        stored: [],
      };
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
 * A request of the S3 client: a command, optionally only for keys starting
 * with `keyPrefix` (relative to the store's prefix).
 */
export interface S3Request {
  command: string;
  keyPrefix?: string;
}

/** Where a simulated crash happens: before or after the request named. */
export interface S3CrashPoint {
  before?: S3Request;
  after?: S3Request;
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
    /** Runs `action`, which must fail at the crash point. */
    crashDuring(
      point: S3CrashPoint,
      action: () => Promise<unknown>,
    ): Promise<void>;
    /** Commands sent so far, in order. */
    sent: string[];
    /** Objects under `objects/` that no pointer under `refs/` names. */
    unlinkedObjects(): Promise<string[]>;
    /** Parts stored so far by unfinished multipart uploads. */
    uploadedParts(): Promise<number>;
  }
> {
  const client = createTestS3Client(server, checksumMode);
  const prefix = uniqueTestPrefix();
  const multipartKeys = new Set<string>();
  let crash: S3CrashPoint = {};
  let crashed = false;
  const sent: string[] = [];
  const matches = (
    request: S3Request | undefined,
    command: string,
    key: string | undefined,
  ) =>
    request?.command === command &&
    (request.keyPrefix === undefined ||
      (key?.startsWith(`${prefix}${request.keyPrefix}`) ?? false));

  client.middlewareStack.add(
    (next, context) => async args => {
      const command = context.commandName ?? '';
      const key = (args.input as { Key?: string }).Key;
      if (crashed || matches(crash.before, command, key)) {
        crashed = true;
        throw new Error(`simulated crash before ${command}`);
      }
      sent.push(command);
      if (command === 'CreateMultipartUploadCommand') {
        multipartKeys.add(key!);
      }
      const result = await next(args);
      if (matches(crash.after, command, key)) {
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
    point: S3CrashPoint,
    action: () => Promise<unknown>,
  ) {
    crash = point;
    try {
      await expect(action()).rejects.toThrow(/simulated crash/);
    } finally {
      crash = {};
      crashed = false;
    }
  }
  const crashPut = (point: S3CrashPoint, content: Buffer) =>
    crashDuring(point, () => store.put(chunked(content)));

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

  async function keysUnder(under: string) {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: server.bucket, Prefix: under }),
    );
    return (page.Contents ?? []).map(o => o.Key!);
  }

  async function unlinkedObjects() {
    const linked = new Set<string>();
    for (const key of await keysUnder(`${prefix}refs/`)) {
      const head = await client.send(
        new HeadObjectCommand({ Bucket: server.bucket, Key: key }),
      );
      if (head.Metadata?.object) {
        linked.add(`${prefix}objects/${head.Metadata.object}`);
      }
    }
    return (await keysUnder(`${prefix}objects/`)).filter(k => !linked.has(k));
  }

  return {
    store,
    client,
    prefix,
    crashDuring,
    sent,
    unlinkedObjects,
    async crashPuts() {
      // Dies after the first part of a multipart upload was stored...
      await crashPut(
        { after: { command: 'UploadPartCommand' } },
        randomBytes(11 * MiB),
      );
      // ...after the upload was complete, before looking for its digest...
      await crashPut(
        { before: { command: 'HeadObjectCommand' } },
        randomBytes(1024),
      );
      // ...after recording the digest, before writing the pointer...
      await crashPut(
        { before: { command: 'PutObjectCommand', keyPrefix: 'refs/' } },
        randomBytes(1024),
      );
      // ...and after writing the pointer: that content is stored.
      const linked = randomBytes(2048);
      await crashPut(
        { after: { command: 'PutObjectCommand', keyPrefix: 'refs/' } },
        linked,
      );
      return {
        sweep: { abortedUploads: 1, removedTempObjects: 2 },
        stored: [sha256Of(linked)],
      };
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
          (await keysUnder(`${prefix}tmp/`)).length +
          (await keysUnder(`${prefix}pending/`)).length +
          (await unlinkedObjects()).length,
        unfinishedUploads: (await unfinishedUploads()).length,
      };
    },
    async dispose() {
      await deleteTestPrefix(client, server.bucket, prefix);
      client.destroy();
    },
  };
}
