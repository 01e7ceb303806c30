import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import ExploreIcon from '@material-ui/icons/Explore';
import SecurityIcon from '@material-ui/icons/Security';
import StorageIcon from '@material-ui/icons/Storage';
import { DataflexClient, dataflexApiRef, RbacClient, rbacApiRef } from '../api';
import { accessRouteRef, browseRouteRef, rootRouteRef } from '../routes';

const api = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: dataflexApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DataflexClient({ discoveryApi, fetchApi }),
    }),
});

const rbacApi = ApiBlueprint.make({
  name: 'rbac',
  params: defineParams =>
    defineParams({
      api: rbacApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new RbacClient({ discoveryApi, fetchApi }),
    }),
});

const accessPage = PageBlueprint.make({
  name: 'access',
  params: {
    path: '/dataflex/access',
    title: 'Access',
    icon: <SecurityIcon />,
    routeRef: accessRouteRef,
    loader: () =>
      import('../components/AccessExplorerPage').then(m => (
        <m.AccessExplorerPageContent />
      )),
  },
});

// The portal's front door. Apps make it their home page by setting its path
// to `/` in app-config.yaml, as they do for the home plugin's page.
const browsePage = PageBlueprint.make({
  name: 'browse',
  params: {
    path: '/browse',
    title: 'Browse',
    icon: <ExploreIcon />,
    routeRef: browseRouteRef,
    loader: () =>
      import('../components/BrowsePage').then(m => <m.BrowsePageContent />),
  },
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
    access: accessRouteRef,
    browse: browseRouteRef,
  },
  extensions: [api, rbacApi, page, accessPage, browsePage],
});
