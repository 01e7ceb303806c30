import { getComponentData } from '@backstage/core-plugin-api';
import { createElement } from 'react';
import { dataflexApiRef, rbacApiRef } from './api';
import {
  DataflexAccessPage,
  DataflexBrowsePage,
  DataflexPage,
  dataflexPlugin,
} from './plugin';
import { accessRouteRef, browseRouteRef, rootRouteRef } from './routes';

describe('dataflexPlugin', () => {
  it('provides the DataFlex and RBAC APIs', () => {
    const apiIds = [...dataflexPlugin.getApis()].map(factory => factory.api.id);
    expect(apiIds).toEqual([dataflexApiRef.id, rbacApiRef.id]);
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

  it('mounts DataflexBrowsePage on the browse route', () => {
    expect(
      getComponentData(createElement(DataflexBrowsePage), 'core.mountPoint'),
    ).toBe(browseRouteRef);
  });
});
