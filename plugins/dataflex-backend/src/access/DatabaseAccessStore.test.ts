import { TestDatabaseId } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { DatabaseDatasetStore } from '../database/DatabaseDatasetStore';
import { createTestDatabases } from '../database/__testUtils__/testDatabases';
import { DatabaseAccessStore } from './DatabaseAccessStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const STUDENT = 'user:default/student';
const MEI = 'user:default/mei';
const ANIL = 'user:default/anil';

async function setUp(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const datasets = await DatabaseDatasetStore.create({
    database: { getClient: async () => knex, migrations: { skip: false } },
  });
  const create = (name: string, visibility: 'private' | 'public') =>
    datasets.createDataset({
      namespace: 'default',
      name,
      owner: 'group:default/data-platform',
      visibility,
      tags: [],
      createdBy: ANIL,
    });
  const orders = await create('orders', 'public');
  const ledger = await create('ledger', 'private');
  const store = DatabaseAccessStore.create({ knex });
  return { knex, datasets, store, orders, ledger };
}

const request = (datasetId: string, requester = STUDENT) => ({
  datasetId,
  requester,
  justification: 'Thesis on order seasonality',
  fields: { purpose: 'research' },
  scope: 'version' as const,
  version: 1,
});

describe.each(databases.eachSupportedId())(
  'DatabaseAccessStore (%s)',
  databaseId => {
    it('finds nothing for an id that is not a UUID (PostgreSQL would refuse to compare it)', async () => {
      const { store } = await setUp(databaseId);

      await expect(store.getRequest('not-a-uuid')).resolves.toBeUndefined();
      await expect(store.getGrant("1' OR '1'='1")).resolves.toBeUndefined();
    });

    it('creates a request and refuses a second pending one from the same user', async () => {
      const { store, orders } = await setUp(databaseId);

      const created = await store.createRequest({
        ...request(orders.id),
        endsAt: new Date('2030-01-01T00:00:00Z'),
      });
      expect(created).toMatchObject({
        dataset: {
          id: orders.id,
          namespace: 'default',
          name: 'orders',
          owner: 'group:default/data-platform',
        },
        requester: STUDENT,
        fields: { purpose: 'research' },
        scope: 'version',
        version: 1,
        endsAt: '2030-01-01T00:00:00.000Z',
        status: 'pending',
      });
      expect(await store.getPendingRequest(orders.id, STUDENT)).toEqual(
        created,
      );

      const twice = await Promise.allSettled([
        store.createRequest(request(orders.id)),
        store.createRequest(request(orders.id)),
      ]);
      expect(twice.map(r => r.status)).toEqual(['rejected', 'rejected']);
      expect((twice[0] as PromiseRejectedResult).reason).toBeInstanceOf(
        ConflictError,
      );
      // Someone else may still ask.
      await expect(
        store.createRequest(request(orders.id, MEI)),
      ).resolves.toMatchObject({ requester: MEI });
    });

    it('lets exactly one of two concurrent decisions through and creates the grant with it', async () => {
      const { store, orders } = await setUp(databaseId);
      const { id } = await store.createRequest({
        ...request(orders.id),
        scope: 'version-and-later',
        version: 2,
      });

      const now = new Date();
      const results = await Promise.all([
        store.decideRequest({
          id,
          decision: 'approved',
          decidedBy: ANIL,
          now,
        }),
        store.decideRequest({
          id,
          decision: 'rejected',
          decidedBy: MEI,
          reason: 'No',
          now,
        }),
      ]);
      const winners = results.filter(r => r !== undefined);
      expect(winners).toHaveLength(1);
      const after = await store.getRequest(id);
      expect(after?.status).toBe(winners[0]!.request.status);
      const grants = await store.listGrants({
        datasetId: orders.id,
        now,
        limit: 10,
      });
      const approved = after?.status === 'approved';
      expect(
        grants.items.map(g => [
          g.grantee,
          g.fromVersion,
          g.toVersion,
          g.requestId,
          g.createdBy,
        ]),
      ).toEqual(approved ? [[STUDENT, 2, undefined, id, ANIL]] : []);
      expect(after?.grantId).toBe(grants.items[0]?.id);
      // A decided request can be decided no more.
      await expect(
        store.decideRequest({
          id,
          decision: 'approved',
          decidedBy: ANIL,
          now,
        }),
      ).resolves.toBeUndefined();
      const log = await store.listAuditEntries(orders.id, { limit: 10 });
      expect(log.items.map(e => e.action)).toEqual([
        after!.status,
        'requested',
      ]);
    });

    it('treats revoked and ended grants as inactive, and records each expiry once', async () => {
      const { datasets, store, orders, ledger } = await setUp(databaseId);
      const now = new Date('2027-06-01T12:00:00Z');
      const open = await store.createGrant({
        datasetId: ledger.id,
        grantee: 'group:default/ml-platform',
        fromVersion: 1,
        createdBy: ANIL,
      });
      const ending = await store.createGrant({
        datasetId: ledger.id,
        grantee: STUDENT,
        fromVersion: 1,
        toVersion: 1,
        endsAt: new Date('2027-06-01T11:59:59Z'),
        createdBy: ANIL,
      });
      const later = await store.createGrant({
        datasetId: orders.id,
        grantee: MEI,
        fromVersion: 3,
        endsAt: new Date('2027-07-01T00:00:00Z'),
        createdBy: ANIL,
      });

      const active = await store.getActiveGrants([ledger.id, orders.id], now);
      expect(active.get(ledger.id)).toEqual([
        { grantee: 'group:default/ml-platform', fromVersion: 1 },
      ]);
      expect(active.get(orders.id)).toEqual([{ grantee: MEI, fromVersion: 3 }]);

      // The list filter finds datasets by their holders' grants that work
      // at the time of the query.
      const listed = await datasets.listDatasets({
        filter: {
          anyOf: [
            { property: 'grantee', values: [STUDENT] },
            { property: 'grantee', values: ['group:default/ml-platform'] },
          ],
        },
        limit: 10,
      });
      expect(listed.items.map(d => d.name)).toEqual(['ledger']);
      const past = await store.createGrant({
        datasetId: orders.id,
        grantee: 'user:default/guest',
        fromVersion: 1,
        endsAt: new Date(Date.now() - 1000),
        createdBy: ANIL,
      });
      const ended = await datasets.listDatasets({
        filter: { property: 'grantee', values: ['user:default/guest'] },
        limit: 10,
      });
      expect(ended.items).toEqual([]);

      const expired = await store.markExpiredGrants({
        now,
        actor: 'plugin:dataflex',
        limit: 100,
      });
      expect(expired.map(g => g.id)).toEqual([past.id, ending.id]);
      expect(expired[1].expiredAt).toBe(now.toISOString());
      await expect(
        store.markExpiredGrants({ now, actor: 'plugin:dataflex', limit: 100 }),
      ).resolves.toEqual([]);

      const revoked = await store.revokeGrant({
        id: open.id,
        revokedBy: ANIL,
        reason: 'Project ended',
        now,
      });
      expect(revoked).toMatchObject({
        revokedBy: ANIL,
        revokeReason: 'Project ended',
        revokedAt: now.toISOString(),
      });
      await expect(
        store.revokeGrant({ id: open.id, revokedBy: ANIL, now }),
      ).resolves.toBeUndefined();
      await expect(
        store.revokeGrant({ id: ending.id, revokedBy: ANIL, now }),
      ).resolves.toBeUndefined();
      expect((await store.getActiveGrants([ledger.id], now)).size).toBe(0);

      expect(
        (
          await store.listGrants({
            datasetId: ledger.id,
            status: 'expired',
            now,
            limit: 10,
          })
        ).items.map(g => g.id),
      ).toEqual([ending.id]);
      expect(
        (
          await store.listGrants({
            grantees: [MEI],
            status: 'active',
            now,
            limit: 10,
          })
        ).items.map(g => g.id),
      ).toEqual([later.id]);
      const grantees = await store.listGrantees({ now, limit: 10 });
      expect(grantees).toEqual({
        items: [
          {
            dataset: { namespace: 'default', name: 'orders' },
            grantees: [MEI],
          },
        ],
        hasMore: false,
      });

      const log = await store.listAuditEntries(ledger.id, { limit: 10 });
      expect(log.items.map(e => [e.action, e.subject])).toEqual([
        ['revoked', 'group:default/ml-platform'],
        ['expired', STUDENT],
        ['granted', STUDENT],
        ['granted', 'group:default/ml-platform'],
      ]);
    });

    it('pages requests newest first and filters them by the dataset permission conditions', async () => {
      const { store, orders, ledger } = await setUp(databaseId);
      const users = Array.from({ length: 5 }, (_, i) => `user:default/u${i}`);
      for (const user of users) {
        await store.createRequest(request(orders.id, user));
      }
      await store.createRequest(request(ledger.id, STUDENT));

      const first = await store.listRequests({ limit: 2 });
      expect(first.items.map(r => r.requester)).toEqual([STUDENT, users[4]]);
      expect(first.hasMore).toBe(true);
      const last = first.items[1];
      const second = await store.listRequests({
        limit: 10,
        before: { createdAt: last.createdAt, id: last.id },
      });
      expect(second.items.map(r => r.requester)).toEqual([
        users[3],
        users[2],
        users[1],
        users[0],
      ]);

      const onPublic = await store.listRequests({
        datasetFilter: { property: 'visibility', values: ['public'] },
        notRequester: users[0],
        status: 'pending',
        limit: 10,
      });
      expect(onPublic.items.map(r => r.requester)).toEqual(
        users.slice(1).reverse(),
      );
      const mine = await store.listRequests({ requester: STUDENT, limit: 10 });
      expect(mine.items.map(r => r.dataset.name)).toEqual(['ledger']);
    });

    it('deletes requests, grants and the log with their dataset', async () => {
      const { knex, datasets, store, orders } = await setUp(databaseId);
      const { id } = await store.createRequest(request(orders.id));
      await store.decideRequest({
        id,
        decision: 'approved',
        decidedBy: ANIL,
        now: new Date(),
      });
      await store.recordDownload({
        datasetId: orders.id,
        actor: STUDENT,
        version: 1,
      });

      await datasets.deleteDataset(orders);

      for (const table of [
        'access_requests',
        'access_grants',
        'access_events',
      ]) {
        const [{ n }] = await knex(table).count({ n: '*' });
        expect(Number(n)).toBe(0);
      }
    });
  },
);
