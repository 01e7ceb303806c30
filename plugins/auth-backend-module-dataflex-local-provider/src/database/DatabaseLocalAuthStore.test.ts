import { mockServices } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import {
  DatabaseLocalAuthStore,
  MIGRATIONS_TABLE,
} from './DatabaseLocalAuthStore';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath(
  '@dataflex/backstage-plugin-auth-backend-module-dataflex-local-provider',
  'migrations',
);
const authBackendMigrationsDir = resolvePackagePath(
  '@backstage/plugin-auth-backend',
  'migrations',
);
const tables = [
  'dataflex_local_accounts',
  'dataflex_local_sessions',
  'dataflex_local_sign_in_failures',
  'dataflex_local_lockouts',
];

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'DatabaseLocalAuthStore (%s)',
  databaseId => {
    let knex: Knex;
    let store: DatabaseLocalAuthStore;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      store = await DatabaseLocalAuthStore.create({
        database: mockServices.database({ knex }),
      });
    });

    it('migrates up and down next to the auth backend, which keeps its own migrations', async () => {
      await knex.migrate.latest({ directory: authBackendMigrationsDir });
      for (const table of tables) {
        expect(await knex.schema.hasTable(table)).toBe(true);
      }

      await knex.migrate.rollback(
        { directory: migrationsDir, tableName: MIGRATIONS_TABLE },
        true,
      );
      for (const table of tables) {
        expect(await knex.schema.hasTable(table)).toBe(false);
      }
      // The auth backend's tables and migration history are untouched.
      expect(await knex.schema.hasTable('signing_keys')).toBe(true);
      await expect(
        knex.migrate.latest({ directory: authBackendMigrationsDir }),
      ).resolves.toEqual([expect.any(Number), []]);

      await DatabaseLocalAuthStore.runMigrations(knex);
      for (const table of tables) {
        expect(await knex.schema.hasTable(table)).toBe(true);
      }
    });

    it('creates an account once and keeps the first password hash', async () => {
      expect(
        await store.createAccount({
          username: 'anil',
          passwordHash: 'first',
          origin: 'demo-seed',
        }),
      ).toBe(true);
      expect(
        await store.createAccount({
          username: 'anil',
          passwordHash: 'second',
          origin: 'registration',
        }),
      ).toBe(false);

      expect(await store.getPasswordHash('anil')).toBe('first');
      expect(await store.getPasswordHash('nobody')).toBeUndefined();
      expect(await store.listExistingUsernames(['anil', 'nobody'])).toEqual([
        'anil',
      ]);
      expect(await store.listExistingUsernames([])).toEqual([]);
    });

    it('finds a session until it expires or is deleted', async () => {
      const now = new Date('2026-05-01T10:00:00Z');
      await store.createSession({
        id: 'a'.repeat(64),
        username: 'anil',
        expiresAt: new Date('2026-05-01T22:00:00Z'),
      });

      expect(await store.getSessionUsername('a'.repeat(64), now)).toBe('anil');
      expect(
        await store.getSessionUsername(
          'a'.repeat(64),
          new Date('2026-05-01T22:00:01Z'),
        ),
      ).toBeUndefined();
      expect(
        await store.getSessionUsername('b'.repeat(64), now),
      ).toBeUndefined();

      expect(await store.deleteSession('a'.repeat(64))).toBe('anil');
      expect(
        await store.getSessionUsername('a'.repeat(64), now),
      ).toBeUndefined();
      expect(await store.deleteSession('a'.repeat(64))).toBeUndefined();
    });

    it('counts failures per subject within a window', async () => {
      const anil = { scope: 'account' as const, subject: 'anil' };
      const ip = { scope: 'ip' as const, subject: 'anil' };
      await store.recordFailure(anil, new Date('2026-05-01T10:00:00Z'));
      await store.recordFailure(anil, new Date('2026-05-01T10:10:00Z'));
      await store.recordFailure(ip, new Date('2026-05-01T10:10:00Z'));

      expect(
        await store.countFailuresSince(anil, new Date('2026-05-01T09:00:00Z')),
      ).toBe(2);
      expect(
        await store.countFailuresSince(anil, new Date('2026-05-01T10:05:00Z')),
      ).toBe(1);
      expect(
        await store.countFailuresSince(ip, new Date('2026-05-01T09:00:00Z')),
      ).toBe(1);

      await store.clearFailures(anil);
      expect(
        await store.countFailuresSince(anil, new Date('2026-05-01T09:00:00Z')),
      ).toBe(0);
      expect(
        await store.countFailuresSince(ip, new Date('2026-05-01T09:00:00Z')),
      ).toBe(1);
    });

    it('locks a subject out until a time, and extends an existing lockout', async () => {
      const subject = { scope: 'ip' as const, subject: '203.0.113.7' };
      const now = new Date('2026-05-01T10:00:00Z');
      expect(await store.getLockedUntil(subject, now)).toBeUndefined();

      await store.lockOut(subject, new Date('2026-05-01T10:15:00Z'));
      expect(await store.getLockedUntil(subject, now)).toEqual(
        new Date('2026-05-01T10:15:00Z'),
      );

      await store.lockOut(subject, new Date('2026-05-01T10:30:00Z'));
      expect(await store.getLockedUntil(subject, now)).toEqual(
        new Date('2026-05-01T10:30:00Z'),
      );
      expect(
        await store.getLockedUntil(subject, new Date('2026-05-01T10:30:00Z')),
      ).toBeUndefined();
    });

    it('deletes expired sessions, lockouts and old failures', async () => {
      const now = new Date('2026-05-01T10:00:00Z');
      const subject = { scope: 'account' as const, subject: 'anil' };
      await store.createSession({
        id: 'old'.padEnd(64, '0'),
        username: 'anil',
        expiresAt: new Date('2026-05-01T09:00:00Z'),
      });
      await store.createSession({
        id: 'new'.padEnd(64, '0'),
        username: 'anil',
        expiresAt: new Date('2026-05-01T11:00:00Z'),
      });
      await store.lockOut(subject, new Date('2026-05-01T09:59:00Z'));
      await store.recordFailure(subject, new Date('2026-05-01T09:00:00Z'));
      await store.recordFailure(subject, new Date('2026-05-01T09:50:00Z'));

      await store.deleteExpired(now, new Date('2026-05-01T09:45:00Z'));

      expect(await knex('dataflex_local_sessions').pluck('username')).toEqual([
        'anil',
      ]);
      expect(
        Number((await knex('dataflex_local_lockouts').count({ n: '*' }))[0].n),
      ).toBe(0);
      expect(
        await store.countFailuresSince(
          subject,
          new Date('2026-05-01T00:00:00Z'),
        ),
      ).toBe(1);
    });
  },
);
