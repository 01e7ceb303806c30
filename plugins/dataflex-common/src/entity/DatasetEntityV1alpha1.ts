import { Entity, entityKindSchemaValidator } from '@backstage/catalog-model';
import { DatasetVisibility } from '../types';
import { datasetEntityV1alpha1Schema } from './datasetEntityV1alpha1Schema';

/** @public */
export const DATASET_API_VERSION = 'dataflex.io/v1alpha1';

/** @public */
export const DATASET_KIND = 'Dataset';

/**
 * One column of a dataset's schema. A type alias rather than an interface so
 * it stays assignable to the catalog's JSON value types.
 *
 * @public
 */
export type DatasetColumn = {
  name: string;
  type: string;
  description?: string;
  /** Holds personal data; such columns should also be listed in `masking`. */
  pii?: boolean;
};

/**
 * A dataset in the catalog: registered by YAML, or published by the DataFlex
 * backend when someone uploads data.
 *
 * @public
 */
export interface DatasetEntityV1alpha1 extends Entity {
  apiVersion: typeof DATASET_API_VERSION;
  kind: typeof DATASET_KIND;
  spec: {
    /** Entity ref of the owning group (or user). */
    owner: string;
    lifecycle: string;
    system?: string;
    /** Defaults to `private` when absent. */
    visibility?: DatasetVisibility;
    format?: string;
    schema?: { columns: DatasetColumn[] };
    /** Columns replaced in every preview and demo output. */
    masking?: string[];
  };
}

const validate = entityKindSchemaValidator(datasetEntityV1alpha1Schema);

/**
 * Validates Dataset entities: returns false for other kinds, throws with the
 * failing field for an invalid Dataset.
 *
 * @public
 */
export const datasetEntityV1alpha1Validator = {
  async check(entity: Entity): Promise<boolean> {
    return validate(entity) === entity;
  },
};

/** @public */
export function isDatasetEntity(
  entity: Entity,
): entity is DatasetEntityV1alpha1 {
  return (
    entity.apiVersion === DATASET_API_VERSION && entity.kind === DATASET_KIND
  );
}

/** The visibility a Dataset entity has, with the default applied. @public */
export function getDatasetVisibility(
  entity: DatasetEntityV1alpha1,
): DatasetVisibility {
  return entity.spec.visibility ?? 'private';
}

/**
 * Relation from a private Dataset to each user or group holding an active
 * access grant on it. The catalog's read rule for grant holders matches it,
 * so it is only emitted where it opens the dataset to them.
 *
 * @public
 */
export const RELATION_SHARED_WITH = 'sharedWith';
