import { randomBytes } from 'node:crypto';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import searchPlugin from '@backstage/plugin-search-backend';
import searchModuleCatalogCollator from '@backstage/plugin-search-backend-module-catalog';
import { DatasetSharingKeys } from '@dataflex/backstage-plugin-dataflex-node';
import knexFactory from 'knex';
import request from 'supertest';
import {
  DataflexCatalogBackend,
  startDataflexCatalogBackend,
} from './__testUtils__/startDataflexCatalogBackend';

jest.setTimeout(180_000);

const ANIL = 'user:default/anil';
const STUDENT = 'user:default/student';
const GUEST = 'user:default/guest';
const AUDITOR = 'user:default/auditor';

const sharing = { secret: 'a-dataset-sharing-test-secret-of-32-chars' };
const sharingKeys = DatasetSharingKeys.fromConfig(
  mockServices.rootConfig({ data: { dataflex: { sharing } } }),
);
const keysOf = (...refs: string[]) => sharingKeys.granteeKeyRefsOf(refs);

const entities = `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: data-platform }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: students }
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
spec: { memberOf: [students] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: guest }
spec: { memberOf: [] }
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: { name: auditors }
spec: { type: team, children: [] }
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: { name: auditor }
spec: { memberOf: [auditors] }
`;

// Sign-in's ownership resolution, the one edge this test replaces.
const memberships: Record<string, string[]> = {
  [ANIL]: ['group:default/data-platform'],
  [STUDENT]: ['group:default/students'],
  [GUEST]: [],
  [AUDITOR]: ['group:default/auditors'],
};
// Throws rather than expects: these run inside helpers and hooks.
function ok(res: request.Response, status = 200): request.Response {
  if (res.status !== status) {
    throw new Error(`Answered ${res.status}, not ${status}: ${res.text}`);
  }
  return res;
}

const postgres =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
if (process.env.DATAFLEX_REQUIRE_POSTGRES && !postgres) {
  throw new Error(
    'DATAFLEX_REQUIRE_POSTGRES is set but BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is not',
  );
}

/**
 * A database for every plugin of one test backend: SQLite in memory, or
 * one PostgreSQL database per plugin under a prefix of its own, dropped
 * afterwards.
 */
interface TestDatabase {
  name: string;
  config: object;
  drop(): Promise<void>;
}
const databases: TestDatabase[] = [
  {
    name: 'SQLite',
    config: { client: 'better-sqlite3', connection: ':memory:' },
    drop: async () => {},
  },
];
if (postgres) {
  const prefix = `dataflex_sharing_${randomBytes(4).toString('hex')}_`;
  databases.push({
    name: 'PostgreSQL',
    config: { client: 'pg', connection: postgres, prefix },
    drop: async () => {
      const admin = knexFactory({ client: 'pg', connection: postgres });
      try {
        const { rows } = await admin.raw(
          'SELECT datname FROM pg_database WHERE datname LIKE ?',
          [`${prefix}%`],
        );
        for (const { datname } of rows) {
          await admin.raw('DROP DATABASE ?? WITH (FORCE)', [datname]);
        }
      } finally {
        await admin.destroy();
      }
    },
  });
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    }
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

