import {
  ConflictError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { Knex } from 'knex';
import { diffSchemas } from '../inference/diffSchemas';
import { PayloadTooLargeError } from '../service/errors';
import { formatBytes } from '../service/formatBytes';
import {
  CreateVersionOptions,
  DatasetVersionRecord,
  DatasetVersionStore,
  VersionPage,
} from './DatasetVersionStore';
import { isUniqueViolation } from './isUniqueViolation';
import { toIsoString } from './toIsoString';
import { WriteOptions } from './WriteOptions';

interface VersionRow {
  dataset_id: string;
  version: number;
  sha256: string;
  size: number | string;
  media_type: string;
  format: DatasetVersionRecord['format'];
  filename: string;
  row_count: number | string | null;
  columns: string;
  schema_diff: string | null;
  change_note: string | null;
  uploaded_by: string;
  created_at: Date | string;
}

// A lost race for a version number is retried; each retry sees the winner.
const MAX_ATTEMPTS = 10;

/**
 * Versions in the `dataset_versions` table. The version number is allocated
 * as `max(version) + 1` inside the committing transaction. On PostgreSQL the
 * dataset row is locked first (`SELECT … FOR UPDATE`), which serialises
 * concurrent uploads to one dataset; SQLite serialises writers by itself.
 * The primary key on (dataset_id, version) backs both up: a duplicate number
 * can never be committed, and a conflict is retried.
 *
 * Committing a version and collecting an orphaned blob of the same digest
 * exclude each other: on PostgreSQL through a transaction-scoped advisory
 * lock on the digest, on SQLite because its transactions never overlap.
 */
export class DatabaseDatasetVersionStore implements DatasetVersionStore {
  static create(options: { knex: Knex }): DatabaseDatasetVersionStore {
    return new DatabaseDatasetVersionStore(options.knex);
  }

  private constructor(private readonly db: Knex) {}

  async createVersion(
    options: CreateVersionOptions,
    write?: WriteOptions<DatasetVersionRecord>,
  ): Promise<DatasetVersionRecord> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction(async tx => {
          const record = await this.insertNext(tx, options);
          await write?.beforeCommit?.(tx, record);
          return record;
        });
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= MAX_ATTEMPTS) {
          throw error;
        }
      }
    }
  }

  async getVersion(
    datasetId: string,
    version: number | 'latest',
  ): Promise<DatasetVersionRecord | undefined> {
    const query = this.db<VersionRow>('dataset_versions').where({
      dataset_id: datasetId,
    });
    const row =
      version === 'latest'
        ? await query.orderBy('version', 'desc').first()
        : await query.andWhere({ version }).first();
    return row ? toRecord(row) : undefined;
  }

  async getLatestVersions(
    datasetIds: string[],
  ): Promise<Map<string, DatasetVersionRecord>> {
    const latest = new Map<string, DatasetVersionRecord>();
    // Stay well below the bind-parameter limits of every database.
    for (let i = 0; i < datasetIds.length; i += 500) {
      const ids = datasetIds.slice(i, i + 500);
      const newest = this.db('dataset_versions')
        .select('dataset_id')
        .max({ version: 'version' })
        .whereIn('dataset_id', ids)
        .groupBy('dataset_id')
        .as('n');
      const rows: VersionRow[] = await this.db<VersionRow>({
        v: 'dataset_versions',
      })
        .join(newest, join =>
          join
            .on('n.dataset_id', '=', 'v.dataset_id')
            .andOn('n.version', '=', 'v.version'),
        )
        .select('v.*');
      for (const row of rows) {
        latest.set(row.dataset_id, toRecord(row));
      }
    }
    return latest;
  }

  async listVersions(
    datasetId: string,
    options: { limit: number; before?: number },
  ): Promise<VersionPage> {
    const query = this.db<VersionRow>('dataset_versions')
      .where({ dataset_id: datasetId })
      .orderBy('version', 'desc')
      .limit(options.limit + 1);
    if (options.before !== undefined) {
      query.andWhere('version', '<', options.before);
    }
    const rows = await query;
    return {
      items: rows.slice(0, options.limit).map(toRecord),
      hasMore: rows.length > options.limit,
    };
  }

  async getUsageBytes(uploadedBy: string): Promise<number> {
    return usage(this.db, uploadedBy);
  }

  async findReferencedDigests(sha256s: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    // Stay well below the bind-parameter limits of every database.
    for (let i = 0; i < sha256s.length; i += 500) {
      const rows = await this.db<VersionRow>('dataset_versions')
        .distinct('sha256')
        .whereIn('sha256', sha256s.slice(i, i + 500));
      for (const row of rows) {
        found.add(row.sha256);
      }
    }
    return found;
  }

  async deleteIfUnreferenced(
    sha256: string,
    remove: () => Promise<void>,
  ): Promise<boolean> {
    return this.db.transaction(async tx => {
      await lockDigest(tx, sha256);
      const referenced = await tx('dataset_versions')
        .where({ sha256 })
        .first('sha256');
      if (referenced) {
        return false;
      }
      await remove();
      return true;
    });
  }

  private async insertNext(
    tx: Knex.Transaction,
    options: CreateVersionOptions,
  ): Promise<DatasetVersionRecord> {
    const dataset = tx('datasets').where({ id: options.datasetId });
    if (tx.client.dialect === 'postgresql') {
      dataset.forUpdate();
    }
    if (!(await dataset.first('id'))) {
      throw new NotFoundError('The dataset was deleted during the upload');
    }

    const previous = await tx<VersionRow>('dataset_versions')
      .where({ dataset_id: options.datasetId })
      .orderBy('version', 'desc')
      .first();
    await lockDigest(tx, options.sha256);
    if (options.isStored && !(await options.isStored())) {
      throw new ServiceUnavailableError(
        'The stored content was cleaned up while this version was being saved; upload it again',
      );
    }

    if (previous?.sha256 === options.sha256) {
      throw new ConflictError(
        `The content is identical to version ${previous.version}, the latest; nothing was added`,
      );
    }

    if (options.quotaBytes !== undefined) {
      const used = await usage(tx, options.uploadedBy);
      if (used + options.size > options.quotaBytes) {
        throw new PayloadTooLargeError(
          `This upload (${formatBytes(
            options.size,
          )}) would take you past your storage quota of ${formatBytes(
            options.quotaBytes,
          )}; you already use ${formatBytes(used)}`,
        );
      }
    }

    const row: VersionRow = {
      dataset_id: options.datasetId,
      version: previous ? Number(previous.version) + 1 : 1,
      sha256: options.sha256,
      size: options.size,
      media_type: options.mediaType,
      format: options.format,
      filename: options.filename,
      row_count: options.rowCount ?? null,
      columns: JSON.stringify(options.columns),
      schema_diff: previous
        ? JSON.stringify(
            diffSchemas(JSON.parse(previous.columns), options.columns),
          )
        : null,
      change_note: options.changeNote || null,
      uploaded_by: options.uploadedBy,
      created_at: new Date(),
    };
    await tx<VersionRow>('dataset_versions').insert(row);
    return toRecord(row);
  }
}

async function lockDigest(tx: Knex.Transaction, sha256: string) {
  if (tx.client.dialect === 'postgresql') {
    await tx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [
      `dataflex-blob:${sha256}`,
    ]);
  }
}

async function usage(db: Knex, uploadedBy: string): Promise<number> {
  const result = await db('dataset_versions')
    .where({ uploaded_by: uploadedBy })
    .sum({ total: 'size' })
    .first();
  return Number(result?.total ?? 0);
}

function toRecord(row: VersionRow): DatasetVersionRecord {
  return {
    datasetId: row.dataset_id,
    version: Number(row.version),
    sha256: row.sha256,
    size: Number(row.size),
    mediaType: row.media_type,
    format: row.format,
    filename: row.filename,
    rowCount:
      row.row_count === null || row.row_count === undefined
        ? undefined
        : Number(row.row_count),
    columns: JSON.parse(row.columns),
    schemaDiff: row.schema_diff ? JSON.parse(row.schema_diff) : undefined,
    changeNote: row.change_note ?? undefined,
    uploadedBy: row.uploaded_by,
    createdAt: toIsoString(row.created_at),
  };
}
