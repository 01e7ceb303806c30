import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import request from 'supertest';
import {
  DATA_PLATFORM,
  OWNER,
  startDataflexTestBackend,
  storedFiles,
} from '../__testUtils__/startDataflexTestBackend';
import { multipartBody, MultipartPart } from '../__testUtils__/multipartBody';

jest.setTimeout(60_000);

const UPLOAD = '/api/dataflex/datasets/default/orders/versions';
const auth = mockCredentials.user.header(OWNER);

describe('uploading a version', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dataflex-upload-'));
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function start(dataflexConfig: JsonObject = {}) {
    const backend = await startDataflexTestBackend({
      blobDirectory: dir,
      dataflexConfig: {
        limits: { maxUploadBytes: 1024, ...dataflexConfig },
      },
    });
    const created = await request(backend.server)
      .post('/api/dataflex/datasets')
      .set('Authorization', auth)
      .send({ name: 'orders', owner: DATA_PLATFORM });
    expect(created.status).toBe(201);
    return backend;
  }

  function send(server: http.Server, parts: MultipartPart[]) {
    const { contentType, body } = multipartBody(parts);
    return request(server)
      .post(UPLOAD)
      .set('Authorization', auth)
      .set('Content-Type', contentType)
      .send(body);
  }

  async function expectNothingStored(server: http.Server) {
    expect(await storedFiles(dir)).toEqual({ blobs: [], temporary: [] });
    const versions = await request(server)
      .get(UPLOAD)
      .set('Authorization', auth);
    expect(versions.body.items).toEqual([]);
  }

  const csv = (content: string, filename = 'orders.csv'): MultipartPart => ({
    field: 'file',
    filename,
    content,
  });
  const encodedName = (filename: string): MultipartPart => ({
    field: 'file',
    filename,
    content: 'a\n1\n',
    encodeFilename: true,
  });

  it.each<[string, MultipartPart[], number, RegExp]>([
    [
      'no file',
      [{ field: 'changeNote', value: 'forgot the file' }],
      400,
      /^No file: send the content in a multipart field named 'file'$/,
    ],
    [
      'two files',
      [csv('a\n1\n'), csv('a\n2\n', 'second.csv')],
      400,
      /exactly one file/,
    ],
    ['an empty file', [csv('')], 400, /^The file is empty$/],
    [
      'a file in another field',
      [{ field: 'upload', filename: 'orders.csv', content: 'a\n1\n' }],
      400,
      /Unexpected file in field 'upload'/,
    ],
    [
      'text instead of a file',
      [{ field: 'file', value: 'a\n1\n' }],
      400,
      /must carry a file/,
    ],
    [
      'an unknown field',
      [csv('a\n1\n'), { field: 'owner', value: 'me' }],
      400,
      /Unexpected field 'owner'/,
    ],
    [
      'a change note that is too long',
      [csv('a\n1\n'), { field: 'changeNote', value: 'x'.repeat(2001) }],
      400,
      /changeNote is longer than 2000 characters/,
    ],
    [
      'a file name with ../',
      [csv('a\n1\n', '../../etc/orders.csv')],
      400,
      /path separator/,
    ],
    [
      'a file name with a backslash',
      [csv('a\n1\n', '..\\orders.csv')],
      400,
      /path separator/,
    ],
    [
      'a raw NUL in the part header',
      [csv('a\n1\n', 'orders\u0000.csv')],
      400,
      /^The multipart body is malformed/,
    ],
    [
      'an encoded file name with NUL',
      [encodedName('orders\u0000.csv')],
      400,
      /NUL, control or text-direction characters/,
    ],
    [
      'an encoded file name with an escape character',
      [encodedName('\u001b[31morders.csv')],
      400,
      /control/,
    ],
    [
      'an encoded file name with a line break',
      [encodedName('orders\r\nX-Evil: 1.csv')],
      400,
      /control/,
    ],
    [
      'a file name that reverses text direction',
      [encodedName('report\u202Evsc.exe')],
      400,
      /text-direction/,
    ],
    [
      'an encoded file name with ../',
      [encodedName('../orders.csv')],
      400,
      /path separator/,
    ],
    ['a file named ..', [csv('a\n1\n', '..')], 400, /directory reference/],
    [
      'CSV with an unbalanced quote',
      [csv('id,name\n1,"Ada\n2,Grace\n')],
      422,
      /^The file is not valid CSV: a quoted field is never closed/,
    ],
    [
      'CSV with a ragged row',
      [csv('id,name\n1,Ada\n2,Grace,extra\n')],
      422,
      /^The file is not valid CSV: line 3 has 3 fields but the header has 2$/,
    ],
    [
      'CSV naming a column twice',
      [csv('id,id\n1,2\n')],
      422,
      /names the column 'id' more than once/,
    ],
    [
      'JSON Lines with an array line',
      [csv('{"a":1}\n[1,2]\n', 'x.jsonl')],
      422,
      /^Line 2 is not a JSON object/,
    ],
    [
      'JSON Lines with broken JSON',
      [csv('{"a":1}\n{"a":\n', 'x.jsonl')],
      422,
      /^Line 2 is not valid JSON/,
    ],
    [
      'a JSON array',
      [csv('[{"a":1}]', 'x.json')],
      415,
      /looks like a JSON document \(not JSON Lines\)/,
    ],
    [
      'binary data',
      [csv('\u0000\u0001\u0002binary', 'x.bin')],
      415,
      /binary data of an unknown format/,
    ],
    [
      'a truncated Parquet file',
      [csv('PAR1 and then the file just stops', 'x.parquet')],
      422,
      /Parquet file is incomplete or damaged/,
    ],
    [
      'a file over the upload limit',
      [csv(`a\n${'1\n'.repeat(600)}`)],
      413,
      /^The file is larger than the upload limit of 1 KiB$/,
    ],
  ])('refuses %s and keeps nothing', async (_, parts, status, message) => {
    const { server, auditEvents } = await start();

    const res = await send(server, parts);

    expect(res.status).toBe(status);
    expect(res.body.error.message).toMatch(message);
    await expectNothingStored(server);
    expect(auditEvents.find(e => e.eventId === 'dataset-upload')).toMatchObject(
      { status: 'failed' },
    );
  });

  it('refuses a declared body far over the limit before reading it', async () => {
    const { server } = await start();
    const res = await request(server)
      .post(UPLOAD)
      .set('Authorization', auth)
      .attach('file', Buffer.alloc(200 * 1024, 'a'), 'big.csv');
    expect(res.status).toBe(413);
    await expectNothingStored(server);
  });

  it('refuses anything but multipart/form-data', async () => {
    const { server } = await start();
    const res = await request(server)
      .post(UPLOAD)
      .set('Authorization', auth)
      .send({ file: 'a\n1\n' });
    expect(res.status).toBe(415);
    expect(res.body.error.message).toMatch(/multipart\/form-data/);
  });

  it('refuses a multipart body without a boundary', async () => {
    const { server } = await start();
    const res = await request(server)
      .post(UPLOAD)
      .set('Authorization', auth)
      .set('Content-Type', 'multipart/form-data')
      .send('garbage');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/multipart body cannot be read/);
  });

  it('refuses formats that are not allowed, whatever the client claims', async () => {
    const { server } = await start({ allowedFormats: ['csv'] });
    const res = await request(server)
      .post(UPLOAD)
      .set('Authorization', auth)
      .attach('file', Buffer.from('{"a":1}\n'), {
        filename: 'orders.csv',
        contentType: 'text/csv',
      });
    expect(res.status).toBe(415);
    expect(res.body.error.message).toBe(
      'JSON Lines uploads are not allowed here; allowed: CSV',
    );
    await expectNothingStored(server);
  });

  it('enforces the per-user storage quota while streaming', async () => {
    const { server } = await start({ userQuotaBytes: 100 });
    const upload = (content: string) =>
      request(server)
        .post(UPLOAD)
        .set('Authorization', auth)
        .attach('file', Buffer.from(content), 'orders.csv');

    expect((await upload(`a\n${'1\n'.repeat(30)}`)).status).toBe(201);
    const over = await upload(`a\n${'2\n'.repeat(30)}`);
    const within = await upload(`a\n${'3\n'.repeat(18)}`);
    const full = await upload('a\n4\n');

    expect(over.status).toBe(413);
    expect(over.body.error.message).toBe(
      'The file would take you past your storage quota of 100 bytes; you already use 62 bytes',
    );
    expect(within.status).toBe(201);
    expect(full.status).toBe(413);
    expect(full.body.error.message).toBe(
      'You have used your whole storage quota (100 bytes of 100 bytes); delete datasets you no longer need or ask an admin for more',
    );
    expect((await storedFiles(dir)).blobs).toHaveLength(2);
  });

  it('keeps nothing when the client goes away in the middle of an upload', async () => {
    const { server } = await start({ maxUploadBytes: 10 * 1024 * 1024 });
    const boundary = 'interrupted';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\na\n`,
    );
    const address = server.address() as { port: number };
    const req = http.request({
      host: '127.0.0.1',
      port: address.port,
      method: 'POST',
      path: UPLOAD,
      headers: {
        authorization: auth,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + 1024 * 1024),
      },
    });
    req.on('error', () => {});
    req.write(head);
    req.write(Buffer.alloc(256 * 1024, '1\n'));
    await new Promise(resolve => setTimeout(resolve, 300));
    req.destroy();
    await new Promise(resolve => setTimeout(resolve, 300));

    expect(await storedFiles(dir)).toEqual({ blobs: [], temporary: [] });
    await expectNothingStored(server);
  });

  it('answers 404 for a version that does not exist and 400 for one that cannot', async () => {
    const { server } = await start();
    await request(server)
      .post(UPLOAD)
      .set('Authorization', auth)
      .attach('file', Buffer.from('a\n1\n'), 'orders.csv');
    const get = (version: string) =>
      request(server).get(`${UPLOAD}/${version}`).set('Authorization', auth);

    expect((await get('1')).status).toBe(200);
    expect((await get('latest')).body.version).toBe(1);
    const missing = await get('2');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe(
      "Dataset 'default/orders' has no version 2",
    );
    expect((await get('2/content')).status).toBe(404);
    expect((await get('2/preview')).status).toBe(404);
    expect((await get('abc')).status).toBe(400);
    expect((await get('0')).status).toBe(400);
    expect((await get('1/preview?limit=101')).status).toBe(400);
  });
});
