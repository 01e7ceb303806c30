import {
  Entity,
  getCompoundEntityRef,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { LocationSpec } from '@backstage/plugin-catalog-common';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  processingResult,
} from '@backstage/plugin-catalog-node';
import { DATAFLEX_ANNOTATIONS } from '@dataflex/backstage-plugin-dataflex-common';
import {
  parseDatasetRefs,
  validateDataflexAnnotations,
} from './validateDataflexAnnotations';

/**
 * Validates `dataflex.io/` annotations on services and Datasets, reporting
 * each problem as a catalog processing error on the entity, and relates
 * services to the datasets they consume (service dependsOn dataset) and
 * produce (dataset dependsOn service), in both directions.
 */
export class DataflexAnnotationsProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'DataflexAnnotationsProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    const problems = validateDataflexAnnotations(entity);
    for (const problem of problems) {
      emit(
        processingResult.inputError(
          location,
          `${stringifyEntityRef(entity)} has an invalid ${problem}`,
        ),
      );
    }
    return entity;
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    const annotations = entity.metadata.annotations ?? {};
    const consumes = annotations[DATAFLEX_ANNOTATIONS.consumesDatasets];
    const produces = annotations[DATAFLEX_ANNOTATIONS.producesDatasets];
    if (!consumes && !produces) {
      return entity;
    }
    const self = getCompoundEntityRef(entity);
    const refs = (value: string | undefined) => {
      try {
        return value ? parseDatasetRefs(value, self.namespace) : [];
      } catch {
        // Already reported by preProcessEntity.
        return [];
      }
    };
    for (const dataset of refs(consumes)) {
      emit(
        processingResult.relation({
          source: self,
          type: RELATION_DEPENDS_ON,
          target: dataset,
        }),
      );
      emit(
        processingResult.relation({
          source: dataset,
          type: RELATION_DEPENDENCY_OF,
          target: self,
        }),
      );
    }
    for (const dataset of refs(produces)) {
      emit(
        processingResult.relation({
          source: dataset,
          type: RELATION_DEPENDS_ON,
          target: self,
        }),
      );
      emit(
        processingResult.relation({
          source: self,
          type: RELATION_DEPENDENCY_OF,
          target: dataset,
        }),
      );
    }
    return entity;
  }
}
