export { dataflexApiRef } from './DataflexApi';
export type { DataflexApi } from './DataflexApi';
export { DataflexClient } from './DataflexClient';
export type { DataflexClientOptions } from './DataflexClient';
export { rbacApiRef } from './RbacApi';
export type {
  Explanation,
  PermissionExplanation,
  RbacApi,
  ResolvedUser,
  RoleMapping,
} from './RbacApi';
export { RbacClient } from './RbacClient';
export type { RbacClientOptions } from './RbacClient';
export { datasetsApiRef } from './DatasetsApi';
export type {
  DatasetsApi,
  DemoRun,
  DemoRunInput,
  DemoRunOutput,
  DemoRunStats,
  UploadProgress,
} from './DatasetsApi';
export { DatasetsClient, UploadError } from './DatasetsClient';
export type { DatasetsClientOptions } from './DatasetsClient';
export { profileApiRef } from './ProfileApi';
export type { ProfileApi } from './ProfileApi';
export { ProfileClient } from './ProfileClient';
export type { ProfileClientOptions } from './ProfileClient';
export { accessRequestsApiRef } from './AccessRequestsApi';
export type {
  AccessRequestsApi,
  ListAccessRequestsOptions,
  ListDatasetGrantsOptions,
  PageOptions,
} from './AccessRequestsApi';
export { AccessRequestsClient } from './AccessRequestsClient';
export type { AccessRequestsClientOptions } from './AccessRequestsClient';
