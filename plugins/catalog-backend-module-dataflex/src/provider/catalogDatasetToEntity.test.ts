import { datasetEntityV1alpha1Validator } from '@dataflex/backstage-plugin-dataflex-common';
import { catalogDatasetToEntity } from './catalogDatasetToEntity';

const baseUrl = 'https://portal.example.com/api/dataflex';

describe('catalogDatasetToEntity', () => {
  it('maps metadata, owner, visibility and the latest schema, with location annotations', async () => {
    const entity = catalogDatasetToEntity(
      {
        ref: 'dataset:sales/orders',
        namespace: 'sales',
        name: 'orders',
        title: 'Orders',
        description: 'One row per order',
        owner: 'group:default/data-platform',
        visibility: 'public',
        tags: ['sales', 'daily'],
        updatedAt: '2026-01-02T03:04:05.000Z',
        latestVersion: 3,
        format: 'parquet',
        columns: [
          { name: 'order_id', type: 'integer', nullable: false },
          { name: 'placed_at', type: 'timestamp', nullable: true },
        ],
      },
      baseUrl,
    );

    expect(entity).toEqual({
      apiVersion: 'dataflex.io/v1alpha1',
      kind: 'Dataset',
      metadata: {
        namespace: 'sales',
        name: 'orders',
        title: 'Orders',
        description: 'One row per order',
        tags: ['sales', 'daily'],
        annotations: {
          'backstage.io/managed-by-location': `dataflex:${baseUrl}/datasets/sales/orders`,
          'backstage.io/managed-by-origin-location': `dataflex:${baseUrl}/datasets/sales/orders`,
        },
      },
      spec: {
        owner: 'group:default/data-platform',
        lifecycle: 'experimental',
        visibility: 'public',
        format: 'parquet',
        schema: {
          columns: [
            { name: 'order_id', type: 'integer' },
            { name: 'placed_at', type: 'timestamp' },
          ],
        },
      },
    });
    await expect(datasetEntityV1alpha1Validator.check(entity)).resolves.toBe(
      true,
    );
  });

  it('leaves out what a dataset without versions or title does not have', async () => {
    const entity = catalogDatasetToEntity(
      {
        ref: 'dataset:default/empty',
        namespace: 'default',
        name: 'empty',
        owner: 'user:default/olivia',
        visibility: 'private',
        tags: [],
        updatedAt: '2026-01-02T03:04:05.000Z',
      },
      baseUrl,
    );

    expect(entity.metadata).not.toHaveProperty('title');
    expect(entity.metadata).not.toHaveProperty('description');
    expect(entity.spec).toEqual({
      owner: 'user:default/olivia',
      lifecycle: 'experimental',
      visibility: 'private',
    });
    await expect(datasetEntityV1alpha1Validator.check(entity)).resolves.toBe(
      true,
    );
  });

  it('drops nameless columns, which would get the whole entity rejected', async () => {
    const entity = catalogDatasetToEntity(
      {
        ref: 'dataset:default/odd',
        namespace: 'default',
        name: 'odd',
        owner: 'group:default/data-platform',
        visibility: 'open',
        tags: [],
        updatedAt: '2026-01-02T03:04:05.000Z',
        latestVersion: 1,
        format: 'csv',
        columns: [
          { name: '', type: 'string', nullable: true },
          { name: 'id', type: 'integer', nullable: false },
        ],
      },
      baseUrl,
    );

    expect(entity.spec.schema).toEqual({
      columns: [{ name: 'id', type: 'integer' }],
    });
    await expect(datasetEntityV1alpha1Validator.check(entity)).resolves.toBe(
      true,
    );
  });
});
