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
