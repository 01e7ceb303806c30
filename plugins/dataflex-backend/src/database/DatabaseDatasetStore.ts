import { randomUUID } from 'node:crypto';
import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { Knex } from 'knex';
import {
  CreateDatasetOptions,
  DatasetRecord,
  DatasetStore,
} from './DatasetStore';
import { isUniqueViolation } from './isUniqueViolation';

const migrationsDir = resolvePackagePath(
  '@dataflex/backstage-plugin-dataflex-backend',
  'migrations',
);

export interface DatasetRow {
  id: string;
  namespace: string;
  name: string;
  title: string | null;
  description: string | null;
  owner: string;
  visibility: DatasetRecord['visibility'];
  tags: string;
  created_by: string;
  created_at: Date | string;
  updated_at: Date | string;
}

export class DatabaseDatasetStore implements DatasetStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseDatasetStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseDatasetStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async createDataset(options: CreateDatasetOptions): Promise<DatasetRecord> {
    const now = new Date();
    const row: DatasetRow = {
      id: randomUUID(),
      namespace: options.namespace,
      name: options.name,
      title: options.title ?? null,
      description: options.description ?? null,
      owner: options.owner,
      visibility: options.visibility,
      tags: JSON.stringify(options.tags),
      created_by: options.createdBy,
      created_at: now,
      updated_at: now,
    };
    try {
      await this.db<DatasetRow>('datasets').insert(row);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(
          `A dataset named '${options.namespace}/${options.name}' already exists`,
        );
      }
      throw error;
    }
    return toRecord(row);
  }

  async getDataset(ref: {
    namespace: string;
    name: string;
  }): Promise<DatasetRecord | undefined> {
    const row = await this.db<DatasetRow>('datasets')
      .where({ namespace: ref.namespace, name: ref.name })
      .first();
    return row ? toRecord(row) : undefined;
  }

  async listDatasets(): Promise<DatasetRecord[]> {
    const rows = await this.db<DatasetRow>('datasets').orderBy([
      'namespace',
      'name',
    ]);
    return rows.map(toRecord);
  }

  async ping(): Promise<void> {
    await this.db.raw('select 1');
  }
}

function toRecord(row: DatasetRow): DatasetRecord {
  return {
    id: row.id,
    namespace: row.namespace,
    name: row.name,
    title: row.title ?? undefined,
    description: row.description ?? undefined,
    owner: row.owner,
    visibility: row.visibility,
    tags: JSON.parse(row.tags),
    createdBy: row.created_by,
    createdAt: toIsoString(row.created_at),
    updatedAt: toIsoString(row.updated_at),
  };
}

// SQLite hands timestamps back as epoch milliseconds or strings, PostgreSQL as Date.
function toIsoString(value: Date | string | number): string {
  return new Date(value).toISOString();
}
