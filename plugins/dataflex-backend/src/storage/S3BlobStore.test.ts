import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import {
  DeleteObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
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

    it('uploads content to an object of its own and points to it from <prefix>refs/<sha256>, copying nothing', async () => {
      subject = await createS3Subject(server, checksumMode);
      const content = randomBytes(11 * MiB + 5);

      const stored = await subject.store.put(chunked(content));

      const pointer = await subject.client.send(
        new HeadObjectCommand({
          Bucket: server.bucket,
          Key: `${subject.prefix}refs/${stored.sha256}`,
        }),
      );
      expect(pointer.ContentLength).toBe(0);
      expect(pointer.Metadata).toEqual({
        sha256: stored.sha256,
        object: expect.stringMatching(/^[0-9a-f-]{36}$/),
        size: String(content.length),
      });
      const object = await subject.client.send(
        new HeadObjectCommand({
          Bucket: server.bucket,
          Key: `${subject.prefix}objects/${pointer.Metadata!.object}`,
        }),
      );
      expect(object.ContentLength).toBe(content.length);
      expect(subject.sent).not.toContainEqual(expect.stringMatching(/Copy/));
      // An instance of an earlier release, which reads content from
      // blobs/<sha256>, finds nothing rather than the empty pointer.
      await expect(
        subject.client.send(
          new HeadObjectCommand({
            Bucket: server.bucket,
            Key: `${subject.prefix}blobs/${stored.sha256}`,
          }),
        ),
      ).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
      expect(await subject.unlinkedObjects()).toEqual([]);
    });

    it('lets exactly one of two racing puts of the same content create it; the other removes its own object', async () => {
      subject = await createS3Subject(server, checksumMode);
      const content = randomBytes(1024);
      // Both puts reach the pointer's conditional write before either sends
      // it, so both found the digest absent.
      const arrived = deferred();
      let waiting = 0;
      subject.client.middlewareStack.add(
        next => async args => {
          const { Key } = args.input as { Key?: string };
          if (Key?.startsWith(`${subject.prefix}refs/`)) {
            waiting += 1;
            if (waiting === 2) {
              arrived.resolve();
            }
            await arrived.promise;
          }
          return next(args);
        },
        { step: 'initialize', name: 'holdPointerWrites' },
      );

      const results = await Promise.all([
        subject.store.put(chunked(content)),
        subject.store.put(chunked(content)),
      ]);

      expect(waiting).toBeGreaterThanOrEqual(2);
      expect(results.map(r => r.created).sort()).toEqual([false, true]);
      expect(results[0].sha256).toBe(sha256Of(content));
      expect(results[1].sha256).toBe(sha256Of(content));
      expect(await subject.unlinkedObjects()).toEqual([]);
      expect(await subject.leftovers()).toEqual({
        tempObjects: 0,
        unfinishedUploads: 0,
      });
      expect(await buffer(await subject.store.open(sha256Of(content)))).toEqual(
        content,
      );
    });

    it('reads, lists, dedupes against, signs URLs for and deletes blobs of the old layout, content under blobs/<sha256>', async () => {
      subject = await createS3Subject(server, checksumMode);
      const content = 'id,name\n1,Ada\n';
      const sha256 = sha256Of(content);
      await subject.client.send(
        new PutObjectCommand({
          Bucket: server.bucket,
          Key: `${subject.prefix}blobs/${sha256}`,
          Body: content,
          Metadata: { sha256 },
          ContentType: 'application/octet-stream',
        }),
      );
      const empty = sha256Of('');
      await subject.client.send(
        new PutObjectCommand({
          Bucket: server.bucket,
          Key: `${subject.prefix}blobs/${empty}`,
          Body: new Uint8Array(0),
          Metadata: { sha256: empty },
        }),
      );

      expect(await subject.store.has(sha256)).toBe(true);
      expect((await buffer(await subject.store.open(sha256))).toString()).toBe(
        content,
      );
      expect(
        (
          await buffer(await subject.store.open(sha256, { start: 3, end: 6 }))
        ).toString(),
      ).toBe('name');
      expect((await buffer(await subject.store.open(empty))).length).toBe(0);
      const listed = [];
      for await (const blob of subject.store.list()) {
        listed.push({ sha256: blob.sha256, size: blob.size });
      }
      const bySha = (a: { sha256: string }, b: { sha256: string }) =>
        a.sha256.localeCompare(b.sha256);
      expect(listed.sort(bySha)).toEqual(
        [
          { sha256, size: content.length },
          { sha256: empty, size: 0 },
        ].sort(bySha),
      );
      const res = await fetch(
        await subject.store.getDownloadUrl(sha256, { filename: 'old.csv' }),
      );
      expect(await res.text()).toBe(content);

      expect(await subject.store.put(Readable.from([content]))).toEqual({
        sha256,
        size: content.length,
        created: false,
      });
      expect(await subject.unlinkedObjects()).toEqual([]);
      expect(await subject.leftovers()).toEqual({
        tempObjects: 0,
        unfinishedUploads: 0,
      });

      await subject.store.delete(sha256);
      expect(await subject.store.has(sha256)).toBe(false);
      await expect(subject.store.open(sha256)).rejects.toThrow(NotFoundError);
    });

    it('lists content stored in both layouts once and deletes both', async () => {
      subject = await createS3Subject(server, checksumMode);
      const { sha256 } = await subject.store.put(Readable.from(['twice']));
      // What an instance of an earlier release does with content it finds
      // nowhere under blobs/ during an upgrade.
      await subject.client.send(
        new PutObjectCommand({
          Bucket: server.bucket,
          Key: `${subject.prefix}blobs/${sha256}`,
          Body: 'twice',
          Metadata: { sha256 },
        }),
      );

      const listed = [];
      for await (const blob of subject.store.list()) {
        listed.push(blob);
      }
      expect(listed).toEqual([
        { sha256, size: 5, lastModified: expect.any(Date) },
      ]);

      await subject.store.delete(sha256);
      expect(await subject.store.has(sha256)).toBe(false);
      expect(await subject.unlinkedObjects()).toEqual([]);
      for await (const blob of subject.store.list()) {
        throw new Error(`${blob.sha256} is still listed`);
      }
    });

    it('removes a pointer before its content, and the janitor removes content a crashed delete left', async () => {
      subject = await createS3Subject(server, checksumMode);
      const first = await subject.store.put(Readable.from(['first']));
      const second = await subject.store.put(Readable.from(['second']));

      // Died before removing the pointer: the blob is still whole.
      await subject.crashDuring(
        { before: { command: 'DeleteObjectCommand', keyPrefix: 'refs/' } },
        () => subject.store.delete(first.sha256),
      );
      // Died between the pointer and the content.
      await subject.crashDuring(
        { before: { command: 'DeleteObjectCommand', keyPrefix: 'objects/' } },
        () => subject.store.delete(second.sha256),
      );

      expect(await subject.store.has(first.sha256)).toBe(true);
      expect(await subject.store.has(second.sha256)).toBe(false);
      expect(await subject.unlinkedObjects()).toHaveLength(1);
      expect(
        await subject.store.sweep({ olderThan: new Date(Date.now() + 60_000) }),
      ).toEqual({ abortedUploads: 0, removedTempObjects: 1 });
      expect(await subject.leftovers()).toEqual({
        tempObjects: 0,
        unfinishedUploads: 0,
      });
      expect(
        (await buffer(await subject.store.open(first.sha256))).toString(),
      ).toBe('first');
      // Content stored again after a delete gets a new object and pointer.
      expect(await subject.store.put(Readable.from(['second']))).toMatchObject({
        created: true,
      });
      expect(
        (await buffer(await subject.store.open(second.sha256))).toString(),
      ).toBe('second');
    });

    it('stores content again whose pointer names an object that is gone', async () => {
      subject = await createS3Subject(server, checksumMode);
      const { sha256 } = await subject.store.put(Readable.from(['lost']));
      const pointer = await subject.client.send(
        new HeadObjectCommand({
          Bucket: server.bucket,
          Key: `${subject.prefix}refs/${sha256}`,
        }),
      );
      // What the janitor does to a put stalled past its grace period.
      await subject.client.send(
        new DeleteObjectCommand({
          Bucket: server.bucket,
          Key: `${subject.prefix}objects/${pointer.Metadata!.object}`,
        }),
      );

      expect(await subject.store.put(Readable.from(['lost']))).toEqual({
        sha256,
        size: 4,
        created: true,
      });
      expect((await buffer(await subject.store.open(sha256))).toString()).toBe(
        'lost',
      );
      expect(await subject.leftovers()).toEqual({
        tempObjects: 0,
        unfinishedUploads: 0,
      });
    });

    it('finds content that another instance deleted and stored again, although it remembered where it was', async () => {
      subject = await createS3Subject(server, checksumMode);
      const other = await S3BlobStore.create({
        client: subject.client,
        bucket: server.bucket,
        prefix: subject.prefix,
      });
      const { sha256 } = await subject.store.put(Readable.from(['moving']));
      expect((await buffer(await subject.store.open(sha256))).toString()).toBe(
        'moving',
      );

      await other.delete(sha256);
      await expect(subject.store.open(sha256, { start: 100 })).rejects.toThrow(
        NotFoundError,
      );
      await other.put(Readable.from(['moving']));

      expect((await buffer(await subject.store.open(sha256))).toString()).toBe(
        'moving',
      );
      await other.delete(sha256);
      await expect(subject.store.open(sha256)).rejects.toThrow(NotFoundError);
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
      // The URL is of the content's own object, not of its pointer.
      expect(new URL(url).pathname).toMatch(
        new RegExp(`/${subject.prefix}objects/[0-9a-f-]{36}$`),
      );
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
