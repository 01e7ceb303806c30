import { TestDatabaseId } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { DatabaseDatasetStore } from './DatabaseDatasetStore';
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

const customers = {
  namespace: 'default',
  name: 'customers',
  title: 'Customers',
  description: 'One row per customer',
  owner: 'group:default/data-platform',
  visibility: 'public' as const,
  tags: ['crm', 'pii'],
  createdBy: 'user:default/anil',
};

describe.each(databases.eachSupportedId())(
  'DatabaseDatasetStore (%s)',
  databaseId => {
    it('creates a dataset and reads it back by ref and in the list', async () => {
      const { store } = await createStore(databaseId);

      const created = await store.createDataset(customers);

      expect(created).toEqual({
        ...customers,
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        createdAt: expect.any(String),
        updatedAt: created.createdAt,
      });
      expect(
        await store.getDataset({ namespace: 'default', name: 'customers' }),
      ).toEqual(created);
      expect(await store.listDatasets()).toEqual([created]);
    });

    it('refuses a second dataset with the same namespace and name', async () => {
      const { store } = await createStore(databaseId);
      await store.createDataset(customers);

      await expect(
        store.createDataset({ ...customers, title: 'Again' }),
      ).rejects.toThrow(
        new ConflictError("A dataset named 'default/customers' already exists"),
      );
      expect(await store.listDatasets()).toHaveLength(1);
    });

    it('returns undefined for an unknown dataset', async () => {
      const { store } = await createStore(databaseId);
      expect(
        await store.getDataset({ namespace: 'default', name: 'nope' }),
      ).toBeUndefined();
    });

    it('answers a ping', async () => {
      const { store } = await createStore(databaseId);
      await expect(store.ping()).resolves.toBeUndefined();
    });
  },
);
