import { CatalogLatestVersionList } from '@dataflex/backstage-plugin-dataflex-common';
import { DatasetRecord, DatasetStore } from '../database/DatasetStore';
import { DatasetVersionStore } from '../database/DatasetVersionStore';
import { parseListRef } from './DatasetService';

/**
 * The newest version of datasets, for the catalog to put on their entities,
 * so that the browse page can order datasets by when they last got one.
 * Private datasets are answered too: only backend services may ask, and the
 * catalog applies its own permission rules to the entities.
 */
export class CatalogLatestVersionService {
  static create(options: {
    store: DatasetStore;
    versionStore: DatasetVersionStore;
  }): CatalogLatestVersionService {
    return new CatalogLatestVersionService(options.store, options.versionStore);
  }

  private constructor(
    private readonly store: DatasetStore,
    private readonly versionStore: DatasetVersionStore,
  ) {}

  async list(refs: string[]): Promise<CatalogLatestVersionList> {
    // The same dataset asked for twice is answered once.
    const datasets = new Map<string, DatasetRecord>();
    for (const dataset of await this.store.getDatasets(
      refs.map(parseListRef),
    )) {
      if (dataset) {
        datasets.set(dataset.id, dataset);
      }
    }
    const latest = await this.versionStore.getLatestVersions([
      ...datasets.keys(),
    ]);
    const items: CatalogLatestVersionList['items'] = [];
    for (const dataset of datasets.values()) {
      const version = latest.get(dataset.id);
      if (version) {
        items.push({
          entityRef: `dataset:${dataset.namespace}/${dataset.name}`,
          version: version.version,
          createdAt: version.createdAt,
        });
      }
    }
    return { items };
  }
}
