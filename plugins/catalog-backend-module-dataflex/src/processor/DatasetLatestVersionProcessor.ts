import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { LocationSpec } from '@backstage/plugin-catalog-common';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
} from '@backstage/plugin-catalog-node';
import {
  DATAFLEX_CATALOG_ANNOTATIONS,
  isDatasetEntity,
} from '@dataflex/backstage-plugin-dataflex-common';
import { LatestVersionDirectory } from '../versions/LatestVersionDirectory';

/**
 * Puts a Dataset's newest DataFlex version on its entity, as the annotations
 * `dataflex.io/latest-version` (the number, which is also how many versions
 * there are) and `dataflex.io/latest-version-at` (when it was committed), so
 * that the catalog can order datasets by when they last got a version.
 *
 * They are part of the entity, so only those who may read the dataset see
 * them, in the entity and in its ordering alike. Entity files cannot set
 * them (the annotations processor refuses unknown `dataflex.io/` keys), and
 * a dataset without versions, or while DataFlex does not answer, has none.
 */
export class DatasetLatestVersionProcessor implements CatalogProcessor {
  static create(options: { latestVersions: LatestVersionDirectory }) {
    return new DatasetLatestVersionProcessor(options.latestVersions);
  }

  private constructor(
    private readonly latestVersions: LatestVersionDirectory,
  ) {}

  getProcessorName(): string {
    return 'DatasetLatestVersionProcessor';
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    _emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (!isDatasetEntity(entity)) {
      return entity;
    }
    const annotations = { ...entity.metadata.annotations };
    delete annotations[DATAFLEX_CATALOG_ANNOTATIONS.latestVersion];
    delete annotations[DATAFLEX_CATALOG_ANNOTATIONS.latestVersionAt];
    const latest = await this.latestVersions.latestOf(
      stringifyEntityRef(entity),
    );
    if (typeof latest === 'object') {
      annotations[DATAFLEX_CATALOG_ANNOTATIONS.latestVersion] = String(
        latest.version,
      );
      annotations[DATAFLEX_CATALOG_ANNOTATIONS.latestVersionAt] =
        latest.createdAt;
    }
    return { ...entity, metadata: { ...entity.metadata, annotations } };
  }
}
