import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ConfigReader } from '@backstage/config';
import { createBlobStore } from './createBlobStore';
import { LocalDiskBlobStore } from './LocalDiskBlobStore';
import { S3BlobStore } from './S3BlobStore';
import { findTestS3Server, uniqueTestPrefix } from './__testUtils__/testS3';

const s3Server = findTestS3Server();

function storageConfig(storage: object) {
  return new ConfigReader({ dataflex: { storage } });
}

describe('createBlobStore', () => {
  it('builds a local store by default', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dataflex-config-'));
    try {
      const store = await createBlobStore(
        storageConfig({ local: { directory: dir } }),
      );
      expect(store).toBeInstanceOf(LocalDiskBlobStore);
      expect(store.kind).toBe('local');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('builds an S3 store from a complete s3 block without contacting S3', async () => {
    const store = await createBlobStore(
      storageConfig({
        type: 's3',
        s3: {
          bucket: 'datasets',
          endpoint: 'http://127.0.0.1:1',
          forcePathStyle: true,
          accessKeyId: 'id',
          secretAccessKey: 'secret',
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_SUPPORTED',
          partSizeBytes: 16 * 1024 * 1024,
          queueSize: 2,
          presignedUrlTtlSeconds: 60,
        },
      }),
    );
    expect(store).toBeInstanceOf(S3BlobStore);
    expect(store.kind).toBe('s3');
  });

  it.each([
    [
      'an unknown storage type',
      { type: 'ftp' },
      "Invalid config at dataflex.storage.type: 'ftp' is not a supported storage type; use 'local' or 's3'",
    ],
    [
      'a missing s3 block',
      { type: 's3' },
      "Missing required config value at 'dataflex.storage.s3'",
    ],
    [
      'a missing bucket',
      { type: 's3', s3: { region: 'eu-west-1' } },
      "Missing required config value at 'dataflex.storage.s3.bucket'",
    ],
    [
      'an access key without its secret',
      { type: 's3', s3: { bucket: 'b', accessKeyId: 'id' } },
      'Invalid config at dataflex.storage.s3.secretAccessKey: set both accessKeyId and secretAccessKey',
    ],
    [
      'a secret without its access key',
      { type: 's3', s3: { bucket: 'b', secretAccessKey: 'secret' } },
      'Invalid config at dataflex.storage.s3.accessKeyId: set both accessKeyId and secretAccessKey',
    ],
    [
      'an unknown checksum mode',
      { type: 's3', s3: { bucket: 'b', requestChecksumCalculation: 'ALWAYS' } },
      "Invalid config at dataflex.storage.s3.requestChecksumCalculation: 'ALWAYS' is not one of WHEN_SUPPORTED, WHEN_REQUIRED",
    ],
    [
      'an unknown response checksum mode',
      { type: 's3', s3: { bucket: 'b', responseChecksumValidation: 'never' } },
      "Invalid config at dataflex.storage.s3.responseChecksumValidation: 'never' is not one of WHEN_SUPPORTED, WHEN_REQUIRED",
    ],
    [
      'a part size below the S3 minimum',
      { type: 's3', s3: { bucket: 'b', partSizeBytes: 1024 } },
      'Invalid config at dataflex.storage.s3.partSizeBytes: expected an integer from 5242880 to 5368709120, got 1024',
    ],
    [
      'a download URL lifetime past the SigV4 maximum',
      { type: 's3', s3: { bucket: 'b', presignedUrlTtlSeconds: 604801 } },
      'Invalid config at dataflex.storage.s3.presignedUrlTtlSeconds: expected an integer from 1 to 604800, got 604801',
    ],
    [
      'a queue size of zero',
      { type: 's3', s3: { bucket: 'b', queueSize: 0 } },
      'Invalid config at dataflex.storage.s3.queueSize: expected an integer from 1 to 64, got 0',
    ],
  ])(
    'refuses %s with a message naming the key',
    async (_what, storage, message) => {
      await expect(createBlobStore(storageConfig(storage))).rejects.toThrow(
        message,
      );
    },
  );

  (s3Server ? describe : describe.skip)('against a real S3 server', () => {
    it('builds a working S3 store from config, creating the bucket when asked', async () => {
      const server = s3Server!;
      const store = await createBlobStore(
        storageConfig({
          type: 's3',
          s3: {
            bucket: `dataflex-config-${Date.now()}`,
            createBucket: true,
            endpoint: server.endpoint,
            forcePathStyle: true,
            accessKeyId: server.accessKeyId,
            secretAccessKey: server.secretAccessKey,
            prefix: uniqueTestPrefix(),
            requestChecksumCalculation: 'WHEN_REQUIRED',
            responseChecksumValidation: 'WHEN_REQUIRED',
          },
        }),
      );

      await expect(store.check()).resolves.toBeUndefined();
      const { sha256 } = await store.put(Readable.from(['from config']));
      await store.delete(sha256);
    });
  });
});
