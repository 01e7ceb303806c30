import {
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  RELATION_HAS_PART,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
  RELATION_PART_OF,
} from '@backstage/catalog-model';
import { LocationSpec } from '@backstage/plugin-catalog-common';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  datasetEntityV1alpha1Validator,
  isDatasetEntity,
} from '@dataflex/backstage-plugin-dataflex-common';

/**
 * Teaches the catalog the Dataset kind: validates it against its schema and
 * emits its ownership and system relations, in both directions for datasets
 * everyone may know about.
 *
 * A private dataset gets only its own side (ownedBy, partOf): the reverse
 * relations would sit on its group and system, which every signed-in user
 * may read, and name the dataset there and in relation facets.
 */
export class DatasetEntitiesProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'DatasetEntitiesProcessor';
  }

  async validateEntityKind(entity: Entity): Promise<boolean> {
    return datasetEntityV1alpha1Validator.check(entity);
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (!isDatasetEntity(entity)) {
      return entity;
    }
    const self = getCompoundEntityRef(entity);
    const listed =
      entity.spec.visibility === 'public' || entity.spec.visibility === 'open';

    const owner = parseEntityRef(entity.spec.owner, {
      defaultKind: 'Group',
      defaultNamespace: self.namespace,
    });
    emit(
      processingResult.relation({
        source: self,
        type: RELATION_OWNED_BY,
        target: owner,
      }),
    );
    if (listed) {
      emit(
        processingResult.relation({
          source: owner,
          type: RELATION_OWNER_OF,
          target: self,
        }),
      );
    }

    if (entity.spec.system) {
      const system = parseEntityRef(entity.spec.system, {
        defaultKind: 'System',
        defaultNamespace: self.namespace,
      });
      emit(
        processingResult.relation({
          source: self,
          type: RELATION_PART_OF,
          target: system,
        }),
      );
      if (listed) {
        emit(
          processingResult.relation({
            source: system,
            type: RELATION_HAS_PART,
            target: self,
          }),
        );
      }
    }

    return entity;
  }
}
