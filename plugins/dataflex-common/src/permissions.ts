import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Resource type of permissions that act on one DataFlex dataset; the resource
 * ref is the dataset's entity ref (`dataset:<namespace>/<name>`).
 *
 * @public
 */
export const DATAFLEX_DATASET_RESOURCE_TYPE = 'dataflex-dataset';

/** Create a new dataset. @public */
export const datasetCreatePermission = createPermission({
  name: 'dataflex.dataset.create',
  attributes: { action: 'create' },
});

/** Know that a dataset exists and read its metadata, schema and versions. @public */
export const datasetReadPermission = createPermission({
  name: 'dataflex.dataset.read',
  attributes: { action: 'read' },
  resourceType: DATAFLEX_DATASET_RESOURCE_TYPE,
});

/** Edit a dataset's metadata and visibility. @public */
export const datasetUpdatePermission = createPermission({
  name: 'dataflex.dataset.update',
  attributes: { action: 'update' },
  resourceType: DATAFLEX_DATASET_RESOURCE_TYPE,
});

/** Delete a dataset with all its versions. @public */
export const datasetDeletePermission = createPermission({
  name: 'dataflex.dataset.delete',
  attributes: { action: 'delete' },
  resourceType: DATAFLEX_DATASET_RESOURCE_TYPE,
});

/** Upload a new immutable version of a dataset. @public */
export const datasetVersionCreatePermission = createPermission({
  name: 'dataflex.dataset.version.create',
  attributes: { action: 'create' },
  resourceType: DATAFLEX_DATASET_RESOURCE_TYPE,
});

/** Preview or download a dataset's content. @public */
export const datasetContentReadPermission = createPermission({
  name: 'dataflex.dataset.content.read',
  attributes: { action: 'read' },
  resourceType: DATAFLEX_DATASET_RESOURCE_TYPE,
});

/** Ask the owners of a dataset for access to its content. @public */
export const accessRequestCreatePermission = createPermission({
  name: 'dataflex.access-request.create',
  attributes: { action: 'create' },
  resourceType: DATAFLEX_DATASET_RESOURCE_TYPE,
});

/** Approve or reject access requests, grant and revoke access. @public */
export const accessGrantManagePermission = createPermission({
  name: 'dataflex.access-grant.manage',
  attributes: { action: 'update' },
  resourceType: DATAFLEX_DATASET_RESOURCE_TYPE,
});

/** Run a service's demo on sample data. @public */
export const demoRunPermission = createPermission({
  name: 'dataflex.demo.run',
  attributes: { action: 'read' },
});

/** Every permission DataFlex declares, for registration with the permission framework. @public */
export const dataflexPermissions = [
  datasetCreatePermission,
  datasetReadPermission,
  datasetUpdatePermission,
  datasetDeletePermission,
  datasetVersionCreatePermission,
  datasetContentReadPermission,
  accessRequestCreatePermission,
  accessGrantManagePermission,
  demoRunPermission,
];
