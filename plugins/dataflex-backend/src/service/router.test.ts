import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { parquetWriteBuffer } from 'hyparquet-writer';
import request from 'supertest';
import {
  ADMIN,
  DATA_PLATFORM,
  MARKETING,
  OWNER,
  startDataflexTestBackend,
  storedFiles,
  VIEWER,
} from '../__testUtils__/startDataflexTestBackend';

jest.setTimeout(60_000);

const as = (user: string) => mockCredentials.user.header(user);

async function waitFor(condition: () => boolean) {
  for (let i = 0; i < 100 && !condition(); i++) {
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}

function datasetEntity(
  name: string,
  spec: Record<string, unknown>,
  metadata: Record<string, unknown> = {},
): Entity {
  return {
    apiVersion: 'dataflex.io/v1alpha1',
    kind: 'Dataset',
    metadata: { name, namespace: 'default', ...metadata },
    spec: { owner: 'data-platform', lifecycle: 'production', ...spec },
  };
}

const customersEntity = datasetEntity(
  'customers',
  {
    visibility: 'public',
    schema: {
      columns: [
        { name: 'customer_id', type: 'string' },
        { name: 'full_name', type: 'string', pii: true },
        { name: 'email', type: 'string' },
      ],
    },
    masking: ['email'],
  },
  { title: 'Customers', description: 'One row per customer', tags: ['crm'] },
);
const payrollEntity = datasetEntity('payroll', { visibility: 'private' });

const customersCsv = [
  'customer_id,full_name,email,country,signup_date,lifetime_value,is_active',
  'C00001,Ada Lovelace,ada@example.com,GB,2023-01-05,1520.50,true',
  'C00002,"Hopper, Grace",grace@example.com,US,2023-02-11,88,false',
  'C00003,Alan Turing,,GB,2023-03-20,0,true',
  '',
].join('\n');

describe('dataset API', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dataflex-api-'));
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const start = () =>
    startDataflexTestBackend({
      blobDirectory: dir,
      entities: [customersEntity, payrollEntity],
    });

  describe('the whole path of a CSV', () => {
    it('creates, uploads, lists, previews with masking and downloads byte for byte', async () => {
      const { server, auditEvents } = await start();

      const upload = await request(server)
        .post('/api/dataflex/datasets/default/customers/versions')
        .set('Authorization', as(OWNER))
        .field('changeNote', 'First export from the CRM')
        .attach('file', Buffer.from(customersCsv), {
          filename: 'customers 2024 – Q1.csv',
          contentType: 'application/octet-stream',
        });

      expect(upload.status).toBe(201);
      expect(upload.body).toEqual({
        version: 1,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        size: Buffer.byteLength(customersCsv),
        mediaType: 'text/csv',
        format: 'csv',
        filename: 'customers 2024 – Q1.csv',
        rowCount: 3,
        columns: [
          { name: 'customer_id', type: 'string', nullable: false },
          { name: 'full_name', type: 'string', nullable: false },
          { name: 'email', type: 'string', nullable: true },
          { name: 'country', type: 'string', nullable: false },
          { name: 'signup_date', type: 'date', nullable: false },
          { name: 'lifetime_value', type: 'number', nullable: false },
          { name: 'is_active', type: 'boolean', nullable: false },
        ],
        changeNote: 'First export from the CRM',
        uploadedBy: OWNER,
        createdAt: expect.any(String),
      });

      // The catalog's Dataset became the dataset uploaded to, metadata and all.
      const dataset = await request(server)
        .get('/api/dataflex/datasets/default/customers')
        .set('Authorization', as(OWNER));
      expect(dataset.body).toMatchObject({
        ref: 'dataset:default/customers',
        title: 'Customers',
        description: 'One row per customer',
        owner: DATA_PLATFORM,
        visibility: 'public',
        tags: ['crm'],
        source: 'catalog',
        latestVersion: 1,
        access: {
          update: true,
          delete: true,
          createVersion: true,
          readContent: true,
        },
      });

      const versions = await request(server)
        .get('/api/dataflex/datasets/default/customers/versions')
        .set('Authorization', as(OWNER));
      expect(versions.status).toBe(200);
      expect(versions.body).toEqual({ items: [upload.body] });

      const preview = await request(server)
        .get('/api/dataflex/datasets/default/customers/versions/1/preview')
        .query({ limit: 2 })
        .set('Authorization', as(OWNER));
      expect(preview.status).toBe(200);
      expect(preview.body).toEqual({
        version: 1,
        format: 'csv',
        columns: [
          { name: 'customer_id', type: 'string', masked: false },
          { name: 'full_name', type: 'string', masked: true },
          { name: 'email', type: 'string', masked: true },
          { name: 'country', type: 'string', masked: false },
          { name: 'signup_date', type: 'date', masked: false },
          { name: 'lifetime_value', type: 'number', masked: false },
          { name: 'is_active', type: 'boolean', masked: false },
        ],
        rows: [
          ['C00001', '***', '***', 'GB', '2023-01-05', 1520.5, true],
          ['C00002', '***', '***', 'US', '2023-02-11', 88, false],
        ],
        truncated: true,
      });
      expect(JSON.stringify(preview.body)).not.toContain('Lovelace');

      const download = await request(server)
        .get('/api/dataflex/datasets/default/customers/versions/1/content')
        .set('Authorization', as(OWNER))
        .buffer(true)
        .parse((res, callback) => {
          const chunks: Buffer[] = [];
          res.on('data', chunk => chunks.push(chunk));
          res.on('end', () => callback(null, Buffer.concat(chunks)));
        });
      expect(download.status).toBe(200);
      expect(Buffer.compare(download.body, Buffer.from(customersCsv))).toBe(0);
      expect(download.headers['content-type']).toMatch(/^text\/csv/);
      expect(download.headers['content-length']).toBe(
        String(Buffer.byteLength(customersCsv)),
      );
      expect(download.headers['content-disposition']).toBe(
        `attachment; filename="customers 2024 _ Q1.csv"; filename*=UTF-8''customers%202024%20%E2%80%93%20Q1.csv`,
      );

      // The download is audited once the last byte has gone out.
      await waitFor(() =>
        auditEvents.some(
          e => e.eventId === 'dataset-download' && e.status !== 'initiated',
        ),
      );
      expect(
        auditEvents.map(e => [e.eventId, e.status, e.meta?.dataset]),
      ).toEqual(
        expect.arrayContaining([
          ['dataset-upload', 'succeeded', 'dataset:default/customers'],
          ['dataset-preview', 'succeeded', 'dataset:default/customers'],
          ['dataset-download', 'succeeded', 'dataset:default/customers'],
        ]),
      );
      expect(
        auditEvents.find(e => e.eventId === 'dataset-upload')?.meta,
      ).toMatchObject({ version: 1, sha256: upload.body.sha256 });
    });

    it('numbers the next upload 2, diffs its schema, and refuses the same content again', async () => {
      const { server } = await start();
      const post = (content: string) =>
        request(server)
          .post('/api/dataflex/datasets/default/customers/versions')
          .set('Authorization', as(OWNER))
          .attach('file', Buffer.from(content), 'customers.csv');
      expect((await post(customersCsv)).status).toBe(201);

      const second = await post(
        'customer_id,email,lifetime_value\n1,a@b.c,10\n2,,x\n',
      );
      const again = await post(
        'customer_id,email,lifetime_value\n1,a@b.c,10\n2,,x\n',
      );
      const older = await post(customersCsv);

      expect(second.status).toBe(201);
      expect(second.body.version).toBe(2);
      expect(second.body.schemaDiff).toEqual({
        added: [],
        removed: [
          { name: 'full_name', type: 'string', nullable: false },
          { name: 'country', type: 'string', nullable: false },
          { name: 'signup_date', type: 'date', nullable: false },
          { name: 'is_active', type: 'boolean', nullable: false },
        ],
        retyped: [
          { name: 'customer_id', from: 'string', to: 'integer' },
          { name: 'lifetime_value', from: 'number', to: 'string' },
        ],
      });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toBe(
        'The content is identical to version 2, the latest; nothing was added',
      );
      // An earlier version's content is a legitimate new version, stored once.
      expect(older.status).toBe(201);
      expect(older.body).toMatchObject({ version: 3 });
      expect((await storedFiles(dir)).blobs).toHaveLength(2);
    });
  });

  describe('JSON Lines and Parquet', () => {
    it('infers a JSON Lines schema, previews objects in column order and downloads them', async () => {
      const { server } = await start();
      const jsonl = [
        '{"id":1,"at":"2024-05-01T10:00:00Z","tags":["a"],"score":1}',
        '',
        '{"id":2,"at":"2024-05-02T11:30:00Z","score":2.5,"note":"late"}',
        '{"id":3,"at":"2024-05-03T09:15:00Z","tags":[],"score":null}',
      ].join('\n');

      const upload = await request(server)
        .post('/api/dataflex/datasets/default/payroll/versions')
        .set('Authorization', as(OWNER))
        .attach('file', Buffer.from(jsonl), {
          filename: 'events.jsonl',
          contentType: 'text/csv',
        });

      expect(upload.status).toBe(201);
      expect(upload.body).toMatchObject({
        format: 'jsonl',
        mediaType: 'application/x-ndjson',
        rowCount: 3,
        columns: [
          { name: 'id', type: 'integer', nullable: false },
          { name: 'at', type: 'timestamp', nullable: false },
          { name: 'tags', type: 'json', nullable: true },
          { name: 'score', type: 'number', nullable: true },
          { name: 'note', type: 'string', nullable: true },
        ],
      });

      const preview = await request(server)
        .get('/api/dataflex/datasets/default/payroll/versions/latest/preview')
        .set('Authorization', as(OWNER));
      expect(preview.body.rows).toEqual([
        [1, '2024-05-01T10:00:00Z', ['a'], 1, null],
        [2, '2024-05-02T11:30:00Z', null, 2.5, 'late'],
        [3, '2024-05-03T09:15:00Z', [], null, null],
      ]);
      expect(preview.body.truncated).toBe(false);

      const download = await request(server)
        .get('/api/dataflex/datasets/default/payroll/versions/1/content')
        .set('Authorization', as(OWNER));
      expect(download.headers['content-type']).toMatch(
        /^application\/x-ndjson/,
      );
      expect(download.text).toBe(jsonl);
    });

    it('reads a Parquet schema and row count from the stored footer and previews the first rows', async () => {
      const { server } = await start();
      const parquet = Buffer.from(
        parquetWriteBuffer({
          columnData: [
            { name: 'id', data: [1, 2, 3], type: 'INT32' },
            {
              name: 'email',
              data: ['a@x.io', 'b@x.io', 'c@x.io'],
              type: 'STRING',
            },
            { name: 'amount', data: [1.5, 2.25, 3], type: 'DOUBLE' },
            { name: 'ok', data: [true, false, true], type: 'BOOLEAN' },
            {
              name: 'at',
              data: [
                new Date('2024-01-01T00:00:00Z'),
                new Date('2024-01-02T00:00:00Z'),
                new Date('2024-01-03T00:00:00Z'),
              ],
              type: 'TIMESTAMP',
            },
          ],
        }),
      );

      const upload = await request(server)
        .post('/api/dataflex/datasets/default/customers/versions')
        .set('Authorization', as(OWNER))
        .attach('file', parquet, 'customers.parquet');

      expect(upload.status).toBe(201);
      expect(upload.body).toMatchObject({
        format: 'parquet',
        mediaType: 'application/vnd.apache.parquet',
        size: parquet.length,
        rowCount: 3,
        columns: [
          { name: 'id', type: 'integer' },
          { name: 'email', type: 'string' },
          { name: 'amount', type: 'number' },
          { name: 'ok', type: 'boolean' },
          { name: 'at', type: 'timestamp' },
        ],
      });

      const preview = await request(server)
        .get('/api/dataflex/datasets/default/customers/versions/1/preview')
        .query({ limit: 2 })
        .set('Authorization', as(OWNER));
      expect(preview.status).toBe(200);
      expect(preview.body.rows).toEqual([
        [1, '***', 1.5, true, '2024-01-01T00:00:00.000Z'],
        [2, '***', 2.25, false, '2024-01-02T00:00:00.000Z'],
      ]);
      expect(preview.body.truncated).toBe(true);

      const download = await request(server)
        .get('/api/dataflex/datasets/default/customers/versions/1/content')
        .set('Authorization', as(OWNER))
        .buffer(true)
        .parse((res, callback) => {
          const chunks: Buffer[] = [];
          res.on('data', chunk => chunks.push(chunk));
          res.on('end', () => callback(null, Buffer.concat(chunks)));
        });
      expect(Buffer.compare(download.body, parquet)).toBe(0);
    });
  });

  describe('metadata', () => {
    it('creates a dataset for one of the caller’s groups, lists and pages it, and refuses duplicates', async () => {
      const { server, auditEvents } = await start();

      const created = await request(server)
        .post('/api/dataflex/datasets')
        .set('Authorization', as(OWNER))
        .send({
          name: 'Orders',
          title: 'Orders',
          owner: 'data-platform',
          tags: ['sales', 'sales'],
          visibility: 'public',
        });

      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        ref: 'dataset:default/orders',
        namespace: 'default',
        name: 'orders',
        title: 'Orders',
        owner: DATA_PLATFORM,
        visibility: 'public',
        tags: ['sales'],
        source: 'api',
        createdBy: OWNER,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        access: {
          update: true,
          delete: true,
          createVersion: true,
          readContent: true,
          requestAccess: false,
          manageAccess: true,
        },
      });
      expect(auditEvents).toContainEqual(
        expect.objectContaining({
          eventId: 'dataset-create',
          status: 'succeeded',
        }),
      );

      const duplicate = await request(server)
        .post('/api/dataflex/datasets')
        .set('Authorization', as(OWNER))
        .send({ name: 'orders', owner: DATA_PLATFORM });
      expect(duplicate.status).toBe(409);

      // Registered in the catalog (even privately) means taken.
      const catalogName = await request(server)
        .post('/api/dataflex/datasets')
        .set('Authorization', as(VIEWER))
        .send({ name: 'payroll', owner: MARKETING });
      expect(catalogName.status).toBe(409);

      for (const name of ['b', 'a', 'c']) {
        await request(server)
          .post('/api/dataflex/datasets')
          .set('Authorization', as(OWNER))
          .send({ name, owner: DATA_PLATFORM });
      }
      const first = await request(server)
        .get('/api/dataflex/datasets')
        .query({ limit: 2 })
        .set('Authorization', as(OWNER));
      const second = await request(server)
        .get('/api/dataflex/datasets')
        .query({ limit: 2, cursor: first.body.nextCursor })
        .set('Authorization', as(OWNER));
      expect(first.body.items.map((d: any) => d.name)).toEqual(['a', 'b']);
      expect(second.body.items.map((d: any) => d.name)).toEqual([
        'c',
        'orders',
      ]);
      expect(second.body.nextCursor).toBeUndefined();
    });

    it.each([
      [{ owner: DATA_PLATFORM }, /name/],
      [{ name: 'bad name!', owner: DATA_PLATFORM }, /name/],
      [
        { name: 'x', owner: 'component:default/x' },
        /owner: must be a group or user/,
      ],
      [{ name: 'x', owner: DATA_PLATFORM, visibility: 'secret' }, /visibility/],
      [{ name: 'x', owner: DATA_PLATFORM, tags: ['Not A Tag'] }, /tags/],
      [
        { name: 'x', owner: DATA_PLATFORM, colour: 'red' },
        /additional properties/,
      ],
    ])('answers 400 to the create request %j', async (body, message) => {
      const { server } = await start();
      const res = await request(server)
        .post('/api/dataflex/datasets')
        .set('Authorization', as(OWNER))
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    });

    it('lets owners edit metadata and visibility, audits visibility changes, and deletes', async () => {
      const { server, auditEvents } = await start();
      await request(server)
        .post('/api/dataflex/datasets')
        .set('Authorization', as(OWNER))
        .send({ name: 'orders', owner: DATA_PLATFORM, title: 'Orders' });

      const patched = await request(server)
        .patch('/api/dataflex/datasets/default/orders')
        .set('Authorization', as(OWNER))
        .send({ visibility: 'open', description: 'All orders', title: '' });

      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        visibility: 'open',
        description: 'All orders',
      });
      expect(patched.body.title).toBeUndefined();
      expect(auditEvents).toContainEqual(
        expect.objectContaining({
          eventId: 'dataset-visibility-change',
          severityLevel: 'high',
          status: 'succeeded',
          meta: expect.objectContaining({
            visibility: { from: 'private', to: 'open' },
          }),
        }),
      );

      const handOver = await request(server)
        .patch('/api/dataflex/datasets/default/orders')
        .set('Authorization', as(OWNER))
        .send({ owner: MARKETING });
      expect(handOver.status).toBe(403);
      expect(
        (
          await request(server)
            .patch('/api/dataflex/datasets/default/orders')
            .set('Authorization', as(OWNER))
            .send({})
        ).status,
      ).toBe(400);

      const deleted = await request(server)
        .delete('/api/dataflex/datasets/default/orders')
        .set('Authorization', as(OWNER));
      expect(deleted.status).toBe(204);
      expect(
        (
          await request(server)
            .get('/api/dataflex/datasets/default/orders')
            .set('Authorization', as(OWNER))
        ).status,
      ).toBe(404);
      expect(auditEvents).toContainEqual(
        expect.objectContaining({
          eventId: 'dataset-delete',
          status: 'succeeded',
        }),
      );
    });
  });

  describe('who may do what', () => {
    async function withDatasets() {
      const backend = await start();
      const { server } = backend;
      for (const [name, visibility] of [
        ['secret', 'private'],
        ['catalogue', 'public'],
        ['everyone', 'open'],
      ]) {
        await request(server)
          .post('/api/dataflex/datasets')
          .set('Authorization', as(OWNER))
          .send({ name, owner: DATA_PLATFORM, visibility });
        const upload = await request(server)
          .post(`/api/dataflex/datasets/default/${name}/versions`)
          .set('Authorization', as(OWNER))
          .attach('file', Buffer.from('a,b\n1,2\n'), 'data.csv');
        expect(upload.status).toBe(201);
      }
      return backend;
    }

    it('refuses unauthenticated callers on every route', async () => {
      const { server } = await withDatasets();
      const none = mockCredentials.none.header();
      const calls = [
        request(server).get('/api/dataflex/datasets'),
        request(server)
          .post('/api/dataflex/datasets')
          .send({ name: 'x', owner: DATA_PLATFORM }),
        request(server).get('/api/dataflex/datasets/default/everyone'),
        request(server)
          .patch('/api/dataflex/datasets/default/everyone')
          .send({ title: 'x' }),
        request(server).delete('/api/dataflex/datasets/default/everyone'),
        request(server).get('/api/dataflex/datasets/default/everyone/versions'),
        request(server)
          .post('/api/dataflex/datasets/default/everyone/versions')
          .attach('file', Buffer.from('a\n1\n'), 'a.csv'),
        request(server).get(
          '/api/dataflex/datasets/default/everyone/versions/1',
        ),
        request(server).get(
          '/api/dataflex/datasets/default/everyone/versions/1/content',
        ),
        request(server).get(
          '/api/dataflex/datasets/default/everyone/versions/1/preview',
        ),
      ];
      for (const call of calls) {
        const res = await call.set('Authorization', none);
        expect(res.status).toBe(401);
      }
    });

    it('hides a private dataset from a viewer exactly like a missing one', async () => {
      const { server } = await withDatasets();
      const get = (route: string) =>
        request(server)
          .get(`/api/dataflex${route}`)
          .set('Authorization', as(VIEWER));

      const hidden = await get('/datasets/default/secret');
      const missing = await get('/datasets/default/no-such-dataset');

      expect(hidden.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(hidden.body.error).toEqual({
        name: 'NotFoundError',
        message: "Dataset 'default/secret' not found",
      });
      expect(missing.body.error.message).toBe(
        "Dataset 'default/no-such-dataset' not found",
      );
      for (const route of [
        '/datasets/default/secret/versions',
        '/datasets/default/secret/versions/1',
        '/datasets/default/secret/versions/1/content',
        '/datasets/default/secret/versions/1/preview',
      ]) {
        expect((await get(route)).status).toBe(404);
      }
      const upload = await request(server)
        .post('/api/dataflex/datasets/default/secret/versions')
        .set('Authorization', as(VIEWER))
        .attach('file', Buffer.from('a,b\n3,4\n'), 'data.csv');
      expect(upload.status).toBe(404);
      const patch = await request(server)
        .patch('/api/dataflex/datasets/default/secret')
        .set('Authorization', as(VIEWER))
        .send({ visibility: 'open' });
      expect(patch.status).toBe(404);

      const list = await get('/datasets');
      expect(list.body.items.map((d: any) => d.name)).toEqual([
        'catalogue',
        'everyone',
      ]);
    });

    it('lists the asked-for datasets a caller may see, with their latest versions, in one request', async () => {
      const { server } = await withDatasets();
      const list = (user: string, refs: string[]) =>
        request(server)
          .get('/api/dataflex/datasets')
          .query(refs.map(ref => `ref=${encodeURIComponent(ref)}`).join('&'))
          .set('Authorization', user);
      const refs = [
        'dataset:default/everyone',
        'dataset:default/secret',
        'dataset:default/catalogue',
        'dataset:default/no-such-dataset',
      ];

      const viewer = await list(as(VIEWER), refs);
      expect(viewer.status).toBe(200);
      // The private one is left out exactly like the missing one.
      expect(
        viewer.body.items.map((d: any) => [d.ref, d.latestVersion]),
      ).toEqual([
        ['dataset:default/catalogue', 1],
        ['dataset:default/everyone', 1],
      ]);
      const owner = await list(as(OWNER), refs);
      expect(owner.body.items.map((d: any) => d.name)).toEqual([
        'catalogue',
        'everyone',
        'secret',
      ]);
      // One ref, and refs without a namespace, work too.
      const one = await list(as(VIEWER), ['dataset:Everyone']);
      expect(one.body.items.map((d: any) => d.name)).toEqual(['everyone']);

      const notADataset = await list(as(VIEWER), ['component:default/x']);
      expect(notADataset.status).toBe(400);
      expect(notADataset.body.error.message).toBe(
        "ref: 'component:default/x' is not a dataset entity ref like dataset:default/customers",
      );
      const tooMany = await list(
        as(VIEWER),
        Array.from({ length: 101 }, (_, i) => `dataset:default/d${i}`),
      );
      expect(tooMany.status).toBe(400);
      const anonymous = await list(mockCredentials.none.header(), refs);
      expect(anonymous.status).toBe(401);
    });

    it('shows a public dataset to a viewer but not its content', async () => {
      const { server } = await withDatasets();
      const get = (route: string) =>
        request(server)
          .get(`/api/dataflex${route}`)
          .set('Authorization', as(VIEWER));

      const dataset = await get('/datasets/default/catalogue');
      expect(dataset.status).toBe(200);
      expect(dataset.body.access).toEqual({
        update: false,
        delete: false,
        createVersion: false,
        readContent: false,
        requestAccess: true,
        manageAccess: false,
      });
      expect(
        (await get('/datasets/default/catalogue/versions')).body.items,
      ).toHaveLength(1);
      expect((await get('/datasets/default/catalogue/versions/1')).status).toBe(
        200,
      );
      expect(
        (await get('/datasets/default/catalogue/versions/1/content')).status,
      ).toBe(404);
      expect(
        (await get('/datasets/default/catalogue/versions/1/preview')).status,
      ).toBe(404);
    });

    it('lets a viewer read an open dataset’s content but not upload, edit or delete', async () => {
      const { server, auditEvents } = await withDatasets();

      const download = await request(server)
        .get('/api/dataflex/datasets/default/everyone/versions/1/content')
        .set('Authorization', as(VIEWER));
      expect(download.status).toBe(200);
      expect(download.text).toBe('a,b\n1,2\n');

      const upload = await request(server)
        .post('/api/dataflex/datasets/default/everyone/versions')
        .set('Authorization', as(VIEWER))
        .attach('file', Buffer.from('a,b\n5,6\n'), 'data.csv');
      expect(upload.status).toBe(403);
      expect(upload.body.error.message).toMatch(/may not upload new versions/);
      const edit = await request(server)
        .patch('/api/dataflex/datasets/default/everyone')
        .set('Authorization', as(VIEWER))
        .send({ visibility: 'private' });
      expect(edit.status).toBe(403);
      const remove = await request(server)
        .delete('/api/dataflex/datasets/default/everyone')
        .set('Authorization', as(VIEWER));
      expect(remove.status).toBe(403);

      expect(
        auditEvents.filter(e => e.status === 'failed').map(e => e.eventId),
      ).toEqual([
        'dataset-upload',
        'dataset-visibility-change',
        'dataset-delete',
      ]);
      expect((await storedFiles(dir)).blobs).toHaveLength(1);
    });

    it('lets a user create datasets only for their own groups, and an admin for any', async () => {
      const { server } = await start();
      const create = (user: string, name: string, owner: string) =>
        request(server)
          .post('/api/dataflex/datasets')
          .set('Authorization', as(user))
          .send({ name, owner });

      expect((await create(VIEWER, 'x', DATA_PLATFORM)).status).toBe(403);
      expect((await create(VIEWER, 'mine', MARKETING)).status).toBe(201);
      expect((await create(VIEWER, 'me', VIEWER)).status).toBe(201);
      expect((await create(ADMIN, 'theirs', DATA_PLATFORM)).status).toBe(201);

      const adminView = await request(server)
        .get('/api/dataflex/datasets/default/theirs')
        .set('Authorization', as(ADMIN));
      expect(adminView.body.access.readContent).toBe(true);
      const ownerView = await request(server)
        .get('/api/dataflex/datasets/default/theirs')
        .set('Authorization', as(OWNER));
      expect(ownerView.body.access.update).toBe(true);
    });
  });
});
