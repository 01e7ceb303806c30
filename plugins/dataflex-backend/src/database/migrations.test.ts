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

    await knex.migrate.rollback({ directory: migrationsDir }, true);
    expect(await knex.schema.hasTable('datasets')).toBe(false);

    await knex.migrate.latest({ directory: migrationsDir });
    expect(await knex.schema.hasTable('datasets')).toBe(true);
  });
});
