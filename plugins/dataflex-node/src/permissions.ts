import {
  DATAFLEX_DATASET_RESOURCE_TYPE,
  DatasetVisibility,
} from '@dataflex/backstage-plugin-dataflex-common';
import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod';

/**
 * What permission rules see of a dataset.
 *
 * @public
 */
export interface DatasetPermissionResource {
  /** Entity ref of the dataset, `dataset:<namespace>/<name>`. */
  ref: string;
  /** Entity ref of the owning group or user, lower case. */
  owner: string;
  visibility: DatasetVisibility;
}

/**
 * A dataset rule translated for the store: the rows whose `property` is one
 * of `values`. The DataFlex backend turns these into SQL, so conditional
 * decisions filter in the database rather than after loading a page.
 *
 * @public
 */
export type DatasetPermissionQuery = {
  property: 'owner' | 'visibility';
  values: string[];
};

/** @public */
export const datasetPermissionResourceRef = createPermissionResourceRef<
  DatasetPermissionResource,
  DatasetPermissionQuery
>().with({
  pluginId: 'dataflex',
  resourceType: DATAFLEX_DATASET_RESOURCE_TYPE,
});

const isDatasetOwner = createPermissionRule({
  name: 'IS_DATASET_OWNER',
  description:
    'Allow datasets owned by one of the given entities (the user and their groups)',
  resourceRef: datasetPermissionResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe(
        'Entity refs of the user and every group they belong to, directly or not',
      ),
  }),
  apply: (resource, { claims }) =>
    claims.map(c => c.toLocaleLowerCase('en-US')).includes(resource.owner),
  toQuery: ({ claims }) => ({
    property: 'owner',
    values: claims.map(c => c.toLocaleLowerCase('en-US')),
  }),
});

const hasDatasetVisibility = createPermissionRule({
  name: 'HAS_DATASET_VISIBILITY',
  description: 'Allow datasets with one of the given visibilities',
  resourceRef: datasetPermissionResourceRef,
  paramsSchema: z.object({
    visibilities: z
      .array(z.enum(['private', 'public', 'open']))
      .describe('Visibilities to allow'),
  }),
  apply: (resource, { visibilities }) =>
    visibilities.includes(resource.visibility),
  toQuery: ({ visibilities }) => ({
    property: 'visibility',
    values: visibilities,
  }),
});

/**
 * The rules the DataFlex backend registers for the dataset resource type.
 *
 * @public
 */
export const datasetPermissionRules = { isDatasetOwner, hasDatasetVisibility };

const { conditions, createConditionalDecision } = createConditionExports({
  resourceRef: datasetPermissionResourceRef,
  rules: datasetPermissionRules,
});

/**
 * Condition factories for permission policies, e.g.
 * `datasetConditions.isDatasetOwner({ claims })`.
 *
 * @public
 */
export const datasetConditions = conditions;

/** @public */
export const createDatasetConditionalDecision = createConditionalDecision;
