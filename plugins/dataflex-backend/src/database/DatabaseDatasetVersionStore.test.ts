import { TestDatabaseId } from '@backstage/backend-test-utils';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { PayloadTooLargeError } from '../service/errors';
import { DatabaseDatasetStore } from './DatabaseDatasetStore';
import { DatabaseDatasetVersionStore } from './DatabaseDatasetVersionStore';
import { CreateVersionOptions } from './DatasetVersionStore';
import { createTestDatabases } from './__testUtils__/testDatabases';

jest.setTimeout(60_000);

const databases = createTestDatabases();

async function setUp(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const datasets = await DatabaseDatasetStore.create({
    database: { getClient: async () => knex, migrations: { skip: false } },
  });
  const versions = DatabaseDatasetVersionStore.create({ knex });
  const dataset = await datasets.createDataset({
    namespace: 'default',
    name: 'orders',
    owner: 'group:default/data-platform',
    visibility: 'private',
    tags: [],
    createdBy: 'user:default/anil',
  });
  return { knex, datasets, versions, dataset };
}

const digest = (n: number) => n.toString(16).padStart(64, '0');

function version(
  datasetId: string,
  n: number,
  overrides: Partial<CreateVersionOptions> = {},
): CreateVersionOptions {
  return {
    datasetId,
    sha256: digest(n),
    size: 100,
    mediaType: 'text/csv',
    format: 'csv',
    filename: `orders-${n}.csv`,
    rowCount: n,
    columns: [
      { name: 'id', type: 'integer', nullable: false },
      { name: 'amount', type: 'number', nullable: true },
    ],
    uploadedBy: 'user:default/anil',
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())(
  'DatabaseDatasetVersionStore (%s)',
  databaseId => {
    it('numbers versions 1, 2, 3 and diffs each against the one before', async () => {
      const { versions, dataset } = await setUp(databaseId);

      const v1 = await versions.createVersion(
        version(dataset.id, 1, { changeNote: 'first load' }),
      );
      const v2 = await versions.createVersion(
        version(dataset.id, 2, {
          columns: [
            { name: 'id', type: 'string', nullable: false },
            { name: 'currency', type: 'string', nullable: false },
          ],
        }),
      );

      expect(v1).toEqual({
        ...version(dataset.id, 1),
        version: 1,
        changeNote: 'first load',
        schemaDiff: undefined,
        createdAt: expect.any(String),
      });
      expect(v2.version).toBe(2);
      expect(v2.schemaDiff).toEqual({
        added: [{ name: 'currency', type: 'string', nullable: false }],
        removed: [{ name: 'amount', type: 'number', nullable: true }],
        retyped: [{ name: 'id', from: 'integer', to: 'string' }],
      });
      expect(await versions.getVersion(dataset.id, 1)).toEqual(v1);
      expect(await versions.getVersion(dataset.id, 'latest')).toEqual(v2);
      expect(await versions.getVersion(dataset.id, 3)).toBeUndefined();
    });

    it('gives 20 concurrent uploads the numbers 1 to 20, each once', async () => {
      const { versions, dataset } = await setUp(databaseId);

      const created = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          versions.createVersion(version(dataset.id, i + 1)),
        ),
      );

      expect(created.map(v => v.version).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      const page = await versions.listVersions(dataset.id, { limit: 50 });
      expect(page.items.map(v => v.version)).toEqual(
        Array.from({ length: 20 }, (_, i) => 20 - i),
      );
      expect(new Set(page.items.map(v => v.sha256)).size).toBe(20);
    });

    it('refuses content identical to the latest version but accepts an older one again', async () => {
      const { versions, dataset } = await setUp(databaseId);
      await versions.createVersion(version(dataset.id, 1));
      await versions.createVersion(version(dataset.id, 2));

      await expect(
        versions.createVersion(version(dataset.id, 2)),
      ).rejects.toThrow(ConflictError);
      const again = await versions.createVersion(version(dataset.id, 1));

      expect(again.version).toBe(3);
      expect(again.sha256).toBe(digest(1));
    });

    it('refuses a version that would take the uploader past their quota, counting only theirs', async () => {
      const { versions, dataset } = await setUp(databaseId);
      await versions.createVersion(version(dataset.id, 1, { size: 600 }));
      await versions.createVersion(
        version(dataset.id, 2, { size: 5000, uploadedBy: 'user:default/bo' }),
      );

      await expect(
        versions.createVersion(
          version(dataset.id, 3, { size: 500, quotaBytes: 1000 }),
        ),
      ).rejects.toThrow(PayloadTooLargeError);
      await expect(
        versions.createVersion(
          version(dataset.id, 3, { size: 400, quotaBytes: 1000 }),
        ),
      ).resolves.toMatchObject({ version: 3 });
      expect(await versions.getUsageBytes('user:default/anil')).toBe(1000);
      expect(await versions.getUsageBytes('user:default/bo')).toBe(5000);
      expect(await versions.getUsageBytes('user:default/nobody')).toBe(0);
    });

    it('refuses a version of a dataset that no longer exists', async () => {
      const { versions, datasets, dataset } = await setUp(databaseId);
      await datasets.deleteDataset(dataset);

      await expect(
        versions.createVersion(version(dataset.id, 1)),
      ).rejects.toThrow(NotFoundError);
    });

    it('pages through versions newest first', async () => {
      const { versions, dataset } = await setUp(databaseId);
      for (let n = 1; n <= 5; n++) {
        await versions.createVersion(version(dataset.id, n));
      }

      const first = await versions.listVersions(dataset.id, { limit: 2 });
      const second = await versions.listVersions(dataset.id, {
        limit: 2,
        before: 4,
      });
      const last = await versions.listVersions(dataset.id, {
        limit: 2,
        before: 2,
      });

      expect(first.items.map(v => v.version)).toEqual([5, 4]);
      expect(first.hasMore).toBe(true);
      expect(second.items.map(v => v.version)).toEqual([3, 2]);
      expect(last).toEqual({
        items: [expect.objectContaining({ version: 1 })],
        hasMore: false,
      });
    });

    it('finds the newest version of several datasets at once', async () => {
      const { versions, datasets, dataset } = await setUp(databaseId);
      const other = await datasets.createDataset({
        namespace: 'default',
        name: 'refunds',
        owner: 'group:default/data-platform',
        visibility: 'public',
        tags: [],
        createdBy: 'user:default/anil',
      });
      const empty = await datasets.createDataset({
        namespace: 'default',
        name: 'empty',
        owner: 'group:default/data-platform',
        visibility: 'public',
        tags: [],
        createdBy: 'user:default/anil',
      });
      await versions.createVersion(version(dataset.id, 1));
      await versions.createVersion(version(dataset.id, 2));
      const newest = await versions.createVersion(version(dataset.id, 3));
      const only = await versions.createVersion(version(other.id, 4));

      const latest = await versions.getLatestVersions([
        dataset.id,
        other.id,
        empty.id,
      ]);

      expect(latest).toEqual(
        new Map([
          [dataset.id, newest],
          [other.id, only],
        ]),
      );
      expect(await versions.getLatestVersions([])).toEqual(new Map());
    });

    it('tells which digests versions still reference', async () => {
      const { versions, dataset } = await setUp(databaseId);
      await versions.createVersion(version(dataset.id, 1));
      await versions.createVersion(version(dataset.id, 2));

      expect(
        await versions.findReferencedDigests([digest(2), digest(9), digest(1)]),
      ).toEqual(new Set([digest(1), digest(2)]));
      expect(await versions.findReferencedDigests([])).toEqual(new Set());
    });
  },
);
