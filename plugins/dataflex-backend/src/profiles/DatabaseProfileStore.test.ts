import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../database/__testUtils__/testDatabases';
import { DatabaseProfileStore } from './DatabaseProfileStore';
import { SaveProfileOptions } from './ProfileStore';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath(
  '@dataflex/backstage-plugin-dataflex-backend',
  'migrations',
);

const databases = createTestDatabases();

async function createStore(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  await knex.migrate.latest({ directory: migrationsDir });
  return { knex, store: DatabaseProfileStore.create({ knex }) };
}

const anil: SaveProfileOptions = {
  userEntityRef: 'user:default/anil',
  displayName: 'Anil Kumar',
  bio: 'Keeps the ingestion pipelines running.\nLikes Parquet.',
  organization: 'Data Platform',
  skills: ['SQL', 'Kafka', 'Écriture ✍️'],
  visibility: {
    displayName: 'public',
    bio: 'private',
    organization: 'public',
    skills: 'public',
  },
};

describe.each(databases.eachSupportedId())(
  'DatabaseProfileStore (%s)',
  databaseId => {
    it('saves a profile and reads it back', async () => {
      const { store } = await createStore(databaseId);

      const saved = await store.saveProfile(anil);

      expect(saved).toEqual({ ...anil, updatedAt: expect.any(String) });
      expect(new Date(saved.updatedAt).getTime()).toBeGreaterThan(
        Date.now() - 60_000,
      );
      expect(await store.getProfile('user:default/anil')).toEqual(saved);
      expect(await store.getProfile('user:default/priya')).toBeUndefined();
    });

    it('replaces the whole profile on the next save, clearing what was left out', async () => {
      const { store, knex } = await createStore(databaseId);
      await store.saveProfile(anil);

      const replaced = await store.saveProfile({
        userEntityRef: anil.userEntityRef,
        displayName: 'Anil',
        skills: [],
        visibility: { ...anil.visibility, skills: 'private' },
      });

      expect(await store.getProfile(anil.userEntityRef)).toEqual(replaced);
      expect(replaced).toEqual({
        userEntityRef: 'user:default/anil',
        displayName: 'Anil',
        skills: [],
        visibility: {
          displayName: 'public',
          bio: 'private',
          organization: 'public',
          skills: 'private',
        },
        updatedAt: expect.any(String),
      });
      const [{ n }] = await knex('profiles').count({ n: '*' });
      expect(Number(n)).toBe(1);
    });

    it('reads several profiles at once, skipping users without one', async () => {
      const { store } = await createStore(databaseId);
      await store.saveProfile(anil);
      await store.saveProfile({
        ...anil,
        userEntityRef: 'user:default/priya',
        displayName: 'Priya Raman',
      });

      const profiles = await store.getProfiles([
        'user:default/priya',
        'user:default/nobody',
        'user:default/anil',
      ]);

      expect(profiles.map(p => p.displayName).sort()).toEqual([
        'Anil Kumar',
        'Priya Raman',
      ]);
      expect(await store.getProfiles([])).toEqual([]);
    });

    it('treats a stored visibility other than public, or a missing one, as private', async () => {
      const { store, knex } = await createStore(databaseId);
      await knex('profiles').insert({
        user_entity_ref: 'user:default/mei',
        display_name: 'Mei Tanaka',
        bio: 'Hand-written row',
        skills: '["R"]',
        field_visibility: JSON.stringify({ displayName: 'PUBLIC', bio: 1 }),
        updated_at: new Date(),
      });

      expect((await store.getProfile('user:default/mei'))?.visibility).toEqual({
        displayName: 'private',
        bio: 'private',
        organization: 'private',
        skills: 'private',
      });
    });
  },
);
