import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';

import { rootRouteRef } from './routes';

export const page = PageBlueprint.make({
  params: {
    path: '/dataflex',
    routeRef: rootRouteRef,
    loader: () =>
      import('./components/TodoPage').then(m => (
        <m.TodoPage />
      )),
  },
});

export const dataflexPlugin = createFrontendPlugin({
  pluginId: 'dataflex',
  extensions: [page],
  routes: {
    root: rootRouteRef,
  }
});
