import path from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  DataflexCatalogBackend,
  startDataflexCatalogBackend,
} from './__testUtils__/startDataflexCatalogBackend';

jest.setTimeout(120_000);

const ANIL = 'user:default/anil';
const STUDENT = 'user:default/student';

const entities = `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: data-platform }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: anil }
spec: { memberOf: [data-platform] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: student }
spec: { memberOf: [] }
---
apiVersion: dataflex.io/v1alpha1
kind: Dataset
metadata: { name: customers, title: Customers from YAML }
spec: { owner: data-platform, lifecycle: production, visibility: public }
`;

const weeklySalesCsv = [
  'week,region,revenue,closed',
  '2026-01-05,emea,1520.50,true',
  '2026-01-12,apac,88,false',
  '',
].join('\n');

// Sign-in's ownership resolution, the one edge this test replaces.
const memberships: Record<string, string[]> = {
  [ANIL]: ['group:default/data-platform'],
  [STUDENT]: [],
};

// Keeps every warning, to see the catalog refuse an entity for a conflict.
const warnings: string[] = [];

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  for (let attempt = 0; attempt < 150; attempt++) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not happen within 30 s`);
}

describe('datasets created through DataFlex in a running catalog', () => {
  let backend: DataflexCatalogBackend;
  let server: DataflexCatalogBackend['server'];

  const entityAs = (user: string, name: string) =>
    request(server)
      .get(`/api/catalog/entities/by-name/dataset/default/${name}`)
      .set('Authorization', mockCredentials.user.header(user));

  const datasetsAs = async (user: string) => {
    const res = await request(server)
      .get('/api/catalog/entities/by-query?filter=kind=dataset')
      .set('Authorization', mockCredentials.user.header(user));
    expect(res.status).toBe(200);
    return res.body.items as any[];
  };

  beforeAll(async () => {
    backend = await startDataflexCatalogBackend({
      entities,
      memberships,
      warnings,
    });
    server = backend.server;
    // The YAML dataset is processed, with its owner relation, before the
    // tests start uploading to it.
    await waitFor('the YAML dataset to be processed', async () => {
      const res = await entityAs(ANIL, 'customers');
      return res.status === 200 && res.body.relations?.length
        ? true
        : undefined;
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  async function createDataset(name: string, visibility: string) {
    const res = await request(server)
      .post('/api/dataflex/datasets')
      .set('Authorization', mockCredentials.user.header(ANIL))
      .send({
        name,
        title: `Title of ${name}`,
        owner: 'group:default/data-platform',
        tags: ['sales'],
        visibility,
      });
    expect(res.status).toBe(201);
  }

  async function upload(name: string, content: string) {
    const res = await request(server)
      .post(`/api/dataflex/datasets/default/${name}/versions`)
      .set('Authorization', mockCredentials.user.header(ANIL))
      .attach('file', Buffer.from(content), { filename: `${name}.csv` });
    expect(res.status).toBe(201);
  }

  it('publishes an uploaded dataset with its schema, only to those who may see it, and removes it once deleted', async () => {
    await createDataset('weekly-sales', 'private');
    await upload('weekly-sales', weeklySalesCsv);

    const entity = await waitFor('the uploaded dataset to appear', async () => {
      const res = await entityAs(ANIL, 'weekly-sales');
      return res.status === 200 &&
        res.body.spec.schema &&
        res.body.relations?.length
        ? res.body
        : undefined;
    });
    expect(entity.metadata).toMatchObject({
      name: 'weekly-sales',
      namespace: 'default',
      title: 'Title of weekly-sales',
      tags: ['sales'],
    });
    const location =
      entity.metadata.annotations['backstage.io/managed-by-location'];
    expect(location).toMatch(
      /^dataflex:http:\/\/localhost:\d+\/api\/dataflex\/datasets\/default\/weekly-sales$/,
    );
    expect(
      entity.metadata.annotations['backstage.io/managed-by-origin-location'],
    ).toBe(location);
    expect(entity.spec).toEqual({
      owner: 'group:default/data-platform',
      lifecycle: 'experimental',
      visibility: 'private',
      format: 'csv',
      schema: {
        columns: [
          { name: 'week', type: 'date' },
          { name: 'region', type: 'string' },
          { name: 'revenue', type: 'number' },
          { name: 'closed', type: 'boolean' },
        ],
      },
    });
    expect(entity.relations).toEqual(
      expect.arrayContaining([
        {
          type: 'ownedBy',
          targetRef: 'group:default/data-platform',
        },
      ]),
    );

    // Private: the catalog hides it, schema and all, from a non-owner.
    const hidden = await entityAs(STUDENT, 'weekly-sales');
    expect(hidden.status).toBe(404);
    expect((await datasetsAs(STUDENT)).map(e => e.metadata.name)).toEqual([
      'customers',
    ]);
    expect(JSON.stringify(await datasetsAs(STUDENT))).not.toContain('revenue');

    const deleted = await request(server)
      .delete('/api/dataflex/datasets/default/weekly-sales')
      .set('Authorization', mockCredentials.user.header(ANIL));
    expect(deleted.status).toBe(204);

    await waitFor('the deleted dataset to disappear', async () => {
      const res = await entityAs(ANIL, 'weekly-sales');
      return res.status === 404 ? true : undefined;
    });
    expect((await datasetsAs(ANIL)).map(e => e.metadata.name)).toEqual([
      'customers',
    ]);
  });

  it('keeps a dataset registered in YAML one entity, the YAML one, after an upload', async () => {
    await upload('customers', 'customer_id,country\nC1,GB\n');
    // Refreshes run one after the other and each reads every dataset, so
    // once a dataset created after the upload is in the catalog, the
    // provider has seen the uploaded-to YAML dataset too.
    await createDataset('marker', 'public');
    await waitFor('the marker dataset to appear', async () => {
      const res = await entityAs(ANIL, 'marker');
      return res.status === 200 ? true : undefined;
    });

    const customers = (await datasetsAs(ANIL)).filter(
      e => e.metadata.name === 'customers',
    );
    expect(customers).toHaveLength(1);
    expect(customers[0].metadata.title).toBe('Customers from YAML');
    expect(customers[0].spec.lifecycle).toBe('production');
    expect(
      customers[0].metadata.annotations['backstage.io/managed-by-location'],
    ).toBe(`file:${path.join(backend.dir, 'entities.yaml')}`);
    // Had the provider offered it too, the catalog would have refused it
    // as a conflict and said so.
    expect(warnings.filter(w => w.includes('conflicting entityRef'))).toEqual(
      [],
    );
  });
});
