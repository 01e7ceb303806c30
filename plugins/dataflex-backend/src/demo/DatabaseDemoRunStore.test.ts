import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { createTestDatabases } from '../database/__testUtils__/testDatabases';
import { DatabaseDemoRunStore } from './DatabaseDemoRunStore';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const migrationsDir = resolvePackagePath(
  '@dataflex/backstage-plugin-dataflex-backend',
  'migrations',
);

describe.each(databases.eachSupportedId())(
  'DatabaseDemoRunStore (%s)',
  databaseId => {
    it('records runs and counts them per service and outcome', async () => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      const store = DatabaseDemoRunStore.create({ knex });
      const run = (
        id: string,
        outcome: 'succeeded' | 'failed',
        startedAt: string,
        serviceRef = 'component:default/cleaner',
      ) =>
        store.recordRun({
          id,
          serviceRef,
          userRef: 'user:default/student',
          runner: 'pipeline',
          inputDatasetRef: 'dataset:default/customers',
          inputVersion: 1,
          startedAt: new Date(startedAt),
          durationMs: 12,
          rowsIn: 10,
          rowsOut: outcome === 'succeeded' ? 8 : 0,
          outcome,
          error: outcome === 'failed' ? 'boom' : undefined,
        });

      await run(
        '00000000-0000-4000-8000-000000000001',
        'succeeded',
        '2026-11-20T10:00:00Z',
      );
      await run(
        '00000000-0000-4000-8000-000000000002',
        'failed',
        '2026-11-21T10:00:00Z',
      );
      await run(
        '00000000-0000-4000-8000-000000000003',
        'succeeded',
        '2026-11-19T10:00:00Z',
      );
      await run(
        '00000000-0000-4000-8000-000000000004',
        'succeeded',
        '2026-11-22T10:00:00Z',
        'component:default/other',
      );

      expect(await store.getStats('component:default/cleaner')).toEqual({
        runs: 3,
        succeeded: 2,
        failed: 1,
        lastRunAt: '2026-11-21T10:00:00.000Z',
      });
      expect(await store.getStats('component:default/unknown')).toEqual({
        runs: 0,
        succeeded: 0,
        failed: 0,
        lastRunAt: undefined,
      });
    });
  },
);
