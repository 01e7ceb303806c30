import {
  DATAFLEX_DATASET_RESOURCE_TYPE,
  dataflexPermissions,
  datasetCreatePermission,
  datasetReadPermission,
} from './permissions';
import { isResourcePermission } from '@backstage/plugin-permission-common';

describe('dataflexPermissions', () => {
  it('declares every permission once, under the dataflex prefix', () => {
    const names = dataflexPermissions.map(p => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(name).toMatch(/^dataflex\.[a-z-]+(\.[a-z-]+)*$/);
    }
  });

  it('scopes dataset permissions to the dataset resource type', () => {
    expect(
      isResourcePermission(
        datasetReadPermission,
        DATAFLEX_DATASET_RESOURCE_TYPE,
      ),
    ).toBe(true);
    // Creating a dataset has no dataset to check against yet.
    expect(isResourcePermission(datasetCreatePermission)).toBe(false);
  });
});
