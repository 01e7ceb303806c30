import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import StorageIcon from '@material-ui/icons/Storage';
import { DataflexClient, dataflexApiRef } from '../api';
import { rootRouteRef } from '../routes';

const api = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: dataflexApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataflexClient({ discoveryApi, fetchApi }),
    }),
});

// Title and icon come from the plugin: the app uses them for this page's
// header and its sidebar nav item.
const page = PageBlueprint.make({
  params: {
    path: '/dataflex',
    routeRef: rootRouteRef,
    loader: () =>
      import('../components/DataflexPage').then(m => <m.DataflexPageContent />),
  },
});

/**
 * The DataFlex plugin for apps on the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'dataflex',
  title: 'DataFlex',
  icon: <StorageIcon />,
  info: { packageJson: () => import('../../package.json') },
  routes: {
    root: rootRouteRef,
  },
  extensions: [api, page],
});
