import { randomUUID } from 'node:crypto';
import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { Knex } from 'knex';
import { applyDatasetFilter } from './applyDatasetFilter';
import {
  CreateDatasetOptions,
  DatasetPage,
  DatasetRecord,
  DatasetRef,
  DatasetSource,
  DatasetStore,
  ListDatasetsOptions,
  UpdateDatasetOptions,
} from './DatasetStore';
import { isUniqueViolation } from './isUniqueViolation';
import { toIsoString } from './toIsoString';
import { WriteOptions } from './WriteOptions';

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
  source: DatasetSource;
  created_by: string;
  created_at: Date | string;
  updated_at: Date | string;
}

type DatasetRowWithLatest = DatasetRow & {
  latest_version?: number | string | null;
};

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

  async createDataset(
    options: CreateDatasetOptions,
    write?: WriteOptions<DatasetRecord>,
  ): Promise<DatasetRecord> {
    const now = new Date();
    const row: DatasetRow = {
      id: randomUUID(),
      namespace: options.namespace,
      name: options.name,
      title: options.title || null,
      description: options.description || null,
      owner: options.owner,
      visibility: options.visibility,
      tags: JSON.stringify(options.tags),
      source: options.source ?? 'api',
      created_by: options.createdBy,
      created_at: now,
      updated_at: now,
    };
    const record = toRecord(row);
    try {
      await this.db.transaction(async tx => {
        await tx<DatasetRow>('datasets').insert(row);
        await write?.beforeCommit?.(tx, record);
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(
          `A dataset named '${options.namespace}/${options.name}' already exists`,
        );
      }
      throw error;
    }
    return record;
  }

  async getDataset(ref: DatasetRef): Promise<DatasetRecord | undefined> {
    const row = await this.selectWithLatest()
      .where({ 'd.namespace': ref.namespace, 'd.name': ref.name })
      .first();
    return row ? toRecord(row) : undefined;
  }

  async getDatasets(
    refs: DatasetRef[],
  ): Promise<Array<DatasetRecord | undefined>> {
    if (refs.length === 0) {
      return [];
    }
    const rows: DatasetRowWithLatest[] = await this.selectWithLatest().where(
      qb => {
        for (const ref of refs) {
          qb.orWhere({ 'd.namespace': ref.namespace, 'd.name': ref.name });
        }
      },
    );
    const byRef = new Map(
      rows.map(row => [`${row.namespace}/${row.name}`, toRecord(row)]),
    );
    return refs.map(ref => byRef.get(`${ref.namespace}/${ref.name}`));
  }

  async listDatasets(options: ListDatasetsOptions): Promise<DatasetPage> {
    const refs = options.refs;
    if (refs?.length === 0) {
      return { items: [], hasMore: false };
    }
    const query = this.selectWithLatest();
    if (refs) {
      query.where(qb => {
        for (const ref of refs) {
          qb.orWhere({ 'd.namespace': ref.namespace, 'd.name': ref.name });
        }
      });
    }
    if (options.filter) {
      applyDatasetFilter(query, options.filter, 'd');
    }
    if (options.source) {
      query.where('d.source', options.source);
    }
    const after = options.after;
    if (after) {
      query.where(qb =>
        qb
          .where('d.namespace', '>', after.namespace)
          .orWhere(inner =>
            inner
              .where('d.namespace', '=', after.namespace)
              .andWhere('d.name', '>', after.name),
          ),
      );
    }
    const rows: DatasetRowWithLatest[] = await query
      .orderBy([
        { column: 'd.namespace', order: 'asc' },
        { column: 'd.name', order: 'asc' },
      ])
      .limit(options.limit + 1);
    return {
      items: rows.slice(0, options.limit).map(toRecord),
      hasMore: rows.length > options.limit,
    };
  }

  async updateDataset(
    ref: DatasetRef,
    changes: UpdateDatasetOptions,
    write?: WriteOptions<DatasetRecord>,
  ): Promise<DatasetRecord | undefined> {
    const update: Partial<DatasetRow> = { updated_at: new Date() };
    if (changes.title !== undefined) {
      update.title = changes.title || null;
    }
    if (changes.description !== undefined) {
      update.description = changes.description || null;
    }
    if (changes.owner !== undefined) {
      update.owner = changes.owner;
    }
    if (changes.visibility !== undefined) {
      update.visibility = changes.visibility;
    }
    if (changes.tags !== undefined) {
      update.tags = JSON.stringify(changes.tags);
    }
    return this.db.transaction(async tx => {
      const count = await tx<DatasetRow>('datasets')
        .where({ namespace: ref.namespace, name: ref.name })
        .update(update);
      if (count === 0) {
        return undefined;
      }
      const row: DatasetRowWithLatest = await this.selectWithLatest(tx)
        .where({ 'd.namespace': ref.namespace, 'd.name': ref.name })
        .first();
      const record = toRecord(row);
      await write?.beforeCommit?.(tx, record);
      return record;
    });
  }

  async deleteDataset(ref: DatasetRef, write?: WriteOptions): Promise<boolean> {
    return this.db.transaction(async tx => {
      const row = await tx<DatasetRow>('datasets')
        .where({ namespace: ref.namespace, name: ref.name })
        .first('id');
      if (!row) {
        return false;
      }
      // SQLite only cascades with foreign keys switched on; be explicit.
      await tx('dataset_versions').where({ dataset_id: row.id }).delete();
      await tx('datasets').where({ id: row.id }).delete();
      await write?.beforeCommit?.(tx);
      return true;
    });
  }

  async ping(): Promise<void> {
    await this.db.raw('select 1');
  }

  private selectWithLatest(db: Knex = this.db): Knex.QueryBuilder {
    const latest = db('dataset_versions')
      .select('dataset_id')
      .max({ latest_version: 'version' })
      .groupBy('dataset_id')
      .as('v');
    return db<DatasetRow>({ d: 'datasets' })
      .leftJoin(latest, 'v.dataset_id', 'd.id')
      .select('d.*', 'v.latest_version');
  }
}

function toRecord(row: DatasetRowWithLatest): DatasetRecord {
  return {
    id: row.id,
    namespace: row.namespace,
    name: row.name,
    title: row.title ?? undefined,
    description: row.description ?? undefined,
    owner: row.owner,
    visibility: row.visibility,
    tags: JSON.parse(row.tags),
    source: row.source,
    createdBy: row.created_by,
    createdAt: toIsoString(row.created_at),
    updatedAt: toIsoString(row.updated_at),
    latestVersion:
      row.latest_version === undefined || row.latest_version === null
        ? undefined
        : Number(row.latest_version),
  };
}
