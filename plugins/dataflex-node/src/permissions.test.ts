import { datasetConditions, datasetPermissionRules } from './permissions';

const customers = {
  ref: 'dataset:default/customers',
  owner: 'group:default/data-platform',
  visibility: 'public' as const,
};

describe('dataset permission rules', () => {
  it('IS_DATASET_OWNER matches claims case-insensitively and becomes an owner filter', () => {
    const { isDatasetOwner } = datasetPermissionRules;
    expect(
      isDatasetOwner.apply(customers, {
        claims: ['Group:default/Data-Platform'],
      }),
    ).toBe(true);
    expect(
      isDatasetOwner.apply(customers, { claims: ['group:default/payments'] }),
    ).toBe(false);
    expect(
      isDatasetOwner.toQuery({ claims: ['Group:default/Data-Platform'] }),
    ).toEqual({
      property: 'owner',
      values: ['group:default/data-platform'],
    });
  });

  it('HAS_DATASET_VISIBILITY matches listed visibilities and becomes a visibility filter', () => {
    const { hasDatasetVisibility } = datasetPermissionRules;
    expect(
      hasDatasetVisibility.apply(customers, {
        visibilities: ['public', 'open'],
      }),
    ).toBe(true);
    expect(
      hasDatasetVisibility.apply(customers, { visibilities: ['open'] }),
    ).toBe(false);
    expect(hasDatasetVisibility.toQuery({ visibilities: ['open'] })).toEqual({
      property: 'visibility',
      values: ['open'],
    });
  });

  it('HAS_DATASET_GRANT matches a grant held by a claim, within its versions when a version is asked about', () => {
    const { hasDatasetGrant } = datasetPermissionRules;
    const granted = {
      ...customers,
      grants: [
        { grantee: 'user:default/student', fromVersion: 1, toVersion: 1 },
        { grantee: 'group:default/ml-platform', fromVersion: 3 },
      ],
    };
    const student = { claims: ['User:default/Student'] };
    const ml = { claims: ['user:default/kenji', 'group:default/ml-platform'] };

    expect(hasDatasetGrant.apply(granted, student)).toBe(true);
    expect(hasDatasetGrant.apply({ ...granted, version: 1 }, student)).toBe(
      true,
    );
    expect(hasDatasetGrant.apply({ ...granted, version: 2 }, student)).toBe(
      false,
    );
    expect(hasDatasetGrant.apply({ ...granted, version: 2 }, ml)).toBe(false);
    expect(hasDatasetGrant.apply({ ...granted, version: 3 }, ml)).toBe(true);
    expect(hasDatasetGrant.apply({ ...granted, version: 99 }, ml)).toBe(true);
    expect(
      hasDatasetGrant.apply(granted, { claims: ['user:default/guest'] }),
    ).toBe(false);
    expect(hasDatasetGrant.apply(customers, student)).toBe(false);
    expect(hasDatasetGrant.toQuery(student)).toEqual({
      property: 'grantee',
      values: ['user:default/student'],
    });
  });

  it('exports condition factories for policies', () => {
    expect(
      datasetConditions.hasDatasetVisibility({ visibilities: ['open'] }),
    ).toEqual({
      rule: 'HAS_DATASET_VISIBILITY',
      resourceType: 'dataflex-dataset',
      params: { visibilities: ['open'] },
    });
  });
});
