import { screen, waitFor, within } from '@testing-library/react';
import { CARD_FIELDS, PUBLIC_DEMOS } from '../BrowseQuery/browseQueries';
import {
  mockCatalog,
  page,
  renderBrowse,
  service,
} from '../BrowsePage/__testUtils__/fixtures';
import { BrowseHero } from './BrowseHero';

jest.setTimeout(30_000);

const featuredService = service('recommendation-engine', {
  title: 'Recommendation Engine',
  annotations: {
    'dataflex.io/public': 'true',
    'dataflex.io/demo-pipeline': '- limit: 5',
    'dataflex.io/purpose': 'Recommends products.',
  },
});

describe('BrowseHero', () => {
  it('features the first configured entity the user can see', async () => {
    const catalog = mockCatalog();
    // The catalog leaves out what the user may not see: the first is private.
    catalog.getEntitiesByRefs.mockResolvedValue({
      items: [undefined, featuredService],
    });
    renderBrowse(
      <BrowseHero
        featured={['component:default/secret-service', 'recommendation-engine']}
      />,
      { catalog },
    );

    const hero = await screen.findByRole('region', { name: 'Featured' });
    expect(
      within(hero).getByRole('heading', { name: 'Recommendation Engine' }),
    ).toBeInTheDocument();
    expect(within(hero).getByText('Recommends products.')).toBeInTheDocument();
    expect(
      within(hero).getByRole('button', {
        name: 'Try the demo of Recommendation Engine',
      }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/recommendation-engine',
    );
    expect(catalog.getEntitiesByRefs).toHaveBeenCalledWith({
      entityRefs: [
        'component:default/secret-service',
        'component:default/recommendation-engine',
      ],
      fields: CARD_FIELDS,
    });
    expect(catalog.queryEntities).not.toHaveBeenCalled();
  });

  it('falls back to the first public service with a demo', async () => {
    const catalog = mockCatalog();
    catalog.queryEntities.mockResolvedValue(page([featuredService]));
    renderBrowse(<BrowseHero featured={['component:default/gone']} />, {
      catalog,
    });

    const hero = await screen.findByRole('region', { name: 'Featured' });
    expect(
      within(hero).getByRole('heading', { name: 'Recommendation Engine' }),
    ).toBeInTheDocument();
    expect(catalog.queryEntities).toHaveBeenCalledWith(
      expect.objectContaining({
        query: PUBLIC_DEMOS,
        limit: 1,
        fields: CARD_FIELDS,
      }),
    );
  });

  it('warns about configured values that are no entity refs', async () => {
    const catalog = mockCatalog();
    catalog.queryEntities.mockResolvedValue(page([featuredService]));
    renderBrowse(<BrowseHero featured={['component:']} />, { catalog });

    expect(
      await screen.findByText(/not entity refs, left out: component:/),
    ).toBeInTheDocument();
    expect(catalog.getEntitiesByRefs).not.toHaveBeenCalled();
    expect(
      await screen.findByRole('region', { name: 'Featured' }),
    ).toBeInTheDocument();
  });

  it('shows nothing when there is nothing to feature', async () => {
    const catalog = mockCatalog();
    const { container } = renderBrowse(<BrowseHero featured={[]} />, {
      catalog,
    });
    await waitFor(() => expect(catalog.queryEntities).toHaveBeenCalledTimes(1));
    await waitFor(() =>
      expect(container.querySelector('.MuiSkeleton-root')).toBeNull(),
    );
    expect(screen.queryByRole('region', { name: 'Featured' })).toBeNull();
  });

  it('says when the catalog fails', async () => {
    const catalog = mockCatalog();
    catalog.queryEntities.mockRejectedValue(new Error('catalog down'));
    renderBrowse(<BrowseHero featured={[]} />, { catalog });
    expect(
      await screen.findByText(
        'Could not load the featured service: catalog down',
      ),
    ).toBeInTheDocument();
  });
});
