import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { InputError, NotFoundError } from '@backstage/errors';
import { S3BlobStore } from './S3BlobStore';
import { chunked, sha256Of } from './__testUtils__/blobStoreContract';
import { createS3Subject } from './__testUtils__/blobStoreSubjects';
import {
  CHECKSUM_MODES,
  findTestS3Server,
  TestS3Server,
} from './__testUtils__/testS3';

jest.setTimeout(60_000);

const MiB = 1024 * 1024;
const s3 = findTestS3Server();

// The behaviour shared with every store is in blobStoreContract.test.ts.
(s3 ? describe.each : describe.skip.each)(CHECKSUM_MODES)(
  'S3BlobStore with requestChecksumCalculation %s',
  checksumMode => {
    const server = s3 as TestS3Server;
    let subject: Awaited<ReturnType<typeof createS3Subject>>;

    afterEach(async () => {
      await subject?.dispose();
    });

    it('stores blobs under <prefix>blobs/<sha256> with the digest as metadata', async () => {
      subject = await createS3Subject(server, checksumMode);
      const { sha256 } = await subject.store.put(Readable.from(['addressed']));

      const head = await subject.client.send(
        new HeadObjectCommand({
          Bucket: server.bucket,
          Key: `${subject.prefix}blobs/${sha256}`,
        }),
      );

      expect(head.ContentLength).toBe('addressed'.length);
      expect(head.Metadata).toEqual({ sha256 });
    });

    it('copies blobs above the single-copy limit into place part by part', async () => {
      subject = await createS3Subject(server, checksumMode, {
        multipartCopyThresholdBytes: 5 * MiB,
        multipartCopyPartSizeBytes: 5 * MiB,
      });
      const content = randomBytes(12 * MiB + 7);

      const stored = await subject.store.put(chunked(content));

      expect(stored).toEqual({
        sha256: sha256Of(content),
        size: content.length,
        created: true,
      });
      expect(
        sha256Of(await buffer(await subject.store.open(stored.sha256))),
      ).toBe(stored.sha256);
      const head = await subject.client.send(
        new HeadObjectCommand({
          Bucket: server.bucket,
          Key: `${subject.prefix}blobs/${stored.sha256}`,
        }),
      );
      // A multipart ETag ends in the part count: 12 MiB in 5 MiB parts.
      expect(head.ETag).toMatch(/-3"$/);
      expect(await subject.leftovers()).toEqual({
        tempObjects: 0,
        unfinishedUploads: 0,
      });
    });

    it('hands out a short-lived download URL that serves the content as a safely named attachment', async () => {
      subject = await createS3Subject(server, checksumMode);
      const content = 'id,name\n1,Ada\n';
      const { sha256 } = await subject.store.put(Readable.from([content]));

      const url = await subject.store.getDownloadUrl(sha256, {
        filename: '../people "2024"\r\nSet-Cookie: x=1.csv',
        contentType: 'text/csv',
        expiresInSeconds: 60,
      });
      const res = await fetch(url);

      expect(res.status).toBe(200);
      expect(await res.text()).toBe(content);
      expect(res.headers.get('content-type')).toBe('text/csv');
      expect(res.headers.get('content-disposition')).toBe(
        `attachment; filename="people _2024_Set-Cookie: x=1.csv"; filename*=UTF-8''people%20%222024%22Set-Cookie%3A%20x%3D1.csv`,
      );
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('60');
    });

    it('signs download URLs for the configured lifetime and refuses others', async () => {
      subject = await createS3Subject(server, checksumMode, {
        presignedUrlTtlSeconds: 120,
      });
      const { sha256 } = await subject.store.put(Readable.from(['ttl']));

      const url = await subject.store.getDownloadUrl(sha256, {
        filename: 'ttl.txt',
      });

      expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('120');
      await expect(
        subject.store.getDownloadUrl(sha256, {
          filename: 'ttl.txt',
          expiresInSeconds: 8 * 24 * 60 * 60,
        }),
      ).rejects.toThrow(InputError);
      await expect(
        subject.store.getDownloadUrl(sha256Of('absent'), {
          filename: 'absent.txt',
        }),
      ).rejects.toThrow(NotFoundError);
    });

    it('creates its bucket when asked to', async () => {
      subject = await createS3Subject(server, checksumMode);
      const bucket = `dataflex-created-${Date.now()}`;

      const store = await S3BlobStore.create({
        client: subject.client,
        bucket,
        createBucket: true,
      });

      await expect(store.check()).resolves.toBeUndefined();
      await expect(
        S3BlobStore.create({
          client: subject.client,
          bucket,
          createBucket: true,
        }),
      ).resolves.toBeDefined();
    });

    it('fails its health check when the bucket does not exist or the credentials are wrong', async () => {
      subject = await createS3Subject(server, checksumMode);
      const missingBucket = await S3BlobStore.create({
        client: subject.client,
        bucket: 'dataflex-no-such-bucket',
      });
      await expect(missingBucket.check()).rejects.toThrow(/bucket/i);

      const wrongCredentials = await S3BlobStore.create({
        client: new S3Client({
          endpoint: server.endpoint,
          region: 'us-east-1',
          forcePathStyle: true,
          credentials: { accessKeyId: 'nobody', secretAccessKey: 'wrong' },
        }),
        bucket: server.bucket,
      });
      await expect(wrongCredentials.check()).rejects.toThrow();
    });

    it('leaves an upload alone while parts keep arriving, however long ago it began', async () => {
      subject = await createS3Subject(server, checksumMode);
      const gates = [deferred(), deferred()];
      async function* slowClient() {
        yield randomBytes(6 * MiB);
        await gates[0].promise;
        yield randomBytes(5 * MiB);
        await gates[1].promise;
        yield Buffer.from('end');
      }

      const put = subject.store.put(Readable.from(slowClient()));
      await waitFor(async () => (await subject.uploadedParts()) === 1);
      await sleep(1100);
      const cutoff = new Date();
      await sleep(1100);
      gates[0].resolve();
      await waitFor(async () => (await subject.uploadedParts()) === 2);

      // Begun before the cutoff, but its newest part arrived after it.
      expect(await subject.store.sweep({ olderThan: cutoff })).toEqual({
        abortedUploads: 0,
        removedTempObjects: 0,
      });
      gates[1].resolve();

      expect(await put).toMatchObject({ size: 11 * MiB + 3, created: true });
      expect(await subject.leftovers()).toEqual({
        tempObjects: 0,
        unfinishedUploads: 0,
      });
    });
  },
);

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>(r => {
    resolve = r;
  });
  return { promise, resolve };
}

function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) {
      return;
    }
    await sleep(50);
  }
  throw new Error('Condition not met within 10 s');
}
