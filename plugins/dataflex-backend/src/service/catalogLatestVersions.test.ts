import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import {
  ADMIN,
  DATA_PLATFORM,
  OWNER,
  startDataflexTestBackend,
  VIEWER,
} from '../__testUtils__/startDataflexTestBackend';
import { asCatalogService } from '../__testUtils__/startRbacTestBackend';

jest.setTimeout(60_000);

const as = (user: string) => mockCredentials.user.header(user);

const registered: Entity = {
  apiVersion: 'dataflex.io/v1alpha1',
  kind: 'Dataset',
  metadata: { name: 'customers', namespace: 'default' },
  spec: {
    owner: 'data-platform',
    lifecycle: 'production',
    visibility: 'public',
  },
};

describe('GET /catalog/latest-versions', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dataflex-latest-'));
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function start() {
    const { server } = await startDataflexTestBackend({
      blobDirectory: dir,
      entities: [registered],
    });
    return server;
  }

  async function create(
    server: Parameters<typeof request>[0],
    body: Record<string, unknown>,
  ) {
    const res = await request(server)
      .post('/api/dataflex/datasets')
      .set('Authorization', as(OWNER))
      .send({ owner: DATA_PLATFORM, ...body });
    expect(res.status).toBe(201);
  }

  async function upload(
    server: Parameters<typeof request>[0],
    name: string,
    content: string,
  ) {
    const res = await request(server)
      .post(`/api/dataflex/datasets/default/${name}/versions`)
      .set('Authorization', as(OWNER))
      .attach('file', Buffer.from(content), { filename: `${name}.csv` });
    expect(res.status).toBe(201);
    return res.body as { version: number; createdAt: string };
  }

  const latest = (
    server: Parameters<typeof request>[0],
    refs: string[],
    authorization = asCatalogService(),
  ) =>
    request(server)
      .get('/api/dataflex/catalog/latest-versions')
      .query(refs.map(ref => `ref=${encodeURIComponent(ref)}`).join('&'))
      .set('Authorization', authorization);

  it('answers the newest version of the datasets that have one, private ones and registered entities included', async () => {
    const server = await start();
    await create(server, { name: 'orders', visibility: 'private' });
    await create(server, { name: 'empty' });
    await upload(server, 'orders', 'id\n1\n');
    const second = await upload(server, 'orders', 'id\n1\n2\n');
    const customers = await upload(server, 'customers', 'id\n1\n');

    const res = await latest(server, [
      'dataset:default/orders',
      // Refs compare like the catalog's: case-insensitive, default namespace.
      'Dataset:Customers',
      'dataset:default/ORDERS',
      'dataset:default/empty',
      'dataset:default/missing',
    ]);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        {
          entityRef: 'dataset:default/orders',
          version: 2,
          createdAt: second.createdAt,
        },
        {
          entityRef: 'dataset:default/customers',
          version: 1,
          createdAt: customers.createdAt,
        },
      ],
    });
    expect(Date.parse(res.body.items[0].createdAt)).not.toBeNaN();
  });

  it('refuses refs that are no dataset refs, and asking for none or too many', async () => {
    const server = await start();

    const component = await latest(server, ['component:default/orders']);
    expect(component.status).toBe(400);
    expect(component.body.error.message).toBe(
      "ref: 'component:default/orders' is not a dataset entity ref like dataset:default/customers",
    );
    const none = await request(server)
      .get('/api/dataflex/catalog/latest-versions')
      .set('Authorization', asCatalogService());
    expect(none.status).toBe(400);
    expect(none.body.error.message).toMatch(/ref/);
    const tooMany = await latest(
      server,
      Array.from({ length: 101 }, (_, i) => `dataset:default/d${i}`),
    );
    expect(tooMany.status).toBe(400);
  });

  it('refuses anonymous callers and users, admins included, without naming the dataset', async () => {
    const server = await start();
    await create(server, { name: 'secret', visibility: 'private' });
    await upload(server, 'secret', 'id\n1\n');

    const anonymous = await latest(
      server,
      ['dataset:default/secret'],
      mockCredentials.none.header(),
    );
    expect(anonymous.status).toBe(401);
    const forged = await latest(
      server,
      ['dataset:default/secret'],
      mockCredentials.service.invalidHeader(),
    );
    expect(forged.status).toBe(401);
    for (const user of [ADMIN, OWNER, VIEWER]) {
      const res = await latest(server, ['dataset:default/secret'], as(user));
      expect(res.status).toBe(403);
      expect(JSON.stringify(res.body)).not.toContain('"version"');
    }
  });
});
