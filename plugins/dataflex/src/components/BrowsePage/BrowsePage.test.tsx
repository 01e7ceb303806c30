import type { QueryEntitiesRequest } from '@backstage/catalog-client';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import {
  BY_LATEST_VERSION,
  CARD_FIELDS,
  DATASETS_WITH_VERSIONS,
  PUBLIC_DEMOS,
  RESULTS_PAGE_SIZE,
  ROW_PAGE_SIZE,
  SEARCH_FIELDS,
} from '../BrowseQuery/browseQueries';
import {
  dataset,
  grant,
  LocationProbe,
  mockAccessRequests,
  mockCatalog,
  page,
  renderBrowse,
  service,
} from './__testUtils__/fixtures';
import { SEARCH_DEBOUNCE_MS } from '../BrowseSearch';
import { BrowsePageContent } from './BrowsePage';

// A whole page of Material UI in jsdom is slow on a busy machine.
jest.setTimeout(60_000);

const demos = [
  service('churn-predictor', {
    title: 'Churn Predictor',
    annotations: {
      'dataflex.io/public': 'true',
      'dataflex.io/demo-pipeline': '- limit: 5',
    },
  }),
  service('currency-converter', {
    title: 'Currency Converter',
    annotations: {
      'dataflex.io/public': 'true',
      'dataflex.io/demo-endpoint': 'http://localhost:7010/demo',
    },
  }),
];
const datasets = [
  dataset('customers', {
    title: 'Customers',
    visibility: 'public',
    latestVersion: 2,
  }),
  dataset('orders', { title: 'Orders' }),
];
const services = [service('order-service', { title: 'Order Service' })];
const recentlyUpdated = [
  dataset('orders', { title: 'Orders' }),
  dataset('customers', { title: 'Customers', visibility: 'public' }),
];

const config = {
  dataflex: {
    browse: {
      rows: [
        { title: 'Finance', tag: 'finance' },
        { title: 'Machine learning', domain: 'machine-learning' },
      ],
    },
  },
};

function isInitial(
  request: QueryEntitiesRequest | undefined,
): request is Exclude<QueryEntitiesRequest, { cursor: string }> {
  return request !== undefined && !('cursor' in request);
}

/** A catalog that answers each of the page's queries like the real one. */
function fakeCatalog() {
  const catalog = mockCatalog();
  catalog.queryEntities.mockImplementation(async request => {
    if (!isInitial(request)) {
      return page([dataset('zebra', { title: 'Zebra' })]);
    }
    const query = JSON.stringify(request.query);
    if (request.fullTextFilter) {
      return page(datasets, 'search-cursor', 3);
    }
    if (query.includes('"System"')) {
      return page([
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'System',
          metadata: { name: 'ml-features', namespace: 'default' },
        },
      ]);
    }
    if (query.includes('dataflex.io/latest-version-at')) {
      return page(recentlyUpdated);
    }
    if (query.includes('dataflex.io/public')) {
      return page(demos);
    }
    if (query === '{"kind":"Dataset"}') {
      return page(datasets);
    }
    return page(services);
  });
  return catalog;
}

function searchCalls(catalog: ReturnType<typeof mockCatalog>) {
  return catalog.queryEntities.mock.calls
    .map(([request]) => request)
    .filter(
      request =>
        isInitial(request) &&
        (request.fullTextFilter || request.totalItems === 'include'),
    );
}

/** The cards' links in a row, without their owners' links. */
function datasetLinks(row: HTMLElement) {
  return within(row)
    .getAllByRole('link')
    .filter(link => link.getAttribute('href')?.includes('/dataset/'));
}

