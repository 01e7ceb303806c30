import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { DataflexClient, dataflexApiRef } from './api';
import { rootRouteRef } from './routes';

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
  ],
  routes: {
    root: rootRouteRef,
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
