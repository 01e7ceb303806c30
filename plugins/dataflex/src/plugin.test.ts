import { getComponentData } from '@backstage/core-plugin-api';
import { createElement } from 'react';
import { dataflexApiRef } from './api';
import { DataflexPage, dataflexPlugin } from './plugin';
import { rootRouteRef } from './routes';

describe('dataflexPlugin', () => {
  it('provides the DataFlex API', () => {
    const apiIds = [...dataflexPlugin.getApis()].map(factory => factory.api.id);
    expect(apiIds).toEqual([dataflexApiRef.id]);
  });

  it('mounts DataflexPage on the root route', () => {
    expect(
      getComponentData(createElement(DataflexPage), 'core.mountPoint'),
    ).toBe(rootRouteRef);
  });
});
