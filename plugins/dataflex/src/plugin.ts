import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
  identityApiRef,
} from '@backstage/core-plugin-api';
import {
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
} from './api';
import {
  accessRouteRef,
  browseRouteRef,
  profileRouteRef,
  rootRouteRef,
} from './routes';

/**
 * The DataFlex plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const dataflexPlugin = createPlugin({
  id: 'dataflex',
  apis: [
    createApiFactory({
      api: datasetsApiRef,
      deps: {
        discoveryApi: discoveryApiRef,
        fetchApi: fetchApiRef,
        identityApi: identityApiRef,
      },
      factory: ({ discoveryApi, fetchApi, identityApi }) =>
        DatasetsClient.create({ discoveryApi, fetchApi, identityApi }),
    }),
    createApiFactory({
      api: accessRequestsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        AccessRequestsClient.create({ discoveryApi, fetchApi }),
    }),
    createApiFactory({
      api: dataflexApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataflexClient({ discoveryApi, fetchApi }),
    }),
    createApiFactory({
      api: rbacApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new RbacClient({ discoveryApi, fetchApi }),
    }),
    createApiFactory({
      api: profileApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ProfileClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
    access: accessRouteRef,
    browse: browseRouteRef,
    profile: profileRouteRef,
  },
});

/**
 * The DataFlex page, to be mounted at `/dataflex` in a legacy app.
 *
 * @public
 */
export const DataflexPage = dataflexPlugin.provide(
  createRoutableExtension({
    name: 'DataflexPage',
    component: () =>
      import('./components/DataflexPage').then(m => m.DataflexPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The access page, to be mounted at `/dataflex/access` in a legacy app (the
 * DataFlex notifications link there): the user's access requests, those
 * waiting for their decision, and the roles explorer ("why can't I see
 * this?").
 *
 * @public
 */
export const DataflexAccessPage = dataflexPlugin.provide(
  createRoutableExtension({
    name: 'DataflexAccessPage',
    component: () =>
      import('./components/AccessRequestsPage').then(m => m.AccessRequestsPage),
    mountPoint: accessRouteRef,
  }),
);

/**
 * A sidebar item for the access page with the number of requests waiting
 * for the signed-in user's decision.
 *
 * @public
 */
export const AccessRequestsSidebarItem = dataflexPlugin.provide(
  createComponentExtension({
    name: 'AccessRequestsSidebarItem',
    component: {
      lazy: () =>
        import('./components/AccessRequestsPage').then(
          m => m.AccessRequestsSidebarItem,
        ),
    },
  }),
);

/**
 * The browse page (featured entity, rows of services and datasets, search
 * and filters), to be mounted at `/` in a legacy app.
 *
 * @public
 */
export const DataflexBrowsePage = dataflexPlugin.provide(
  createRoutableExtension({
    name: 'DataflexBrowsePage',
    component: () => import('./components/BrowsePage').then(m => m.BrowsePage),
    mountPoint: browseRouteRef,
  }),
);

/**
 * The signed-in user's profile page ("My profile"), to be mounted at
 * `/dataflex/profile` in a legacy app.
 *
 * @public
 */
export const DataflexProfilePage = dataflexPlugin.provide(
  createRoutableExtension({
    name: 'DataflexProfilePage',
    component: () =>
      import('./components/ProfilePage').then(m => m.ProfilePage),
    mountPoint: profileRouteRef,
  }),
);

/**
 * The owner card for entity pages: the public profiles of the owning user
 * or of the owning group's members. For datasets and services.
 *
 * @public
 */
export const EntityOwnerProfileCard = dataflexPlugin.provide(
  createComponentExtension({
    name: 'EntityOwnerProfileCard',
    component: {
      lazy: () =>
        import('./components/OwnerCard').then(m => m.EntityOwnerProfileCard),
    },
  }),
);

/**
 * The DataFlex card for Dataset entity pages: metadata, schema with PII
 * markers, versions, preview, download and uploads.
 *
 * @public
 */
export const EntityDatasetCard = dataflexPlugin.provide(
  createComponentExtension({
    name: 'EntityDatasetCard',
    component: {
      lazy: () =>
        import('./components/DatasetCard').then(m => m.EntityDatasetCard),
    },
  }),
);

/**
 * The "Try it" card for service pages: runs the service's demo on a masked
 * sample. Show it where {@link hasDemo} holds.
 *
 * @public
 */
export const EntityDemoCard = dataflexPlugin.provide(
  createComponentExtension({
    name: 'EntityDemoCard',
    component: {
      lazy: () => import('./components/DemoCard').then(m => m.EntityDemoCard),
    },
  }),
);