async function seriousViolations(element: Element) {
  const results = await axe.run(element, {
    // jsdom does no layout, so colour contrast cannot be measured here.
    rules: { 'color-contrast': { enabled: false } },
  });
  return results.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id}: ${v.nodes.map(n => n.html).join(', ')}`);
}

describe('BrowsePageContent', () => {
  it('shows the hero and the rows, each from its own limited, projected query', async () => {
    const catalog = fakeCatalog();
    renderBrowse(<BrowsePageContent />, {
      catalog,
      config,
      ownershipEntityRefs: ['user:default/anil', 'group:default/ml-platform'],
    });

    const rows = await screen.findAllByRole('region');
    const names = rows.map(row => row.getAttribute('aria-label'));
    expect(names).toEqual(
      expect.arrayContaining([
        'Public demos',
        'Recently updated datasets',
        'Datasets',
        'Services',
        'Finance',
        'Machine learning',
        'Owned by my teams',
        'Shared with me',
      ]),
    );
    const demosRow = screen.getByRole('region', { name: 'Public demos' });
    expect(
      await within(demosRow).findByRole('link', { name: 'Churn Predictor' }),
    ).toBeInTheDocument();
    const datasetsRow = screen.getByRole('region', { name: 'Datasets' });
    expect(
      await within(datasetsRow).findByRole('link', { name: 'Customers' }),
    ).toBeInTheDocument();
    const hero = await screen.findByRole('region', { name: 'Featured' });
    expect(
      within(hero).getByRole('heading', { name: 'Churn Predictor' }),
    ).toBeInTheDocument();

    const row = (query: unknown) => ({
      query,
      orderFields: { field: 'metadata.name', order: 'asc' },
      limit: ROW_PAGE_SIZE,
      fields: CARD_FIELDS,
      totalItems: 'exclude',
    });
    const browseKinds = { kind: { $in: ['Dataset', 'Component'] } };
    await waitFor(() => {
      const requests = catalog.queryEntities.mock.calls.map(([r]) => r);
      expect(requests).toEqual(
        expect.arrayContaining([
          row(PUBLIC_DEMOS),
          row({ kind: 'Dataset' }),
          row({ $all: [{ kind: 'Component' }, { 'spec.type': 'service' }] }),
          row({ $all: [browseKinds, { 'metadata.tags': 'finance' }] }),
          expect.objectContaining({
            query: {
              kind: 'System',
              'relations.partOf': 'domain:default/machine-learning',
            },
          }),
          row({
            $all: [
              browseKinds,
              { 'relations.partOf': { $in: ['system:default/ml-features'] } },
            ],
          }),
          row({
            $all: [
              browseKinds,
              {
                'relations.ownedBy': {
                  $in: ['user:default/anil', 'group:default/ml-platform'],
                },
              },
            ],
          }),
          {
            ...row(DATASETS_WITH_VERSIONS),
            orderFields: {
              field: 'metadata.annotations.dataflex.io/latest-version-at',
              order: 'desc',
            },
          },
        ]),
      );
    });
    // Never the whole catalog: every request is limited.
    for (const [request] of catalog.queryEntities.mock.calls) {
      expect(request?.limit).toBeGreaterThan(0);
    }

    expect(await seriousViolations(document.body)).toEqual([]);
  });

  it('shows the datasets that got a version last first', async () => {
    const catalog = fakeCatalog();
    renderBrowse(<BrowsePageContent />, { catalog });
    const row = await screen.findByRole('region', {
      name: 'Recently updated datasets',
    });
    await within(row).findByRole('link', { name: 'Orders' });
    expect(datasetLinks(row).map(link => link.textContent)).toEqual([
      'Orders',
      'Customers',
    ]);
    expect(BY_LATEST_VERSION).toEqual({
      field: 'metadata.annotations.dataflex.io/latest-version-at',
      order: 'desc',
    });
    expect(catalog.queryEntities).toHaveBeenCalledWith(
      expect.objectContaining({
        query: {
          $all: [
            { kind: 'Dataset' },
            {
              'metadata.annotations.dataflex.io/latest-version-at': {
                $exists: true,
              },
            },
          ],
        },
        orderFields: BY_LATEST_VERSION,
        limit: ROW_PAGE_SIZE,
      }),
    );
  });

  it('shows the datasets of the user’s grants, public and private, from the catalog by ref', async () => {
    const catalog = fakeCatalog();
    const visible = {
      'dataset:default/customers': dataset('customers', {
        title: 'Customers',
        visibility: 'public',
      }),
      'dataset:default/legacy-customers-export': dataset(
        'legacy-customers-export',
        { title: 'Legacy Customers Export', visibility: 'private' },
      ),
    } as Record<string, ReturnType<typeof dataset>>;
    catalog.getEntitiesByRefs.mockImplementation(async ({ entityRefs }) => ({
      items: entityRefs.map(ref => visible[ref]),
    }));
    const accessRequests = mockAccessRequests();
    accessRequests.listOwnGrants.mockResolvedValue({
      items: [
        grant('customers'),
        grant('legacy-customers-export'),
        // A second grant on the same dataset, e.g. through a group.
        grant('customers', 'grant-2'),
      ],
      nextCursor: 'grants-2',
    });
    renderBrowse(<BrowsePageContent />, {
      catalog,
      accessRequests,
      ownershipEntityRefs: ['group:default/students'],
    });
    const row = await screen.findByRole('region', { name: 'Shared with me' });
    expect(
      await within(row).findByRole('link', { name: 'Legacy Customers Export' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/dataset/legacy-customers-export',
    );
    expect(datasetLinks(row).map(link => link.textContent)).toEqual([
      'Customers',
      'Legacy Customers Export',
    ]);
    expect(accessRequests.listOwnGrants).toHaveBeenCalledWith({
      limit: ROW_PAGE_SIZE,
      cursor: undefined,
    });
    expect(catalog.getEntitiesByRefs).toHaveBeenCalledWith({
      entityRefs: [
        'dataset:default/customers',
        'dataset:default/legacy-customers-export',
      ],
      fields: CARD_FIELDS,
    });
    // One page of grants per page of the row, until the row scrolls on.
    expect(accessRequests.listOwnGrants).toHaveBeenCalledTimes(1);
  });

  it('reads on past grants on datasets the user cannot see, and never shows them', async () => {
    const catalog = fakeCatalog();
    catalog.getEntitiesByRefs.mockImplementation(async ({ entityRefs }) => ({
      items: entityRefs.map(ref =>
        ref === 'dataset:default/customers'
          ? dataset('customers', { title: 'Customers', visibility: 'public' })
          : undefined,
      ),
    }));
    const accessRequests = mockAccessRequests();
    accessRequests.listOwnGrants.mockImplementation(async options =>
      options?.cursor === 'grants-2'
        ? { items: [grant('customers')] }
        : { items: [grant('secret-salaries')], nextCursor: 'grants-2' },
    );
    renderBrowse(<BrowsePageContent />, { catalog, accessRequests });
    const row = await screen.findByRole('region', { name: 'Shared with me' });
    await within(row).findByRole('link', { name: 'Customers' });
    expect(datasetLinks(row)).toHaveLength(1);
    expect(row).not.toHaveTextContent(/secret/i);
    expect(accessRequests.listOwnGrants.mock.calls).toEqual([
      [{ limit: ROW_PAGE_SIZE, cursor: undefined }],
      [{ limit: ROW_PAGE_SIZE, cursor: 'grants-2' }],
    ]);
  });

  it('says so when nothing is shared with the user', async () => {
    renderBrowse(<BrowsePageContent />, { catalog: fakeCatalog() });
    const row = await screen.findByRole('region', { name: 'Shared with me' });
    expect(
      await within(row).findByText(
        'Nothing has been shared with you yet. Request access from a dataset’s page.',
      ),
    ).toBeInTheDocument();
    expect(within(row).queryByRole('alert')).not.toBeInTheDocument();
  });

  it('searches once typing pauses, and keeps the search in the URL', async () => {
    jest.useFakeTimers();
    try {
      const catalog = fakeCatalog();
      const user = userEvent.setup({
        advanceTimers: jest.advanceTimersByTime,
      });
      renderBrowse(
        <>
          <BrowsePageContent />
          <LocationProbe />
        </>,
        { catalog },
      );

      await user.type(
        await screen.findByRole('searchbox', {
          name: 'Search services and datasets',
        }),
        'cust',
      );
      act(() => {
        jest.advanceTimersByTime(SEARCH_DEBOUNCE_MS - 1);
      });
      expect(screen.getByTestId('location')).toHaveTextContent(/^$/);
      expect(searchCalls(catalog)).toEqual([]);

      act(() => {
        jest.advanceTimersByTime(1);
      });
      expect(screen.getByTestId('location')).toHaveTextContent('?q=cust');
      const results = await screen.findByRole('region', {
        name: 'Search results',
      });
      expect(
        await within(results).findByRole('link', { name: 'Customers' }),
      ).toBeInTheDocument();
      expect(within(results).getByRole('status')).toHaveTextContent(
        '3 results',
      );
      // One search for what was typed, not one per keystroke.
      expect(searchCalls(catalog)).toEqual([
        {
          query: { kind: { $in: ['Dataset', 'Component'] } },
          fullTextFilter: { term: 'cust', fields: SEARCH_FIELDS },
          orderFields: { field: 'metadata.name', order: 'asc' },
          limit: RESULTS_PAGE_SIZE,
          fields: CARD_FIELDS,
          totalItems: 'include',
        },
      ]);
      // The rows make way for the results.
      expect(screen.queryByRole('region', { name: 'Public demos' })).toBeNull();
    } finally {
      jest.useRealTimers();
    }
  });

  it('turns filters from the URL and the form into catalog filters', async () => {
    const catalog = fakeCatalog();
    const user = userEvent.setup({ delay: null });
    renderBrowse(
      <>
        <BrowsePageContent />
        <LocationProbe />
      </>,
      {
        catalog,
        initialRouteEntries: [
          '/?kind=Dataset&tag=crm&visibility=private&owner=data-platform',
        ],
      },
    );

    expect(
      await screen.findByRole('region', { name: 'Search results' }),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(searchCalls(catalog)[0]).toEqual(
        expect.objectContaining({
          query: {
            $all: [
              { kind: 'Dataset' },
              { 'relations.ownedBy': 'group:default/data-platform' },
              { 'metadata.tags': 'crm' },
              {
                $any: [
                  { 'spec.visibility': 'private' },
                  { 'spec.visibility': { $exists: false } },
                ],
              },
            ],
          },
          limit: RESULTS_PAGE_SIZE,
          fields: CARD_FIELDS,
        }),
      ),
    );
    expect(searchCalls(catalog)[0]).not.toHaveProperty('fullTextFilter');

    await user.click(screen.getByRole('checkbox', { name: 'Has a demo' }));
    expect(screen.getByTestId('location')).toHaveTextContent('demo=true');
    await waitFor(() => expect(searchCalls(catalog)).toHaveLength(2));
    expect(JSON.stringify(searchCalls(catalog)[1])).toContain(
      '"metadata.annotations.dataflex.io/demo-pipeline":{"$exists":true}',
    );

    await user.click(screen.getByRole('button', { name: 'Clear all' }));
    expect(screen.getByTestId('location')).toHaveTextContent(/^$/);
    expect(
      await screen.findByRole('region', { name: 'Public demos' }),
    ).toBeInTheDocument();
  });

  it('pages search results with the cursor, with the datasets’ version counts', async () => {
    const catalog = fakeCatalog();
    const user = userEvent.setup({ delay: null });
    renderBrowse(<BrowsePageContent />, {
      catalog,
      initialRouteEntries: ['/?q=cust'],
    });
    const results = await screen.findByRole('region', {
      name: 'Search results',
    });
    await within(results).findByRole('link', { name: 'Customers' });
    expect(await within(results).findByText('2 versions')).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    expect(
      await within(results).findByRole('link', { name: 'Zebra' }),
    ).toBeInTheDocument();
    expect(catalog.queryEntities).toHaveBeenLastCalledWith({
      cursor: 'search-cursor',
      limit: RESULTS_PAGE_SIZE,
      fields: CARD_FIELDS,
    });
    expect(within(results).getAllByRole('listitem')).toHaveLength(3);
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();

    expect(await seriousViolations(document.body)).toEqual([]);
  });

  it('goes back from a search to the rows with the browser', async () => {
    const catalog = fakeCatalog();
    const user = userEvent.setup({ delay: null });
    renderBrowse(
      <>
        <BrowsePageContent />
        <LocationProbe />
      </>,
      { catalog },
    );
    const box = await screen.findByRole('searchbox', {
      name: 'Search services and datasets',
    });
    await user.type(box, 'orders');
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent('?q=orders'),
    );
    expect(
      await screen.findByRole('region', { name: 'Search results' }),
    ).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Browser back' }));

    expect(screen.getByTestId('location')).toHaveTextContent(/^$/);
    expect(
      await screen.findByRole('region', { name: 'Public demos' }),
    ).toBeInTheDocument();
    expect(box).toHaveValue('');
  });

  it('says when nothing matches, and when the search fails', async () => {
    const catalog = fakeCatalog();
    catalog.queryEntities.mockImplementation(async request =>
      isInitial(request) && request.fullTextFilter?.term === 'broken'
        ? Promise.reject(new Error('catalog timed out'))
        : page([]),
    );
    const first = renderBrowse(<BrowsePageContent />, {
      catalog,
      initialRouteEntries: ['/?q=nothing'],
    });
    expect(
      await screen.findByText(
        'No services or datasets match. Try other words or fewer filters.',
      ),
    ).toBeInTheDocument();
    first.unmount();

    renderBrowse(<BrowsePageContent />, {
      catalog,
      initialRouteEntries: ['/?q=broken'],
    });
    expect(
      await screen.findByText('Search failed: catalog timed out'),
    ).toBeInTheDocument();
  });
});
