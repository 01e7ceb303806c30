import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Request } from 'express';
import {
  BlobStore,
  ContentDigest,
} from '@dataflex/backstage-plugin-dataflex-node';
import { multipartBody } from '../__testUtils__/multipartBody';
import { WORKER_MIN_BYTES } from '../inference/createUploadInspector';
import { WorkerInspector } from '../inference/WorkerInspector';
import { LocalDiskBlobStore } from '../storage/LocalDiskBlobStore';
import { BATCH_BYTES, MultipartUpload } from './MultipartUpload';
import type { ReceivedUpload } from './receiveUpload';

jest.setTimeout(60_000);

describe('MultipartUpload', () => {
  let dir: string;
  let server: http.Server;
  let inspectors: WorkerInspector[];

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dataflex-multipart-'));
    inspectors = [];
    const create = WorkerInspector.create.bind(WorkerInspector);
    jest.spyOn(WorkerInspector, 'create').mockImplementation(options => {
      const inspector = create(options);
      inspectors.push(inspector);
      return inspector;
    });
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await new Promise(resolve => server?.close(resolve));
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** Serves one upload at a time; resolves each with its outcome. */
  async function serve(
    maxBytes: number,
    wrapStore: (store: BlobStore) => BlobStore = store => store,
  ) {
    const blobStore = wrapStore(
      await LocalDiskBlobStore.create({ directory: dir }),
    );
    const outcomes: Array<Promise<unknown>> = [];
    server = http.createServer((request, response) => {
      const outcome = MultipartUpload.create({
        request: request as Request,
        blobStore,
        allowedFormats: ['csv'],
        maxBytes,
        tooLarge: () => new Error('too large'),
      }).receive();
      outcomes.push(outcome.catch(error => error));
      outcome.then(
        () => response.end('ok'),
        () => {
          response.statusCode = 400;
          response.end();
        },
      );
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    return { port: (server.address() as AddressInfo).port, outcomes };
  }

  function csvUpload(rows: number) {
    return multipartBody([
      {
        field: 'file',
        filename: 'big.csv',
        content: `a,b\n${'123456,abcdef\n'.repeat(rows)}`,
      },
    ]);
  }

  /** Uploads `rows` rows with a Content-Length; resolves with what was received. */
  async function uploadWithLength(
    rows: number,
    wrapStore?: (store: BlobStore) => BlobStore,
  ) {
    const { port, outcomes } = await serve(1024 ** 3, wrapStore);
    const { contentType, body } = csvUpload(rows);
    const response = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    });
    expect(response.status).toBe(200);
    return { bytes: body.length, received: await outcomes[0] };
  }

  it('inspects a large upload on a worker and stops it once the upload is stored', async () => {
    const { bytes, received } = await uploadWithLength(700_000);
    expect(bytes).toBeGreaterThan(WORKER_MIN_BYTES);
    expect(received).toMatchObject({
      content: { format: 'csv', rowCount: 700_000 },
    });
    expect(inspectors).toHaveLength(1);
    await expect(inspectors[0].exited).resolves.toEqual(expect.any(Number));
  });

  it('hands the file to the store in batches, not in socket-sized chunks', async () => {
    const chunkBytes: number[] = [];
    const { received } = await uploadWithLength(700_000, store => {
      const put = store.put.bind(store);
      jest.spyOn(store, 'put').mockImplementation((content, options) => {
        content.on('data', (chunk: Buffer) => chunkBytes.push(chunk.length));
        return put(content, options);
      });
      return store;
    });
    const size = (received as ReceivedUpload).blob.size;
    expect(Math.max(...chunkBytes)).toBeLessThanOrEqual(BATCH_BYTES);
    // The first batch also carries the part's headers, and the last is short.
    expect(chunkBytes.length).toBeLessThanOrEqual(
      Math.ceil(size / BATCH_BYTES) + 1,
    );
  });

  it.each([
    ['a large upload, hashed on its worker', 700_000, 1],
    ['a small upload, hashed on the request thread', 1_000, 0],
  ])('hands the store the digest of %s', async (_, rows, workers) => {
    const supplied: Array<Promise<ContentDigest> | undefined> = [];
    const { received } = await uploadWithLength(rows, store => {
      const put = store.put.bind(store);
      jest.spyOn(store, 'put').mockImplementation((content, options) => {
        return put(content, {
          digest: () => {
            const digest = options?.digest?.();
            supplied.push(digest);
            return digest ?? Promise.reject(new Error('no digest'));
          },
        });
      });
      return store;
    });
    const file = Buffer.from(`a,b\n${'123456,abcdef\n'.repeat(rows)}`);
    const expected = {
      sha256: createHash('sha256').update(file).digest('hex'),
      size: file.length,
    };
    expect(supplied).toHaveLength(1);
    await expect(supplied[0]).resolves.toEqual(expected);
    expect((received as ReceivedUpload).blob).toMatchObject(expected);
    expect(inspectors).toHaveLength(workers);
  });

  it('inspects a small upload on the request thread, without a worker', async () => {
    const { received } = await uploadWithLength(1000);
    expect(received).toMatchObject({
      content: { format: 'csv', rowCount: 1000 },
    });
    expect(inspectors).toHaveLength(0);
  });

  it('inspects an upload of undeclared length on a worker', async () => {
    const { port, outcomes } = await serve(1024 ** 3);
    const { contentType, body } = csvUpload(1000);
    const request = http.request({
      port,
      method: 'POST',
      headers: { 'content-type': contentType, 'transfer-encoding': 'chunked' },
    });
    const answered = new Promise<number | undefined>((resolve, reject) => {
      request.on('response', response => {
        response.resume();
        resolve(response.statusCode);
      });
      request.on('error', reject);
    });
    request.end(body);
    expect(await answered).toBe(200);
    expect(await outcomes[0]).toMatchObject({
      content: { format: 'csv', rowCount: 1000 },
    });
    expect(inspectors).toHaveLength(1);
  });

  it('terminates the worker when the upload is refused mid-way', async () => {
    const { port, outcomes } = await serve(4 * 1024 * 1024);
    const { contentType, body } = csvUpload(1_000_000);
    const response = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    });
    expect(response.status).toBe(400);
    expect(await outcomes[0]).toEqual(new Error('too large'));
    expect(inspectors).toHaveLength(1);
    await expect(inspectors[0].exited).resolves.toEqual(expect.any(Number));
    await expect(inspectors[0].end()).rejects.toThrow(
      'The content inspection was stopped',
    );
  });

  it('terminates the worker when the client goes away mid-way', async () => {
    const { port, outcomes } = await serve(1024 ** 3);
    const { contentType, body } = csvUpload(1_000_000);
    const request = http.request({
      port,
      method: 'POST',
      headers: { 'content-type': contentType, 'content-length': body.length },
    });
    request.on('error', () => undefined);
    request.write(body.subarray(0, 3 * 1024 * 1024));
    while (inspectors.length === 0 || inspectors[0].batchesInFlight === 0) {
      await new Promise(resolve => setTimeout(resolve, 5));
    }
    request.destroy();
    expect(await outcomes[0]).toEqual(
      expect.objectContaining({
        message: 'The upload was interrupted before it finished',
      }),
    );
    await expect(inspectors[0].exited).resolves.toEqual(expect.any(Number));
  });
});
