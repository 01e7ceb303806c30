import { Entity } from '@backstage/catalog-model';
import { DatasetEntitiesProcessor } from './DatasetEntitiesProcessor';

const location = {
  type: 'url',
  target: 'https://example.com/catalog-info.yaml',
};

const dataset: Entity = {
  apiVersion: 'dataflex.io/v1alpha1',
  kind: 'Dataset',
  metadata: { name: 'customers', namespace: 'sales' },
  spec: {
    owner: 'data-platform',
    lifecycle: 'production',
    system: 'system:default/crm',
    visibility: 'public',
  },
};

describe('DatasetEntitiesProcessor', () => {
  const processor = new DatasetEntitiesProcessor();

  it('validates Dataset entities and leaves other kinds to other processors', async () => {
    await expect(processor.validateEntityKind(dataset)).resolves.toBe(true);
    await expect(
      processor.validateEntityKind({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'svc' },
        spec: { type: 'service', owner: 'a', lifecycle: 'b' },
      }),
    ).resolves.toBe(false);
  });

  it('rejects an invalid Dataset with the failing field in the message', async () => {
    await expect(
      processor.validateEntityKind({
        ...dataset,
        spec: { ...dataset.spec, visibility: 'everyone' },
      }),
    ).rejects.toThrow(/visibility/);
  });

  it('emits owner and system relations both ways, resolving short refs', async () => {
    const emit = jest.fn();

    await processor.postProcessEntity(dataset, location, emit);

    const self = { kind: 'Dataset', namespace: 'sales', name: 'customers' };
    const owner = { kind: 'Group', namespace: 'sales', name: 'data-platform' };
    const system = { kind: 'system', namespace: 'default', name: 'crm' };
    expect(emit.mock.calls.map(([result]) => result.relation)).toEqual([
      { source: self, type: 'ownedBy', target: owner },
      { source: owner, type: 'ownerOf', target: self },
      { source: self, type: 'partOf', target: system },
      { source: system, type: 'hasPart', target: self },
    ]);
  });

  it('keeps a private dataset off its group and system, which everyone may read', async () => {
    for (const visibility of ['private', undefined]) {
      const emit = jest.fn();

      await processor.postProcessEntity(
        { ...dataset, spec: { ...dataset.spec, visibility } },
        location,
        emit,
      );

      const self = { kind: 'Dataset', namespace: 'sales', name: 'customers' };
      expect(emit.mock.calls.map(([result]) => result.relation)).toEqual([
        {
          source: self,
          type: 'ownedBy',
          target: { kind: 'Group', namespace: 'sales', name: 'data-platform' },
        },
        {
          source: self,
          type: 'partOf',
          target: { kind: 'system', namespace: 'default', name: 'crm' },
        },
      ]);
    }
  });

  it('emits nothing for other kinds', async () => {
    const emit = jest.fn();
    await processor.postProcessEntity(
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'g' },
        spec: {},
      },
      location,
      emit,
    );
    expect(emit).not.toHaveBeenCalled();
  });
});
