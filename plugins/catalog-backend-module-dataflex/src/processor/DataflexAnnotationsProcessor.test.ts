import { Entity } from '@backstage/catalog-model';
import { DataflexAnnotationsProcessor } from './DataflexAnnotationsProcessor';

const location = {
  type: 'url',
  target: 'https://example.com/catalog-info.yaml',
};

const service = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'cleaner', namespace: 'default', annotations },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
});

describe('DataflexAnnotationsProcessor', () => {
  const processor = new DataflexAnnotationsProcessor();

  it('reports each invalid annotation as a processing error naming the entity', async () => {
    const emit = jest.fn();
    await processor.preProcessEntity(
      service({ 'dataflex.io/public': 'maybe' }),
      location,
      emit,
    );
    expect(emit).toHaveBeenCalledTimes(1);
    const [result] = emit.mock.calls[0];
    expect(result.type).toBe('error');
    expect(result.error.message).toBe(
      'component:default/cleaner has an invalid annotation dataflex.io/public is \'maybe\'; use "true" or "false"',
    );
  });

  it('relates a service to what it consumes and produces, both ways', async () => {
    const emit = jest.fn();
    await processor.postProcessEntity(
      service({
        'dataflex.io/consumes-datasets': 'customers',
        'dataflex.io/produces-datasets': 'dataset:default/customers-clean',
      }),
      location,
      emit,
    );
    const self = { kind: 'Component', namespace: 'default', name: 'cleaner' };
    const customers = {
      kind: 'Dataset',
      namespace: 'default',
      name: 'customers',
    };
    const clean = {
      kind: 'Dataset',
      namespace: 'default',
      name: 'customers-clean',
    };
    expect(emit.mock.calls.map(([r]) => r.relation)).toEqual([
      { source: self, type: 'dependsOn', target: customers },
      { source: customers, type: 'dependencyOf', target: self },
      { source: clean, type: 'dependsOn', target: self },
      { source: self, type: 'dependencyOf', target: clean },
    ]);
  });
});
