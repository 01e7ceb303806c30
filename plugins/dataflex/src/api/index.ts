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
