import {
  Entity,
  getCompoundEntityRef,
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
import { DatasetSharingKeys } from '@dataflex/backstage-plugin-dataflex-node';
import { GranteeDirectory } from '../sharing/GranteeDirectory';

/**
 * Relates each private Dataset to the users and groups holding an active
 * access grant on it (`sharedWith`), so the catalog's read rule for grant
 * holders can match them in the database query.
 *
 * Who holds a grant is for the owners to know (DataFlex's grants API), yet
 * every grant holder may read the entity, relations included: so the
 * relation names no one, it points at each grantee's opaque key
 * (`DatasetSharingKeys`), which the permission policy derives from the
 * reader's claims in the same way. Only private datasets get the relation:
 * everyone signed in may read a public or open dataset anyway. There is no
 * reverse relation either, since it would name the private dataset on user
 * and group entities that everyone may read.
 */
export class DatasetSharingProcessor implements CatalogProcessor {
  static create(options: {
    grantees: GranteeDirectory;
    sharingKeys: DatasetSharingKeys;
  }) {
    return new DatasetSharingProcessor(options.grantees, options.sharingKeys);
  }

  private constructor(
    private readonly grantees: GranteeDirectory,
    private readonly sharingKeys: DatasetSharingKeys,
  ) {}

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
          target: this.sharingKeys.granteeKeyOf(grantee),
        }),
      );
    }
    return entity;
  }
}
