import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { DataflexClient, dataflexApiRef, RbacClient, rbacApiRef } from './api';
import { accessRouteRef, browseRouteRef, rootRouteRef } from './routes';

/**
 * The DataFlex plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const dataflexPlugin = createPlugin({
  id: 'dataflex',
  apis: [
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
  ],
  routes: {
    root: rootRouteRef,
    access: accessRouteRef,
    browse: browseRouteRef,
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
 * The access page (roles in effect, "why can't I see this?"), to be mounted
 * at `/dataflex/access` in a legacy app.
 *
 * @public
 */
export const DataflexAccessPage = dataflexPlugin.provide(
  createRoutableExtension({
    name: 'DataflexAccessPage',
    component: () =>
      import('./components/AccessExplorerPage').then(m => m.AccessExplorerPage),
    mountPoint: accessRouteRef,
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
