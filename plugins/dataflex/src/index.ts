/**
 * The DataFlex frontend plugin: pages, cards and the client for the DataFlex
 * backend. Apps on the new frontend system import the plugin from `./alpha`.
 *
 * @packageDocumentation
 */

export {
  AccessRequestsSidebarItem,
  dataflexPlugin,
  DataflexAccessPage,
  DataflexBrowsePage,
  DataflexPage,
  EntityDatasetCard,
  EntityDemoCard,
  DataflexProfilePage,
  EntityOwnerProfileCard,
} from './plugin';
export {
  AccessRequestsClient,
  accessRequestsApiRef,
  DataflexClient,
  dataflexApiRef,
  DatasetsClient,
  datasetsApiRef,
  ProfileClient,
  profileApiRef,
  RbacClient,
  rbacApiRef,
  UploadError,
} from './api';
export { hasDemo } from './components/DemoCard';
export type {
  AccessRequestsApi,
  AccessRequestsClientOptions,
  ListAccessRequestsOptions,
  ListDatasetGrantsOptions,
  PageOptions,
  DataflexApi,
  DataflexClientOptions,
  DatasetsApi,
  DatasetsClientOptions,
  DemoRun,
  DemoRunInput,
  DemoRunOutput,
  DemoRunStats,
  UploadProgress,
  Explanation,
  PermissionExplanation,
  ProfileApi,
  ProfileClientOptions,
  RbacApi,
  RbacClientOptions,
  ResolvedUser,
  RoleMapping,
} from './api';
