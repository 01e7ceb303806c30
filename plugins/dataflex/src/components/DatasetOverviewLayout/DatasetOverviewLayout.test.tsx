import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen } from '@testing-library/react';
import { DatasetOverviewLayout } from './DatasetOverviewLayout';

jest.setTimeout(30_000);

const GRANTEE_KEY = 'dataflexgrantee:default/6f1c0b5e27a94d0c8e3b1a7d2f905c44';

const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'data-platform', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

const salaries = (ownerRef: string): Entity => ({
  apiVersion: 'dataflex.io/v1alpha1',
  kind: 'Dataset',
  metadata: { name: 'salaries', namespace: 'default' },
  spec: { owner: 'data-platform', lifecycle: 'production' },
  relations: [
    { type: 'ownedBy', targetRef: ownerRef },
    { type: 'sharedWith', targetRef: GRANTEE_KEY },
  ],
});

async function renderLayout(entity: Entity) {
  const catalogApi = catalogApiMock({ entities: [group] });
  const getEntitiesByRefs = jest.spyOn(catalogApi, 'getEntitiesByRefs');
  await renderInTestApp(
    <EntityProvider entity={entity}>
      <DatasetOverviewLayout
        cards={[
          { type: 'content', element: <div>the dataset card</div> },
          { type: 'info', element: <div>the owners card</div> },
        ]}
      />
    </EntityProvider>,
    {
      apis: [[catalogApiRef, catalogApi]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
  return { getEntitiesByRefs };
}

describe('DatasetOverviewLayout', () => {
  it('shows the cards and no warning for the grantee keys of sharedWith relations', async () => {
    const { getEntitiesByRefs } = await renderLayout(
      salaries('group:default/data-platform'),
    );

    expect(await screen.findByText('the dataset card')).toBeInTheDocument();
    expect(screen.getByText('the owners card')).toBeInTheDocument();
    expect(getEntitiesByRefs).toHaveBeenCalledWith(
      expect.objectContaining({
        entityRefs: ['group:default/data-platform'],
      }),
    );
    expect(screen.queryByText(/dataflexgrantee/)).not.toBeInTheDocument();
    expect(
      screen.queryByText(/can't be found in the catalog/i),
    ).not.toBeInTheDocument();
  });

  it('still warns of other relations to entities missing from the catalog', async () => {
    await renderLayout(salaries('group:default/gone'));

    expect(await screen.findByText(/group:default\/gone/)).toBeInTheDocument();
    expect(screen.queryByText(/dataflexgrantee/)).not.toBeInTheDocument();
  });
});
