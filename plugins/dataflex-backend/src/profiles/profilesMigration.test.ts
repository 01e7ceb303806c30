import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { createTestDatabases } from '../database/__testUtils__/testDatabases';
import { isUniqueViolation } from '../database/isUniqueViolation';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath(
  '@dataflex/backstage-plugin-dataflex-backend',
  'migrations',
);
const PROFILES_MIGRATION = '20261125090000_profiles.js';

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'profiles migration (%s)',
  databaseId => {
    it('creates the profiles table and drops it again on the way down', async () => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      // Down to just before the profiles migration, whatever came after it.
      while (
        (await knex.migrate.list({ directory: migrationsDir }))[0].some(
          (m: string | { name: string }) =>
            (typeof m === 'string' ? m : m.name) === PROFILES_MIGRATION,
        )
      ) {
        await knex.migrate.down({ directory: migrationsDir });
      }
      expect(await knex.schema.hasTable('profiles')).toBe(false);
      expect(await knex.schema.hasTable('datasets')).toBe(true);

      await knex.migrate.up({
        directory: migrationsDir,
        name: PROFILES_MIGRATION,
      });

      expect(await knex.schema.hasTable('profiles')).toBe(true);
      for (const column of [
        'user_entity_ref',
        'display_name',
        'bio',
        'organization',
        'skills',
        'field_visibility',
        'updated_at',
      ]) {
        expect(await knex.schema.hasColumn('profiles', column)).toBe(true);
      }
      await knex('profiles').insert({
        user_entity_ref: 'user:default/anil',
        display_name: 'Anil Kumar',
        field_visibility: '{}',
        updated_at: new Date(),
      });
      const [row] = await knex('profiles').select('skills');
      expect(row.skills).toBe('[]');
      const duplicate = await knex('profiles')
        .insert({
          user_entity_ref: 'user:default/anil',
          display_name: 'Another Anil',
          field_visibility: '{}',
          updated_at: new Date(),
        })
        .then(
          () => undefined,
          error => error,
        );
      expect(isUniqueViolation(duplicate)).toBe(true);

      await knex.migrate.down({ directory: migrationsDir });
      expect(await knex.schema.hasTable('profiles')).toBe(false);
      expect(await knex.schema.hasTable('datasets')).toBe(true);
    });
  },
);
