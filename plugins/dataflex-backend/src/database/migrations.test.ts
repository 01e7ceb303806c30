import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { createTestDatabases } from './__testUtils__/testDatabases';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath(
  '@dataflex/backstage-plugin-dataflex-backend',
  'migrations',
);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())('migrations (%s)', databaseId => {
  it('migrates all the way up and all the way down again', async () => {
    const knex = await databases.init(databaseId);

    await knex.migrate.latest({ directory: migrationsDir });
    expect(await knex.schema.hasTable('datasets')).toBe(true);
    expect(await knex.schema.hasTable('dataset_versions')).toBe(true);
    expect(await knex.schema.hasColumn('datasets', 'source')).toBe(true);
    expect(await knex.schema.hasTable('event_outbox')).toBe(true);
    for (const table of ['access_requests', 'access_grants', 'access_events']) {
      expect(await knex.schema.hasTable(table)).toBe(true);
    }

    await knex.migrate.rollback({ directory: migrationsDir }, true);
    expect(await knex.schema.hasTable('event_outbox')).toBe(false);
    for (const table of ['access_requests', 'access_grants', 'access_events']) {
      expect(await knex.schema.hasTable(table)).toBe(false);
    }
    expect(await knex.schema.hasTable('dataset_versions')).toBe(false);
    expect(await knex.schema.hasTable('datasets')).toBe(false);

    await knex.migrate.latest({ directory: migrationsDir });
    expect(await knex.schema.hasTable('dataset_versions')).toBe(true);
  });

  it('keeps existing datasets when adding versions, marking them as created through the API', async () => {
    const knex = await databases.init(databaseId);
    await knex.migrate.up({
      directory: migrationsDir,
      name: '20261122120000_init.js',
    });
    await knex('datasets').insert({
      id: '00000000-0000-4000-8000-000000000001',
      namespace: 'default',
      name: 'customers',
      owner: 'group:default/data-platform',
      created_by: 'user:default/anil',
      created_at: new Date(),
      updated_at: new Date(),
    });

    await knex.migrate.latest({ directory: migrationsDir });

    expect(await knex('datasets').select('name', 'source')).toEqual([
      { name: 'customers', source: 'api' },
    ]);
  });
});
