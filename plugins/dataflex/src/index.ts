/**
 * The DataFlex frontend plugin: pages, cards and the client for the DataFlex
 * backend. Apps on the new frontend system import the plugin from `./alpha`.
 *
 * @packageDocumentation
 */

export {
  dataflexPlugin,
  DataflexAccessPage,
  DataflexBrowsePage,
  DataflexPage,
} from './plugin';
export { DataflexClient, dataflexApiRef, RbacClient, rbacApiRef } from './api';
export type {
  DataflexApi,
  DataflexClientOptions,
  Explanation,
  PermissionExplanation,
  RbacApi,
  RbacClientOptions,
  ResolvedUser,
  RoleMapping,
} from './api';