describe.each(databases)(
  'private datasets shared with their grant holders, in a running catalog on $name',
  database => {
    let backend: DataflexCatalogBackend;
    let server: DataflexCatalogBackend['server'];
    const timings: Record<string, number> = {};

    const as = (user: string) => ({
      entity: (name: string) =>
        request(server)
          .get(`/api/catalog/entities/by-name/dataset/default/${name}`)
          .set('Authorization', mockCredentials.user.header(user)),
      datasets: async () => {
        const res = ok(
          await request(server)
            .get('/api/catalog/entities/by-query?filter=kind=dataset')
            .set('Authorization', mockCredentials.user.header(user)),
        );
        return res.body.items.map((e: any) => e.metadata.name) as string[];
      },
      sharedWith: async (refs: string[]) => {
        const res = ok(
          await request(server)
            .get('/api/catalog/entities/by-query')
            .query(
              refs.map(ref => `filter=relations.sharedWith=${ref}`).join('&'),
            )
            .set('Authorization', mockCredentials.user.header(user)),
        );
        return res.body.items.map((e: any) => e.metadata.name) as string[];
      },
      byRefs: async (refs: string[]) => {
        const res = ok(
          await request(server)
            .post('/api/catalog/entities/by-refs')
            .set('Authorization', mockCredentials.user.header(user))
            .send({ entityRefs: refs }),
        );
        return res.body.items.map((e: any) => e?.metadata.name ?? null);
      },
      search: async (term: string) => {
        const res = ok(
          await request(server)
            .get('/api/search/query')
            .query({ term, types: ['software-catalog'] })
            .set('Authorization', mockCredentials.user.header(user)),
        );
        return res.body.results.map(
          (r: any) => r.document.location,
        ) as string[];
      },
    });

    beforeAll(async () => {
      backend = await startDataflexCatalogBackend({
        entities,
        memberships,
        database: database.config,
        sharing,
        features: [
          searchPlugin,
          searchModuleCatalogCollator,
          // The search index is rebuilt on a schedule; the test scheduler
          // would run it once, before any dataset exists.
          schedulerServiceFactory,
        ],
        config: {
          search: {
            collators: {
              catalog: {
                schedule: {
                  frequency: { seconds: 1 },
                  timeout: { seconds: 60 },
                  initialDelay: { seconds: 1 },
                },
              },
            },
          },
        },
      });
      server = backend.server;

      ok(
        await request(server)
          .post('/api/dataflex/datasets')
          .set('Authorization', mockCredentials.user.header(ANIL))
          .send({
            name: 'salaries',
            title: 'Salaries by grade',
            owner: 'group:default/data-platform',
            visibility: 'private',
          }),
        201,
      );
      // Published, processed, and indexed for search.
      await waitFor('the dataset to be in the catalog', async () => {
        const res = await as(ANIL).entity('salaries');
        return res.status === 200 && res.body.relations?.length
          ? true
          : undefined;
      });
      await waitFor('the dataset to be searchable', async () =>
        (await as(ANIL).search('salaries')).length ? true : undefined,
      );
    });

    afterAll(async () => {
      await backend?.stop();
      await database.drop();
      // Shown with the test output: how long the catalog took to follow.
      process.stdout.write(
        `Catalog visibility after a grant change on ${
          database.name
        } (ms): ${JSON.stringify(timings)}\n`,
      );
    });

    async function expectHiddenFrom(user: string) {
      expect((await as(user).entity('salaries')).status).toBe(404);
      expect(await as(user).datasets()).not.toContain('salaries');
      expect(await as(user).byRefs(['dataset:default/salaries'])).toEqual([
        null,
      ]);
      expect(await as(user).search('salaries')).toEqual([]);
    }

    async function expectVisibleTo(user: string) {
      expect((await as(user).entity('salaries')).status).toBe(200);
      expect(await as(user).datasets()).toContain('salaries');
      expect(await as(user).byRefs(['dataset:default/salaries'])).toEqual([
        'salaries',
      ]);
      expect(await as(user).search('salaries')).toEqual([
        '/catalog/default/dataset/salaries',
      ]);
    }

    async function grant(grantee: string, endsAt?: Date): Promise<string> {
      const res = await request(server)
        .post('/api/dataflex/datasets/default/salaries/grants')
        .set('Authorization', mockCredentials.user.header(ANIL))
        .send({ grantee, endsAt: endsAt?.toISOString() });
      expect(res.status).toBe(201);
      return res.body.id;
    }

    async function revoke(id: string) {
      const res = await request(server)
        .post(`/api/dataflex/grants/${encodeURIComponent(id)}/revoke`)
        .set('Authorization', mockCredentials.user.header(ANIL))
        .send({ reason: 'Project over' });
      expect(res.status).toBe(200);
    }

    async function timeUntil(
      label: string,
      what: string,
      probe: () => Promise<boolean>,
      started = Date.now(),
    ) {
      await waitFor(what, async () => ((await probe()) ? true : undefined));
      timings[label] = Date.now() - started;
      // Well inside the catalog's own processing interval (100–150 s), which
      // is what it would take without the grant events.
      expect(timings[label]).toBeLessThan(15_000);
    }

    it('shows a private dataset to a user once granted, and hides it again once revoked', async () => {
      await expectHiddenFrom(STUDENT);

      const id = await grant(STUDENT);
      await timeUntil(
        'userGranted',
        'the student to see the dataset',
        async () => (await as(STUDENT).entity('salaries')).status === 200,
      );
      await expectVisibleTo(STUDENT);
      const entity = (await as(STUDENT).entity('salaries')).body;
      expect(
        entity.relations.filter((r: any) => r.type === 'sharedWith'),
      ).toEqual([{ type: 'sharedWith', targetRef: keysOf(STUDENT)[0] }]);
      // The relation points at the user's key, not at the user.
      expect(
        await as(STUDENT).sharedWith(keysOf(STUDENT, 'group:default/students')),
      ).toEqual(['salaries']);
      expect(
        await as(STUDENT).sharedWith([STUDENT, 'group:default/students']),
      ).toEqual([]);
      // The "why can I see this?" view names the grant.
      const explained = ok(
        await request(server)
          .get(
            '/api/permission/dataflex/explain?entityRef=dataset:default/salaries',
          )
          .set('Authorization', mockCredentials.user.header(STUDENT)),
      );
      expect(
        explained.body.permissions.find(
          (p: any) => p.permission === 'catalog.entity.read',
        ),
      ).toEqual({
        permission: 'catalog.entity.read',
        allowed: true,
        reasons: [
          'you hold a grant: the dataset is shared with you, or one of your groups, by an access grant',
        ],
      });
      // Nobody else gains anything, and nothing points from users to it.
      await expectHiddenFrom(GUEST);
      expect(await as(GUEST).sharedWith(keysOf(STUDENT))).toEqual([]);
      const student = await request(server)
        .get('/api/catalog/entities/by-name/user/default/student')
        .set('Authorization', mockCredentials.user.header(GUEST));
      expect(JSON.stringify(student.body)).not.toContain('salaries');

      await revoke(id);
      await timeUntil(
        'userRevoked',
        'the dataset to be hidden again',
        async () => (await as(STUDENT).entity('salaries')).status === 404,
      );
      await expectHiddenFrom(STUDENT);
      expect(await as(STUDENT).sharedWith(keysOf(STUDENT))).toEqual([]);
      // Its owners still see it, with no grant holder left on it.
      const owned = await as(ANIL).entity('salaries');
      expect(owned.status).toBe(200);
      expect(
        owned.body.relations.filter((r: any) => r.type === 'sharedWith'),
      ).toEqual([]);
    });

    it('shows it to the members of a group granted access', async () => {
      const id = await grant('group:default/students');
      await timeUntil(
        'groupGranted',
        'the group member to see the dataset',
        async () => (await as(STUDENT).entity('salaries')).status === 200,
      );
      await expectVisibleTo(STUDENT);
      expect(
        await as(STUDENT).sharedWith(keysOf('group:default/students')),
      ).toEqual(['salaries']);
      await expectHiddenFrom(GUEST);

      await revoke(id);
      await timeUntil(
        'groupRevoked',
        'the dataset to be hidden again',
        async () => (await as(STUDENT).entity('salaries')).status === 404,
      );
      await expectHiddenFrom(STUDENT);
    });

    it('tells a grant holder nothing of who else holds a grant', async () => {
      const grantees = [STUDENT, AUDITOR, 'group:default/auditors'];
      const ids = [];
      for (const grantee of grantees) {
        ids.push(await grant(grantee));
      }
      await timeUntil(
        'threeGranted',
        'the dataset to be shared with all three',
        async () =>
          (
            await as(ANIL).entity('salaries')
          ).body.relations.filter((r: any) => r.type === 'sharedWith')
            .length === 3,
      );
      const granteeKeys = keysOf(...grantees);
      // Refs of grantees, and the bare names, in any case.
      const named = /student|auditor/i;

      for (const user of [STUDENT, AUDITOR]) {
        await expectVisibleTo(user);
        const res = await as(user).entity('salaries');
        expect(JSON.stringify(res.body)).not.toMatch(named);
        expect(
          res.body.relations
            .filter((r: any) => r.type === 'sharedWith')
            .map((r: any) => r.targetRef)
            .sort(),
        ).toEqual([...granteeKeys].sort());
        for (const targetRef of granteeKeys) {
          expect(targetRef).toMatch(/^dataflexgrantee:default\/[0-9a-f]{32}$/);
        }

        // Nor in lists, by refs, relation facets or search.
        const listed = ok(
          await request(server)
            .get('/api/catalog/entities/by-query?filter=kind=dataset')
            .set('Authorization', mockCredentials.user.header(user)),
        );
        expect(JSON.stringify(listed.body)).not.toMatch(named);
        const byRefs = ok(
          await request(server)
            .post('/api/catalog/entities/by-refs')
            .set('Authorization', mockCredentials.user.header(user))
            .send({ entityRefs: ['dataset:default/salaries'] }),
        );
        expect(byRefs.body.items[0].metadata.name).toBe('salaries');
        expect(JSON.stringify(byRefs.body)).not.toMatch(named);
        const facets = ok(
          await request(server)
            .get('/api/catalog/entity-facets')
            .query('facet=relations.sharedWith&filter=kind=dataset')
            .set('Authorization', mockCredentials.user.header(user)),
        );
        expect(
          facets.body.facets['relations.sharedWith']
            .map((f: any) => f.value)
            .sort(),
        ).toEqual([...granteeKeys].sort());
        const found = ok(
          await request(server)
            .get('/api/search/query')
            .query({ term: 'salaries', types: ['software-catalog'] })
            .set('Authorization', mockCredentials.user.header(user)),
        );
        expect(JSON.stringify(found.body)).not.toMatch(named);
      }
      // Owners see keys too; who they stand for is in DataFlex's grants.
      const owned = await as(ANIL).entity('salaries');
      expect(JSON.stringify(owned.body)).not.toMatch(named);

      await expectHiddenFrom(GUEST);
      const facets = ok(
        await request(server)
          .get('/api/catalog/entity-facets')
          .query('facet=relations.sharedWith')
          .set('Authorization', mockCredentials.user.header(GUEST)),
      );
      expect(facets.body.facets['relations.sharedWith']).toEqual([]);

      for (const id of ids) {
        await revoke(id);
      }
      await timeUntil(
        'threeRevoked',
        'the dataset to be hidden from both again',
        async () =>
          (await as(STUDENT).entity('salaries')).status === 404 &&
          (await as(AUDITOR).entity('salaries')).status === 404,
      );
      await expectHiddenFrom(STUDENT);
      await expectHiddenFrom(AUDITOR);
    });

    it('hides it again when a grant reaches its end date', async () => {
      const endsAt = new Date(Date.now() + 4000);
      const id = await grant(STUDENT, endsAt);
      await waitFor('the student to see the dataset', async () =>
        (await as(STUDENT).entity('salaries')).status === 200
          ? true
          : undefined,
      );
      await expectVisibleTo(STUDENT);

      // DataFlex's expiry task has not run yet (it starts after 30 s and
      // runs every 5 minutes); the end date alone must hide it.
      await timeUntil(
        'grantEnded',
        'the dataset to be hidden after the end date',
        async () => (await as(STUDENT).entity('salaries')).status === 404,
        endsAt.getTime(),
      );
      await expectHiddenFrom(STUDENT);
      // Hidden by the end date, not by the expiry task's event.
      const grants = ok(
        await request(server)
          .get('/api/dataflex/datasets/default/salaries/grants')
          .set('Authorization', mockCredentials.user.header(ANIL)),
      );
      const ended = grants.body.items.find((g: any) => g.id === id);
      expect(ended.expiredAt).toBeUndefined();
      expect(ended.status).toBe('expired');
    });

    it('puts the latest version on datasets and orders them by it, within what each user may see', async () => {
      const LATEST_AT = 'metadata.annotations.dataflex.io/latest-version-at';
      const upload = async (name: string, content: string) =>
        ok(
          await request(server)
            .post(`/api/dataflex/datasets/default/${name}/versions`)
            .set('Authorization', mockCredentials.user.header(ANIL))
            .attach('file', Buffer.from(content), {
              filename: `${name}.csv`,
            }),
          201,
        ).body as { version: number; createdAt: string };
      const recentlyUpdated = async (user: string) => {
        const res = ok(
          await request(server)
            .get('/api/catalog/entities/by-query')
            .query(
              `filter=kind=dataset,${LATEST_AT}&orderField=${LATEST_AT},desc`,
            )
            .set('Authorization', mockCredentials.user.header(user)),
        );
        return res.body.items.map((e: any) => [
          e.metadata.name,
          e.metadata.annotations['dataflex.io/latest-version'],
        ]);
      };
      const latestVersionOf = async (user: string, name: string) => {
        const res = await as(user).entity(name);
        return res.body.metadata?.annotations?.['dataflex.io/latest-version'];
      };

      ok(
        await request(server)
          .post('/api/dataflex/datasets')
          .set('Authorization', mockCredentials.user.header(ANIL))
          .send({
            name: 'orders',
            owner: 'group:default/data-platform',
            visibility: 'public',
          }),
        201,
      );
      await waitFor('the public dataset to be in the catalog', async () =>
        (await as(GUEST).entity('orders')).status === 200 ? true : undefined,
      );
      expect(await latestVersionOf(GUEST, 'orders')).toBeUndefined();

      await upload('orders', 'id\n1\n');
      await timeUntil(
        'firstVersion',
        'the first version to be on the entity',
        async () => (await latestVersionOf(GUEST, 'orders')) === '1',
      );
      const salaries = await upload('salaries', 'grade,amount\nA,1\n');
      await timeUntil(
        'privateVersion',
        'the private dataset to get its version',
        async () => (await latestVersionOf(ANIL, 'salaries')) === '1',
      );
      const entity = (await as(ANIL).entity('salaries')).body;
      expect(entity.metadata.annotations['dataflex.io/latest-version-at']).toBe(
        new Date(salaries.createdAt).toISOString(),
      );
      expect(await recentlyUpdated(ANIL)).toEqual([
        ['salaries', '1'],
        ['orders', '1'],
      ]);

      const started = Date.now();
      await upload('orders', 'id\n1\n2\n');
      await timeUntil(
        'newVersion',
        'the newer version to be on the entity',
        async () => (await latestVersionOf(ANIL, 'orders')) === '2',
        started,
      );
      expect(await recentlyUpdated(ANIL)).toEqual([
        ['orders', '2'],
        ['salaries', '1'],
      ]);
      // The private dataset of another team is neither listed nor counted.
      expect(await recentlyUpdated(GUEST)).toEqual([['orders', '2']]);
      const asGuest = ok(
        await request(server)
          .get('/api/catalog/entities/by-query')
          .query(
            `filter=kind=dataset,${LATEST_AT}&orderField=${LATEST_AT},desc`,
          )
          .set('Authorization', mockCredentials.user.header(GUEST)),
      );
      expect(asGuest.body.totalItems).toBe(1);
      expect(JSON.stringify(asGuest.body)).not.toContain('salaries');
    });
  },
);
