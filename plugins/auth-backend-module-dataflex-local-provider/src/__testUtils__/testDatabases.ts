import { TestDatabases } from '@backstage/backend-test-utils';

/**
 * The databases the store tests run against. The test command starts a real
 * PostgreSQL and sets DATAFLEX_REQUIRE_POSTGRES, so a missing server fails
 * the run instead of quietly testing SQLite alone.
 */
export function createTestDatabases(): TestDatabases {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  if (
    process.env.DATAFLEX_REQUIRE_POSTGRES &&
    !databases.supports('POSTGRES_15')
  ) {
    throw new Error(
      'DATAFLEX_REQUIRE_POSTGRES is set but BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is not',
    );
  }
  return databases;
}
