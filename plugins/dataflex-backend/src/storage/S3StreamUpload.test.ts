import { randomBytes } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { PartBufferPool } from './PartBufferPool';
import { S3StreamUpload } from './S3StreamUpload';
import {
  CHECKSUM_MODES,
  createTestS3Client,
  deleteTestPrefix,
  findTestS3Server,
  TestS3Server,
  uniqueTestPrefix,
} from './__testUtils__/testS3';

jest.setTimeout(60_000);

const MiB = 1024 * 1024;
/** S3's smallest part size, so that tests need few bytes for many parts. */
const PART = 5 * MiB;
const s3 = findTestS3Server();

(s3 ? describe.each : describe.skip.each)(CHECKSUM_MODES)(
  'S3StreamUpload with requestChecksumCalculation %s',
  checksumMode => {
    const server = s3 as TestS3Server;
    let client: S3Client;
    let prefix: string;

    beforeEach(() => {
      client = createTestS3Client(server, checksumMode);
      prefix = uniqueTestPrefix();
    });

    afterEach(async () => {
      jest.restoreAllMocks();
      await deleteTestPrefix(client, server.bucket, prefix);
      client.destroy();
    });

    function start(key: string, buffers: PartBufferPool, queueSize = 2) {
      return S3StreamUpload.start({
        client,
        bucket: server.bucket,
        key: `${prefix}${key}`,
        buffers,
        queueSize,
      });
    }

    async function upload(
      key: string,
      content: Buffer,
      chunkSize: number,
      buffers = PartBufferPool.create({ partSize: PART, maxIdle: 3 }),
    ) {
      const writer = start(key, buffers);
      for (let offset = 0; offset < content.length; offset += chunkSize) {
        await writer.write(content.subarray(offset, offset + chunkSize));
      }
      await writer.end();
    }

    async function read(key: string) {
      const response = await client.send(
        new GetObjectCommand({ Bucket: server.bucket, Key: `${prefix}${key}` }),
      );
      return buffer(response.Body as NodeJS.ReadableStream);
    }

    async function partsOf(key: string) {
      const head = await client.send(
        new HeadObjectCommand({
          Bucket: server.bucket,
          Key: `${prefix}${key}`,
        }),
      );
      // A multipart object's ETag ends in -<number of parts>.
      const parts = /-(\d+)"?$/.exec(head.ETag ?? '');
      return parts ? Number(parts[1]) : 1;
    }

    it.each([
      ['nothing', 0, 1, 1],
      ['one byte', 1, 1, 1],
      ['exactly one part', PART, 64 * 1024, 1],
      ['one byte more than a part', PART + 1, MiB, 2],
      ['exactly two parts', 2 * PART, 3 * MiB, 2],
      [
        'several parts in chunks across part boundaries',
        3 * PART + 7,
        999_983,
        4,
      ],
      ['several parts in one chunk', 3 * PART + 7, 3 * PART + 7, 4],
    ])('stores %s byte for byte', async (_name, size, chunkSize, parts) => {
      const content = randomBytes(size);
      await upload('object', content, chunkSize);
      expect((await read('object')).equals(content)).toBe(true);
      expect(await partsOf('object')).toBe(parts);
    });

    it('reuses its part buffers: a second upload through the same pool allocates none', async () => {
      const buffers = PartBufferPool.create({ partSize: PART, maxIdle: 3 });
      const allocate = jest.spyOn(Buffer, 'allocUnsafeSlow');
      const content = randomBytes(6 * PART);

      await upload('first', content, 64 * 1024, buffers);
      const allocatedByFirst = allocate.mock.calls.filter(
        ([size]) => size === PART,
      ).length;
      await upload('second', content, 64 * 1024, buffers);
      const allocatedInAll = allocate.mock.calls.filter(
        ([size]) => size === PART,
      ).length;

      // Two parts in flight and one being filled.
      expect(allocatedByFirst).toBeLessThanOrEqual(3);
      expect(allocatedInAll).toBe(allocatedByFirst);
      expect(buffers.idleCount).toBe(allocatedByFirst);
      expect((await read('second')).equals(content)).toBe(true);
    });

    it('keeps at most queueSize parts in flight', async () => {
      const send = client.send.bind(client);
      let inFlight = 0;
      let most = 0;
      jest.spyOn(client, 'send').mockImplementation((async (command: any) => {
        if (!(command instanceof UploadPartCommand)) {
          return send(command);
        }
        inFlight += 1;
        most = Math.max(most, inFlight);
        try {
          return await send(command);
        } finally {
          inFlight -= 1;
        }
      }) as any);

      const writer = start(
        'object',
        PartBufferPool.create({ partSize: PART, maxIdle: 4 }),
        3,
      );
      const content = randomBytes(8 * PART);
      for (let offset = 0; offset < content.length; offset += MiB) {
        await writer.write(content.subarray(offset, offset + MiB));
      }
      await writer.end();

      expect(most).toBe(3);
      expect((await read('object')).equals(content)).toBe(true);
    });

    // A part request that fails mid-upload cannot be caused on demand with a
    // real server, so one request is made to fail before it is sent; every
    // other request goes to MinIO.
    it('fails with the error of a failed part, and abort() leaves no multipart upload and no object', async () => {
      const send = client.send.bind(client);
      jest.spyOn(client, 'send').mockImplementation((async (command: any) => {
        if (
          command instanceof UploadPartCommand &&
          command.input.PartNumber === 2
        ) {
          throw new Error('connection reset');
        }
        return send(command);
      }) as any);
      const buffers = PartBufferPool.create({ partSize: PART, maxIdle: 3 });
      const writer = start('object', buffers);

      const written = (async () => {
        const content = randomBytes(6 * PART);
        for (let offset = 0; offset < content.length; offset += MiB) {
          await writer.write(content.subarray(offset, offset + MiB));
        }
        await writer.end();
      })();
      await expect(written).rejects.toThrow('connection reset');
      await writer.abort();

      const uploads = await send(
        new ListMultipartUploadsCommand({
          Bucket: server.bucket,
          Prefix: `${prefix}object`,
        }),
      );
      expect(uploads.Uploads ?? []).toEqual([]);
      await expect(read('object')).rejects.toMatchObject({
        name: 'NoSuchKey',
      });
    });
  },
);

describe('PartBufferPool', () => {
  it('hands back buffers for reuse and keeps at most maxIdle', () => {
    const pool = PartBufferPool.create({ partSize: 16, maxIdle: 2 });
    const [a, b, c] = [pool.acquire(), pool.acquire(), pool.acquire()];
    expect(a.length).toBe(16);
    pool.release(a);
    pool.release(b);
    pool.release(c);
    expect(pool.idleCount).toBe(2);
    expect([b, a]).toContain(pool.acquire());
    expect(pool.idleCount).toBe(1);
  });
});
