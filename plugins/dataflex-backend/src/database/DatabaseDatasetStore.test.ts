import { TestDatabaseId } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { DatabaseDatasetStore } from './DatabaseDatasetStore';
import { DatabaseDatasetVersionStore } from './DatabaseDatasetVersionStore';
import { CreateDatasetOptions } from './DatasetStore';
import { createTestDatabases } from './__testUtils__/testDatabases';

jest.setTimeout(60_000);

const databases = createTestDatabases();

async function createStore(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const store = await DatabaseDatasetStore.create({
    database: { getClient: async () => knex, migrations: { skip: false } },
  });
  return { knex, store };
}

const customers: CreateDatasetOptions = {
  namespace: 'default',
  name: 'customers',
  title: 'Customers',
  description: 'One row per customer',
  owner: 'group:default/data-platform',
  visibility: 'public',
  tags: ['crm', 'pii'],
  createdBy: 'user:default/anil',
};

function dataset(
  name: string,
  owner: string,
  visibility: CreateDatasetOptions['visibility'],
  namespace = 'default',
): CreateDatasetOptions {
  return { ...customers, namespace, name, owner, visibility };
}

describe.each(databases.eachSupportedId())(
  'DatabaseDatasetStore (%s)',
  databaseId => {
    it('creates a dataset and reads it back by ref and in the list', async () => {
      const { store } = await createStore(databaseId);

      const created = await store.createDataset(customers);

      expect(created).toEqual({
        ...customers,
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        source: 'api',
        createdAt: expect.any(String),
        updatedAt: created.createdAt,
      });
      expect(
        await store.getDataset({ namespace: 'default', name: 'customers' }),
      ).toEqual(created);
      expect(await store.listDatasets({ limit: 10 })).toEqual({
        items: [created],
        hasMore: false,
      });
    });

    it('refuses a second dataset with the same namespace and name', async () => {
      const { store } = await createStore(databaseId);
      await store.createDataset(customers);

      await expect(
        store.createDataset({ ...customers, title: 'Again' }),
      ).rejects.toThrow(
        new ConflictError("A dataset named 'default/customers' already exists"),
      );
      expect((await store.listDatasets({ limit: 10 })).items).toHaveLength(1);
    });

    it('returns undefined for an unknown dataset', async () => {
      const { store } = await createStore(databaseId);
      expect(
        await store.getDataset({ namespace: 'default', name: 'nope' }),
      ).toBeUndefined();
    });

    it('loads several datasets by ref, in order, with gaps for unknown ones', async () => {
      const { store } = await createStore(databaseId);
      const a = await store.createDataset(
        dataset('a', 'group:default/x', 'open'),
      );
      const b = await store.createDataset(
        dataset('b', 'group:default/y', 'private', 'other'),
      );

      const found = await store.getDatasets([
        { namespace: 'other', name: 'b' },
        { namespace: 'default', name: 'missing' },
        { namespace: 'default', name: 'a' },
      ]);

      expect(found.map(d => d?.id)).toEqual([b.id, undefined, a.id]);
    });

    it('pages through datasets in namespace and name order without gaps or repeats', async () => {
      const { store } = await createStore(databaseId);
      const names = ['e', 'b', 'd', 'a', 'c'];
      for (const name of names) {
        await store.createDataset(dataset(name, 'group:default/x', 'open'));
      }
      await store.createDataset(
        dataset('a', 'group:default/x', 'open', 'zeta'),
      );

      const seen: string[] = [];
      let after: { namespace: string; name: string } | undefined;
      for (;;) {
        const page = await store.listDatasets({ limit: 2, after });
        seen.push(...page.items.map(d => `${d.namespace}/${d.name}`));
        expect(page.items.length).toBeLessThanOrEqual(2);
        if (!page.hasMore) {
          break;
        }
        expect(page.items).toHaveLength(2);
        after = page.items[1];
      }

      expect(seen).toEqual([
        'default/a',
        'default/b',
        'default/c',
        'default/d',
        'default/e',
        'zeta/a',
      ]);
    });

    it('filters by permission conditions in the query, so pages stay full', async () => {
      const { store } = await createStore(databaseId);
      await store.createDataset(
        dataset('p1', 'group:default/team-a', 'private'),
      );
      await store.createDataset(
        dataset('p2', 'group:default/team-b', 'private'),
      );
      await store.createDataset(
        dataset('p3', 'group:default/team-b', 'private'),
      );
      await store.createDataset(
        dataset('pub', 'group:default/team-b', 'public'),
      );
      await store.createDataset(
        dataset('open', 'group:default/team-b', 'open'),
      );

      const list = async (filter: any, limit = 10) =>
        (await store.listDatasets({ filter, limit })).items.map(d => d.name);

      const viewerOfTeamA = {
        anyOf: [
          { property: 'owner', values: ['group:default/team-a'] },
          { property: 'visibility', values: ['public', 'open'] },
        ],
      };
      expect(await list(viewerOfTeamA)).toEqual(['open', 'p1', 'pub']);
      // The first page is full even though hidden datasets sort in between.
      expect(await list(viewerOfTeamA, 2)).toEqual(['open', 'p1']);

      expect(
        await list({
          allOf: [
            { property: 'owner', values: ['group:default/team-b'] },
            { not: { property: 'visibility', values: ['private'] } },
          ],
        }),
      ).toEqual(['open', 'pub']);
      expect(await list({ anyOf: [] })).toEqual([]);
      expect(await list({ allOf: [] })).toHaveLength(5);
      expect(await list({ property: 'owner', values: [] })).toEqual([]);
    });

    it('lists only the datasets of one source when asked', async () => {
      const { store } = await createStore(databaseId);
      const uploaded = await store.createDataset(customers);
      const imported = await store.createDataset({
        ...dataset('orders', 'group:default/data-platform', 'private'),
        source: 'catalog',
      });

      expect(
        (await store.listDatasets({ limit: 10, source: 'api' })).items,
      ).toEqual([uploaded]);
      expect(
        (await store.listDatasets({ limit: 10, source: 'catalog' })).items,
      ).toEqual([imported]);
      expect((await store.listDatasets({ limit: 10 })).items).toHaveLength(2);
    });

    it('lists only the asked-for datasets, within the permission filter, paged', async () => {
      const { store } = await createStore(databaseId);
      for (const [name, visibility] of [
        ['a', 'public'],
        ['b', 'private'],
        ['c', 'open'],
        ['d', 'public'],
      ] as const) {
        await store.createDataset(
          dataset(name, 'group:default/data-platform', visibility),
        );
      }
      await store.createDataset(
        dataset('a', 'group:default/data-platform', 'public', 'other'),
      );
      const names = async (options: Parameters<typeof store.listDatasets>[0]) =>
        (await store.listDatasets(options)).items.map(
          d => `${d.namespace}/${d.name}`,
        );
      const refs = [
        { namespace: 'default', name: 'd' },
        { namespace: 'default', name: 'a' },
        { namespace: 'default', name: 'b' },
        { namespace: 'other', name: 'a' },
        { namespace: 'default', name: 'missing' },
      ];

      expect(await names({ limit: 10, refs })).toEqual([
        'default/a',
        'default/b',
        'default/d',
        'other/a',
      ]);
      expect(
        await names({
          limit: 10,
          refs,
          filter: { property: 'visibility', values: ['public', 'open'] },
        }),
      ).toEqual(['default/a', 'default/d', 'other/a']);
      const first = await store.listDatasets({ limit: 2, refs });
      expect(first.hasMore).toBe(true);
      expect(
        await names({
          limit: 2,
          refs,
          after: first.items[1],
        }),
      ).toEqual(['default/d', 'other/a']);
      expect(await names({ limit: 10, refs: [] })).toEqual([]);
    });

    it('updates metadata, clears a title with an empty string and leaves absent fields alone', async () => {
      const { store } = await createStore(databaseId);
      const created = await store.createDataset(customers);
      await new Promise(resolve => setTimeout(resolve, 5));

      const updated = await store.updateDataset(
        { namespace: 'default', name: 'customers' },
        { title: '', visibility: 'open', tags: ['crm'] },
      );

      expect(updated).toEqual({
        ...created,
        title: undefined,
        visibility: 'open',
        tags: ['crm'],
        updatedAt: expect.any(String),
      });
      expect(Date.parse(updated!.updatedAt)).toBeGreaterThan(
        Date.parse(created.createdAt),
      );
      expect(
        await store.updateDataset(
          { namespace: 'default', name: 'missing' },
          { title: 'x' },
        ),
      ).toBeUndefined();
    });

    it('deletes a dataset with its versions, and reports when there was none', async () => {
      const { knex, store } = await createStore(databaseId);
      const versions = DatabaseDatasetVersionStore.create({ knex });
      const created = await store.createDataset(customers);
      const other = await store.createDataset(
        dataset('other', 'group:default/x', 'open'),
      );
      for (const [id, sha] of [
        [created.id, 'a'],
        [created.id, 'b'],
        [other.id, 'c'],
      ]) {
        await versions.createVersion({
          datasetId: id,
          sha256: sha.repeat(64),
          size: 10,
          mediaType: 'text/csv',
          format: 'csv',
          filename: 'x.csv',
          columns: [],
          uploadedBy: 'user:default/anil',
        });
      }
      expect(
        (await store.getDataset({ namespace: 'default', name: 'customers' }))
          ?.latestVersion,
      ).toBe(2);

      expect(
        await store.deleteDataset({ namespace: 'default', name: 'customers' }),
      ).toBe(true);

      expect(
        await store.getDataset({ namespace: 'default', name: 'customers' }),
      ).toBeUndefined();
      expect(await knex('dataset_versions').select('sha256')).toEqual([
        { sha256: 'c'.repeat(64) },
      ]);
      expect(
        await store.deleteDataset({ namespace: 'default', name: 'customers' }),
      ).toBe(false);
    });

    it('answers a ping', async () => {
      const { store } = await createStore(databaseId);
      await expect(store.ping()).resolves.toBeUndefined();
    });
  },
);
