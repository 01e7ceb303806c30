import { DatasetVisibility } from './schema/openapi';

/**
 * The types of the DataFlex API, generated from the backend's OpenAPI spec
 * (`plugins/dataflex-backend/src/schema/openapi.yaml`).
 */
export type {
  AccessDecision,
  AccessGrant,
  AccessGrantList,
  AccessGrantStatus,
  AccessRequest,
  AccessRequestList,
  AccessRequestStatus,
  AccessScope,
  AuditEntry,
  AuditEntryList,
  CatalogDataset,
  CatalogGrantees,
  CatalogGranteesList,
  CatalogLatestVersion,
  CatalogLatestVersionList,
  CatalogDatasetList,
  ColumnType,
  ComponentHealth,
  CreateDatasetRequest,
  Dataset,
  DatasetAccess,
  DatasetAccessSummary,
  VersionColumn,
  DatasetFormat,
  DatasetList,
  DatasetPreview,
  DatasetVersion,
  DatasetVersionList,
  DatasetVisibility,
  HealthResponse,
  NewAccessGrant,
  NewAccessRequest,
  PreviewColumn,
  RetypedColumn,
  RevokeAccessGrantRequest,
  SchemaDiff,
  UpdateDatasetRequest,
} from './schema/openapi';

/**
 * Every visibility, from the most to the least restricted.
 *
 * - `private`: only owners, admins and grant holders know it exists.
 * - `public`: metadata, schema and version list are visible to every signed-in
 *   user; content needs a grant.
 * - `open`: content is readable by every signed-in user.
 *
 * @public
 */
export const DATASET_VISIBILITIES: readonly DatasetVisibility[] = [
  'private',
  'public',
  'open',
];

/** @public */
export type HealthStatus = 'ok' | 'error';
