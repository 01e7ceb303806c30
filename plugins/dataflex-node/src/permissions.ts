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
  /**
   * The dataset's active grants (neither revoked nor past their end): who
   * holds them and which versions they cover.
   */
  grants?: DatasetPermissionGrant[];
  /**
   * The version a check is about. Absent, a grant for any version counts
   * (the caller may see the dataset and some of its content).
   */
  version?: number;
}

/**
 * An active grant as permission rules see it.
 *
 * @public
 */
export interface DatasetPermissionGrant {
  /** Entity ref of the user or group holding the grant, lower case. */
  grantee: string;
  fromVersion: number;
  /** Last version covered; undefined for every later version too. */
  toVersion?: number;
}

/**
 * A dataset rule translated for the store: the rows whose `property` is one
 * of `values`. The DataFlex backend turns these into SQL, so conditional
 * decisions filter in the database rather than after loading a page.
 *
 * @public
 */
export type DatasetPermissionQuery = {
  /**
   * `grantee`: datasets with an active grant held by one of `values`, for
   * any version.
   */
  property: 'owner' | 'visibility' | 'grantee';
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

const hasDatasetGrant = createPermissionRule({
  name: 'HAS_DATASET_GRANT',
  description:
    'Allow datasets on which one of the given entities (the user and their groups) holds an active access grant; for a check about one version, a grant covering that version',
  resourceRef: datasetPermissionResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe(
        'Entity refs of the user and every group they belong to, directly or not',
      ),
  }),
  apply: (resource, { claims }) => {
    const holders = new Set(claims.map(c => c.toLocaleLowerCase('en-US')));
    const { version } = resource;
    return (resource.grants ?? []).some(
      grant =>
        holders.has(grant.grantee) &&
        (version === undefined ||
          (version >= grant.fromVersion &&
            (grant.toVersion === undefined || version <= grant.toVersion))),
    );
  },
  toQuery: ({ claims }) => ({
    property: 'grantee',
    values: claims.map(c => c.toLocaleLowerCase('en-US')),
  }),
});

/**
 * The rules the DataFlex backend registers for the dataset resource type.
 *
 * @public
 */
export const datasetPermissionRules = {
  isDatasetOwner,
  hasDatasetVisibility,
  hasDatasetGrant,
};

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
