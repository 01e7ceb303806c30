import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  ADMIN,
  asCatalogService,
  asUser,
  DATA_PLATFORM,
  OWNER,
  VIEWER,
} from '../__testUtils__/startDataflexTestBackend';
import { useCatalogServiceTestBackend } from '../__testUtils__/useCatalogServiceTestBackend';

jest.setTimeout(60_000);

describe('GET /catalog/latest-versions', () => {
  const start = useCatalogServiceTestBackend();

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
    const { server, createDataset, uploadVersion } = await start();
    await createDataset(OWNER, {
      name: 'orders',
      owner: DATA_PLATFORM,
      visibility: 'private',
    });
    await createDataset(OWNER, { name: 'empty', owner: DATA_PLATFORM });
    await uploadVersion(OWNER, 'orders', 'id\n1\n');
    const second = await uploadVersion(OWNER, 'orders', 'id\n1\n2\n');
    const customers = await uploadVersion(OWNER, 'customers', 'id\n1\n');

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
    const { server } = await start();

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
    const { server, createDataset, uploadVersion } = await start();
    await createDataset(OWNER, {
      name: 'secret',
      owner: DATA_PLATFORM,
      visibility: 'private',
    });
    await uploadVersion(OWNER, 'secret', 'id\n1\n');

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
      const res = await latest(
        server,
        ['dataset:default/secret'],
        asUser(user),
      );
      expect(res.status).toBe(403);
      expect(JSON.stringify(res.body)).not.toContain('"version"');
    }
  });
});
