import { Readable } from 'node:stream';
import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import { DatabaseDatasetStore } from '../database/DatabaseDatasetStore';
import { DatabaseDatasetVersionStore } from '../database/DatabaseDatasetVersionStore';
import { createTestDatabases } from '../database/__testUtils__/testDatabases';
import { BlobStoreContractSubject } from '../storage/__testUtils__/blobStoreContract';
import {
  createLocalDiskSubject,
  createS3Subject,
} from '../storage/__testUtils__/blobStoreSubjects';
import { findTestS3Server } from '../storage/__testUtils__/testS3';
import { OrphanBlobCollector } from './OrphanBlobCollector';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const DAY = 24 * 60 * 60 * 1000;
const s3 = findTestS3Server();

// S3 keeps content apart from the pointer at its digest; the collector must
// remove both. Without the test command's MinIO that case is skipped.
type CreateStorage = () => Promise<BlobStoreContractSubject>;
const storages: Array<[string, CreateStorage]> = [
  ['local disk', createLocalDiskSubject],
];
if (s3) {
  storages.push(['S3', () => createS3Subject(s3, 'WHEN_SUPPORTED')]);
}

describe.each(
  databases
    .eachSupportedId()
    .flatMap(([id]) =>
      storages.map(([storage, create]) => [id, storage, create] as const),
    ),
)(
  'OrphanBlobCollector (%s, %s storage)',
  (databaseId, _storage, createStorage) => {
    let storage: BlobStoreContractSubject;

    beforeEach(async () => {
      storage = await createStorage();
    });

    afterEach(async () => {
      await storage.dispose();
    });

    async function setUp(id: TestDatabaseId) {
      const knex = await databases.init(id);
      const datasets = await DatabaseDatasetStore.create({
        database: { getClient: async () => knex, migrations: { skip: false } },
      });
      const versions = DatabaseDatasetVersionStore.create({ knex });
      const blobStore = storage.store;
      const dataset = await datasets.createDataset({
        namespace: 'default',
        name: 'orders',
        owner: 'group:default/x',
        visibility: 'private',
        tags: [],
        createdBy: 'user:default/x',
      });
      const collector = OrphanBlobCollector.create({
        blobStore,
        versionStore: versions,
        scheduler: mockServices.scheduler.mock(),
        logger: mockServices.logger.mock(),
        frequency: { hours: 1 },
        gracePeriod: { hours: 24 },
      });
      const commit = (sha256: string, isStored?: () => Promise<boolean>) =>
        versions.createVersion({
          datasetId: dataset.id,
          sha256,
          size: 1,
          mediaType: 'text/csv',
          format: 'csv',
          filename: 'orders.csv',
          columns: [],
          uploadedBy: 'user:default/x',
          isStored,
        });
      const put = async (content: string) =>
        (await blobStore.put(Readable.from([content]))).sha256;
      return { datasets, versions, blobStore, collector, commit, put, dataset };
    }

    it('removes old content no version references and keeps the rest', async () => {
      const { blobStore, collector, commit, put, datasets, dataset } =
        await setUp(databaseId);
      const kept = await put('a,b\n1,2\n');
      const orphan = await put('from a failed upload');
      const ofDeleted = await put('of a dataset about to be deleted');
      await commit(kept);

      expect((await collector.collect()).removed).toEqual([]);

      await datasets.deleteDataset(dataset);
      const { removed } = await collector.collect(
        new Date(Date.now() + 2 * DAY),
      );

      expect(removed.sort()).toEqual([kept, orphan, ofDeleted].sort());
      expect(await blobStore.has(kept)).toBe(false);
      for await (const blob of blobStore.list()) {
        throw new Error(`${blob.sha256} was not collected`);
      }
      expect(await storage.leftovers()).toEqual({
        tempObjects: 0,
        unfinishedUploads: 0,
      });
    });

    it('leaves content a version references alone', async () => {
      const { blobStore, collector, commit, put } = await setUp(databaseId);
      const referenced = await put('x\n1\n');
      const orphan = await put('y\n2\n');
      await commit(referenced);

      const { removed } = await collector.collect(
        new Date(Date.now() + 2 * DAY),
      );

      expect(removed).toEqual([orphan]);
      expect(await blobStore.has(referenced)).toBe(true);
    });

    it('refuses to commit a version whose reused content is being collected', async () => {
      const { blobStore, versions, commit, put, dataset } = await setUp(
        databaseId,
      );
      const sha256 = await put('reused content');
      let entered!: () => void;
      const removing = new Promise<void>(resolve => {
        entered = resolve;
      });
      let release!: () => void;
      const gate = new Promise<void>(resolve => {
        release = resolve;
      });

      const collecting = versions.deleteIfUnreferenced(sha256, async () => {
        entered();
        await gate;
        await blobStore.delete(sha256);
      });
      await removing;
      const committing = commit(sha256, () => blobStore.has(sha256));
      await new Promise(resolve => setTimeout(resolve, 200));
      release();

      await expect(collecting).resolves.toBe(true);
      await expect(committing).rejects.toThrow(ServiceUnavailableError);
      expect(await versions.getVersion(dataset.id, 'latest')).toBeUndefined();
    });

    it('does not collect content once a version has committed it', async () => {
      const { blobStore, versions, commit, put } = await setUp(databaseId);
      const sha256 = await put('reused content');
      await commit(sha256, () => blobStore.has(sha256));

      await expect(
        versions.deleteIfUnreferenced(sha256, () => blobStore.delete(sha256)),
      ).resolves.toBe(false);
      expect(await blobStore.has(sha256)).toBe(true);
    });
  },
);
