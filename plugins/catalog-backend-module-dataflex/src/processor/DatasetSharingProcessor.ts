import {
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { LocationSpec } from '@backstage/plugin-catalog-common';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  getDatasetVisibility,
  isDatasetEntity,
  RELATION_SHARED_WITH,
} from '@dataflex/backstage-plugin-dataflex-common';
import { GranteeDirectory } from '../sharing/GranteeDirectory';

/**
 * Relates each private Dataset to the users and groups holding an active
 * access grant on it (`sharedWith`), so the catalog's read rule for grant
 * holders can match them in the database query.
 *
 * Only private datasets get the relation: everyone signed in may read a
 * public or open dataset's entity, relations included, and who holds a
 * grant is for the owners to know. There is no reverse relation either,
 * since it would name the private dataset on user and group entities that
 * everyone may read.
 */
export class DatasetSharingProcessor implements CatalogProcessor {
  static create(options: { grantees: GranteeDirectory }) {
    return new DatasetSharingProcessor(options.grantees);
  }

  private constructor(private readonly grantees: GranteeDirectory) {}

  getProcessorName(): string {
    return 'DatasetSharingProcessor';
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (
      !isDatasetEntity(entity) ||
      getDatasetVisibility(entity) !== 'private'
    ) {
      return entity;
    }
    const self = getCompoundEntityRef(entity);
    for (const grantee of await this.grantees.granteesOf(
      stringifyEntityRef(self),
    )) {
      emit(
        processingResult.relation({
          source: self,
          type: RELATION_SHARED_WITH,
          target: parseEntityRef(grantee),
        }),
      );
    }
    return entity;
  }
}
