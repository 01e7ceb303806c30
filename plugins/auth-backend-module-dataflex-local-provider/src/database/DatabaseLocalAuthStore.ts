import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import {
  CreateAccountOptions,
  CreateSessionOptions,
  LocalAuthStore,
  ThrottleSubject,
} from './LocalAuthStore';

const migrationsDir = resolvePackagePath(
  '@dataflex/backstage-plugin-auth-backend-module-dataflex-local-provider',
  'migrations',
);

/**
 * The auth backend keeps its own migrations in this database under knex's
 * default table name, so this module records its migrations separately.
 */
export const MIGRATIONS_TABLE = 'dataflex_local_auth_knex_migrations';

export class DatabaseLocalAuthStore implements LocalAuthStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseLocalAuthStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await DatabaseLocalAuthStore.runMigrations(client);
    }
    return new DatabaseLocalAuthStore(client);
  }

  static async runMigrations(client: Knex): Promise<void> {
    await client.migrate.latest({
      directory: migrationsDir,
      tableName: MIGRATIONS_TABLE,
    });
  }

  private constructor(private readonly db: Knex) {}

  async getPasswordHash(username: string): Promise<string | undefined> {
    const row = await this.db('dataflex_local_accounts')
      .where({ username })
      .first('password_hash');
    return row?.password_hash;
  }

  async listExistingUsernames(usernames: string[]): Promise<string[]> {
    if (usernames.length === 0) {
      return [];
    }
    const rows = await this.db('dataflex_local_accounts')
      .whereIn('username', usernames)
      .select('username');
    return rows.map(row => row.username);
  }

  async createAccount(options: CreateAccountOptions): Promise<boolean> {
    const inserted = await this.db('dataflex_local_accounts')
      .insert({
        username: options.username,
        password_hash: options.passwordHash,
        origin: options.origin,
        created_at: new Date(),
      })
      .onConflict('username')
      .ignore()
      .returning('username');
    return inserted.length > 0;
  }

  async createSession(options: CreateSessionOptions): Promise<void> {
    await this.db('dataflex_local_sessions').insert({
      id: options.id,
      username: options.username,
      created_at: new Date(),
      expires_at: options.expiresAt,
    });
  }

  async getSessionUsername(id: string, now: Date): Promise<string | undefined> {
    const row = await this.db('dataflex_local_sessions')
      .where({ id })
      .andWhere('expires_at', '>', now)
      .first('username');
    return row?.username;
  }

  async deleteSession(id: string): Promise<string | undefined> {
    // knex returns nothing from DELETE … RETURNING on SQLite, so read first.
    const row = await this.db('dataflex_local_sessions')
      .where({ id })
      .first('username');
    if (!row) {
      return undefined;
    }
    const deleted = await this.db('dataflex_local_sessions')
      .where({ id })
      .delete();
    return deleted > 0 ? row.username : undefined;
  }

  async recordFailure(subject: ThrottleSubject, at: Date): Promise<void> {
    await this.db('dataflex_local_sign_in_failures').insert({
      scope: subject.scope,
      subject: subject.subject,
      failed_at: at,
    });
  }

  async countFailuresSince(
    subject: ThrottleSubject,
    since: Date,
  ): Promise<number> {
    const [{ count }] = await this.db('dataflex_local_sign_in_failures')
      .where({ scope: subject.scope, subject: subject.subject })
      .andWhere('failed_at', '>', since)
      .count({ count: '*' });
    // PostgreSQL counts in bigint, which the driver hands back as a string.
    return Number(count);
  }

  async clearFailures(subject: ThrottleSubject): Promise<void> {
    await this.db('dataflex_local_sign_in_failures')
      .where({ scope: subject.scope, subject: subject.subject })
      .delete();
  }

  async lockOut(subject: ThrottleSubject, until: Date): Promise<void> {
    await this.db('dataflex_local_lockouts')
      .insert({
        scope: subject.scope,
        subject: subject.subject,
        locked_until: until,
      })
      .onConflict(['scope', 'subject'])
      .merge(['locked_until']);
  }

  async getLockedUntil(
    subject: ThrottleSubject,
    now: Date,
  ): Promise<Date | undefined> {
    const row = await this.db('dataflex_local_lockouts')
      .where({ scope: subject.scope, subject: subject.subject })
      .andWhere('locked_until', '>', now)
      .first('locked_until');
    return row ? new Date(row.locked_until) : undefined;
  }

  async deleteExpired(now: Date, failuresBefore: Date): Promise<void> {
    await this.db('dataflex_local_sessions')
      .where('expires_at', '<=', now)
      .delete();
    await this.db('dataflex_local_lockouts')
      .where('locked_until', '<=', now)
      .delete();
    await this.db('dataflex_local_sign_in_failures')
      .where('failed_at', '<=', failuresBefore)
      .delete();
  }
}
