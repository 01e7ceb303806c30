import {
  CatalogDataset,
  CatalogDatasetList,
} from '@dataflex/backstage-plugin-dataflex-common';
import { DatasetRecord, DatasetStore } from '../database/DatasetStore';
import {
  DatasetVersionRecord,
  DatasetVersionStore,
} from '../database/DatasetVersionStore';
import { decodeCursor, encodeCursor } from './cursor';
import { isDatasetPosition } from './DatasetService';

const DEFAULT_PAGE_SIZE = 50;

/**
 * What the catalog publishes as Dataset entities: every dataset created
 * through DataFlex, whoever owns it and however private it is, so that the
 * catalog can apply its own permission rules to the entities. Datasets
 * imported from a Dataset entity are left out; the catalog has them from
 * their YAML already.
 */
export class CatalogDatasetService {
  static create(options: {
    store: DatasetStore;
    versionStore: DatasetVersionStore;
  }): CatalogDatasetService {
    return new CatalogDatasetService(options.store, options.versionStore);
  }

  private constructor(
    private readonly store: DatasetStore,
    private readonly versionStore: DatasetVersionStore,
  ) {}

  async list(options: {
    limit?: number;
    cursor?: string;
  }): Promise<CatalogDatasetList> {
    const limit = options.limit ?? DEFAULT_PAGE_SIZE;
    const page = await this.store.listDatasets({
      source: 'api',
      limit,
      after: options.cursor
        ? decodeCursor(options.cursor, isDatasetPosition)
        : undefined,
    });
    const latest = await this.versionStore.getLatestVersions(
      page.items.map(item => item.id),
    );
    const last = page.items[page.items.length - 1];
    return {
      items: page.items.map(item =>
        toCatalogDataset(item, latest.get(item.id)),
      ),
      nextCursor:
        page.hasMore && last
          ? encodeCursor({ namespace: last.namespace, name: last.name })
          : undefined,
    };
  }
}

function toCatalogDataset(
  record: DatasetRecord,
  latest: DatasetVersionRecord | undefined,
): CatalogDataset {
  return {
    ref: `dataset:${record.namespace}/${record.name}`,
    namespace: record.namespace,
    name: record.name,
    title: record.title,
    description: record.description,
    owner: record.owner,
    visibility: record.visibility,
    tags: record.tags,
    updatedAt:
      latest && latest.createdAt > record.updatedAt
        ? latest.createdAt
        : record.updatedAt,
    latestVersion: latest?.version,
    format: latest?.format,
    columns: latest?.columns,
  };
}
