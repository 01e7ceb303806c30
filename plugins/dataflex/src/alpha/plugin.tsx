import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  identityApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentLayoutBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import AccountCircleIcon from '@material-ui/icons/AccountCircle';
import ExploreIcon from '@material-ui/icons/Explore';
import SecurityIcon from '@material-ui/icons/Security';
import StorageIcon from '@material-ui/icons/Storage';
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
} from '../api';
import {
  accessRouteRef,
  browseRouteRef,
  profileRouteRef,
  rootRouteRef,
} from '../routes';
import { hasDemo } from '../components/DemoCard/hasDemo';

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

const profileApi = ApiBlueprint.make({
  name: 'profile',
  params: defineParams =>
    defineParams({
      api: profileApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ProfileClient({ discoveryApi, fetchApi }),
    }),
});

const profilePage = PageBlueprint.make({
  name: 'profile',
  params: {
    path: '/dataflex/profile',
    title: 'My profile',
    icon: <AccountCircleIcon />,
    routeRef: profileRouteRef,
    loader: () =>
      import('../components/ProfilePage').then(m => <m.ProfilePageContent />),
  },
});

// Datasets and services show who is behind them; apps can change where it
// shows with the extension's `filter` config.
const ownerProfilesCard = EntityCardBlueprint.make({
  name: 'owner-profiles',
  params: {
    filter: {
      $any: [
        { kind: 'dataset' },
        { kind: 'component', 'spec.type': 'service' },
      ],
    },
    type: 'info',
    loader: () =>
      import('../components/OwnerCard').then(m => <m.EntityOwnerProfileCard />),
  },
});

const datasetsApi = ApiBlueprint.make({
  name: 'datasets',
  params: defineParams =>
    defineParams({
      api: datasetsApiRef,
      deps: {
        discoveryApi: discoveryApiRef,
        fetchApi: fetchApiRef,
        identityApi: identityApiRef,
      },
      factory: ({ discoveryApi, fetchApi, identityApi }) =>
        DatasetsClient.create({ discoveryApi, fetchApi, identityApi }),
    }),
});

const accessRequestsApi = ApiBlueprint.make({
  name: 'access-requests',
  params: defineParams =>
    defineParams({
      api: accessRequestsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        AccessRequestsClient.create({ discoveryApi, fetchApi }),
    }),
});

const datasetCard = EntityCardBlueprint.make({
  name: 'dataset',
  params: {
    filter: { kind: 'dataset' },
    type: 'content',
    loader: () =>
      import('../components/DatasetCard').then(m => <m.EntityDatasetCard />),
  },
});

// The catalog's overview layout, without its warning about the opaque
// grantee keys that sharedWith relations point at.
const datasetOverviewLayout = EntityContentLayoutBlueprint.make({
  name: 'dataset',
  params: {
    filter: { kind: 'dataset' },
    loader: () =>
      import('../components/DatasetOverviewLayout').then(
        m => m.DatasetOverviewLayout,
      ),
  },
});

// Only services whose demo annotation tells DataFlex what to run.
const demoCard = EntityCardBlueprint.make({
  name: 'demo',
  params: {
    filter: hasDemo,
    type: 'content',
    loader: () =>
      import('../components/DemoCard').then(m => <m.EntityDemoCard />),
  },
});

// Access requests (mine, pending approvals) and the roles explorer. DataFlex
// notifications link here, so the path is part of the backend's contract.
const accessPage = PageBlueprint.make({
  name: 'access',
  params: {
    path: '/dataflex/access',
    title: 'Access',
    icon: <SecurityIcon />,
    routeRef: accessRouteRef,
    loader: () =>
      import('../components/AccessRequestsPage').then(m => (
        <m.AccessRequestsPageContent />
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
    profile: profileRouteRef,
  },
  extensions: [
    api,
    rbacApi,
    datasetsApi,
    accessRequestsApi,
    datasetCard,
    datasetOverviewLayout,
    demoCard,
    profileApi,
    page,
    accessPage,
    browsePage,
    profilePage,
    ownerProfilesCard,
  ],
});
