import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import request from 'supertest';
import { catalogModuleDataflex } from './module';

jest.setTimeout(60_000);

const entities = `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: data-platform
spec:
  type: team
  children: []
---
apiVersion: dataflex.io/v1alpha1
kind: Dataset
metadata:
  name: customers
spec:
  owner: data-platform
  lifecycle: production
  visibility: public
  format: csv
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: datasets-api
spec:
  type: openapi
  lifecycle: production
  owner: data-platform
  definition:
    $text: ./openapi.yaml
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: cleaner
  annotations:
    dataflex.io/public: 'true'
    dataflex.io/consumes-datasets: customers
spec:
  type: service
  lifecycle: production
  owner: data-platform
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: bad-service
  annotations:
    dataflex.io/public: maybe
spec:
  type: service
  lifecycle: production
  owner: data-platform
---
apiVersion: dataflex.io/v1alpha1
kind: Dataset
metadata:
  name: broken
spec:
  owner: data-platform
  lifecycle: production
  visibility: everyone
`;

async function waitFor<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
  throw new Error('condition not met within 20 s');
}

describe('catalogModuleDataflex in a running catalog', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dataflex-catalog-'));
    await fs.writeFile(path.join(dir, 'catalog-info.yaml'), entities);
    await fs.writeFile(path.join(dir, 'openapi.yaml'), 'openapi: 3.0.3\n');
  });

  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('ingests valid Datasets with their ownership relations and rejects invalid ones', async () => {
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleDataflex,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [
                { allow: ['Group', 'Dataset', 'API', 'Component', 'Location'] },
              ],
              locations: [
                { type: 'file', target: path.join(dir, 'catalog-info.yaml') },
              ],
            },
          },
        }),
      ],
    });

    const dataset = await waitFor(async () => {
      const res = await request(server).get(
        '/api/catalog/entities/by-name/dataset/default/customers',
      );
      return res.status === 200 && res.body.relations?.length
        ? res.body
        : undefined;
    });
    expect(dataset.spec).toMatchObject({ visibility: 'public', format: 'csv' });
    expect(dataset.relations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'ownedBy',
          targetRef: 'group:default/data-platform',
        }),
      ]),
    );

    const group = await waitFor(async () => {
      const res = await request(server).get(
        '/api/catalog/entities/by-name/group/default/data-platform',
      );
      const owns = res.body.relations?.some(
        (r: { type: string; targetRef: string }) =>
          r.type === 'ownerOf' && r.targetRef === 'dataset:default/customers',
      );
      return owns ? res.body : undefined;
    });
    expect(group.metadata.name).toBe('data-platform');

    const api = await waitFor(async () => {
      const res = await request(server).get(
        '/api/catalog/entities/by-name/api/default/datasets-api',
      );
      return res.status === 200 ? res.body : undefined;
    });
    expect(api.spec.definition).toBe('openapi: 3.0.3\n');

    const cleaner = await waitFor(async () => {
      const res = await request(server).get(
        '/api/catalog/entities/by-name/component/default/cleaner',
      );
      return res.status === 200 && res.body.relations?.length
        ? res.body
        : undefined;
    });
    expect(cleaner.relations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'dependsOn',
          targetRef: 'dataset:default/customers',
        }),
      ]),
    );
    await waitFor(async () => {
      const res = await request(server).get(
        '/api/catalog/entities/by-name/dataset/default/customers',
      );
      return res.body.relations?.some(
        (r: { type: string; targetRef: string }) =>
          r.type === 'dependencyOf' &&
          r.targetRef === 'component:default/cleaner',
      )
        ? true
        : undefined;
    });

    // An invalid annotation keeps the entity out of the catalog, like any
    // other validation error, instead of being silently dropped.
    const bad = await request(server).get(
      '/api/catalog/entities/by-name/component/default/bad-service',
    );
    expect(bad.status).toBe(404);
    const validation = await request(server)
      .post('/api/catalog/validate-entity')
      .send({
        location:
          'url:https://git.example.com/team/repo/blob/main/catalog-info.yaml',
        entity: {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name: 'bad-service',
            annotations: { 'dataflex.io/public': 'maybe' },
          },
          spec: {
            type: 'service',
            lifecycle: 'production',
            owner: 'data-platform',
          },
        },
      });
    expect(validation.status).toBe(400);
    expect(JSON.stringify(validation.body)).toContain(
      'component:default/bad-service has an invalid annotation dataflex.io/public is \'maybe\'; use \\"true\\" or \\"false\\"',
    );

    const list = await request(server).get(
      '/api/catalog/entities/by-query?filter=kind=dataset',
    );
    expect(
      list.body.items.map(
        (e: { metadata: { name: string } }) => e.metadata.name,
      ),
    ).toEqual(['customers']);
  });
});
