import { getComponentData } from '@backstage/core-plugin-api';
import { createElement } from 'react';
import {
  accessRequestsApiRef,
  dataflexApiRef,
  datasetsApiRef,
  profileApiRef,
  rbacApiRef,
} from './api';
import {
  AccessRequestsSidebarItem,
  DataflexAccessPage,
  DataflexBrowsePage,
  DataflexPage,
  dataflexPlugin,
  DataflexProfilePage,
  EntityOwnerProfileCard,
} from './plugin';
import {
  accessRouteRef,
  browseRouteRef,
  profileRouteRef,
  rootRouteRef,
} from './routes';

describe('dataflexPlugin', () => {
  it('provides the DataFlex, RBAC and datasets APIs', () => {
    const apiIds = [...dataflexPlugin.getApis()].map(factory => factory.api.id);
    expect(apiIds).toEqual(
      expect.arrayContaining([
        dataflexApiRef.id,
        rbacApiRef.id,
        datasetsApiRef.id,
      ]),
    );
  });

  it('mounts DataflexPage on the root route', () => {
    expect(
      getComponentData(createElement(DataflexPage), 'core.mountPoint'),
    ).toBe(rootRouteRef);
  });

  it('mounts DataflexAccessPage on the access route', () => {
    expect(
      getComponentData(createElement(DataflexAccessPage), 'core.mountPoint'),
    ).toBe(accessRouteRef);
  });

  it('provides the access requests API and the access page sidebar item', () => {
    const apiIds = [...dataflexPlugin.getApis()].map(factory => factory.api.id);
    expect(apiIds).toContain(accessRequestsApiRef.id);
    expect(
      getComponentData(
        createElement(AccessRequestsSidebarItem),
        'core.extensionName',
      ),
    ).toBe('AccessRequestsSidebarItem');
  });

  it('mounts DataflexBrowsePage on the browse route', () => {
    expect(
      getComponentData(createElement(DataflexBrowsePage), 'core.mountPoint'),
    ).toBe(browseRouteRef);
  });

  it('provides the profile API, mounts the profile page and offers the owner card', () => {
    const apiIds = [...dataflexPlugin.getApis()].map(factory => factory.api.id);
    expect(apiIds).toContain(profileApiRef.id);
    expect(
      getComponentData(createElement(DataflexProfilePage), 'core.mountPoint'),
    ).toBe(profileRouteRef);
    expect(
      getComponentData(
        createElement(EntityOwnerProfileCard),
        'core.extensionName',
      ),
    ).toBe('EntityOwnerProfileCard');
  });
});
