import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CARD_FIELDS } from '../BrowseQuery/browseQueries';
import {
  mockCatalog,
  page,
  renderBrowse,
  service,
} from '../BrowsePage/__testUtils__/fixtures';
import { mockIntersectionObserver } from '../BrowsePage/__testUtils__/mockIntersectionObserver';
import { BrowseRow } from './BrowseRow';

const request = {
  query: { kind: 'Component' },
  orderFields: { field: 'metadata.name', order: 'asc' as const },
  limit: 3,
  fields: CARD_FIELDS,
  totalItems: 'exclude' as const,
};

// Typing and rendering cards in jsdom is slow on a busy machine.
jest.setTimeout(30_000);

describe('BrowseRow', () => {
  let io: ReturnType<typeof mockIntersectionObserver>;
  beforeEach(() => {
    io = mockIntersectionObserver();
  });
  afterEach(() => io.restore());

  function renderRow(catalog: ReturnType<typeof mockCatalog>) {
    return renderBrowse(
      <BrowseRow
        title="Public demos"
        load={async () => request}
        emptyMessage="No public service has a demo yet."
      />,
      { catalog },
    );
  }

  it('fetches nothing until it scrolls into view, then one limited, projected page', async () => {
    const catalog = mockCatalog();
    catalog.queryEntities.mockResolvedValue(
      page([service('a-service', { title: 'A service' }), service('b')]),
    );
    renderRow(catalog);

    const row = await screen.findByRole('region', { name: 'Public demos' });
    expect(catalog.queryEntities).not.toHaveBeenCalled();
    // A placeholder that is not yet loaded is not an empty row.
    expect(within(row).getByRole('list')).toHaveAttribute('aria-busy', 'true');

    io.intersect(row);

    expect(
      await within(row).findByRole('link', { name: 'A service' }),
    ).toHaveAttribute('href', '/catalog/default/component/a-service');
    expect(within(row).getByRole('list')).toHaveAttribute('aria-busy', 'false');
    expect(within(row).getByRole('link', { name: 'b' })).toBeInTheDocument();
    expect(catalog.queryEntities).toHaveBeenCalledTimes(1);
    expect(catalog.queryEntities).toHaveBeenCalledWith(request);
  });

  it('asks for the next page with the cursor when its end scrolls into view', async () => {
    const catalog = mockCatalog();
    catalog.queryEntities
      .mockResolvedValueOnce(page([service('a'), service('b')], 'cursor-1'))
      .mockResolvedValueOnce(page([service('c')]));
    renderRow(catalog);
    const row = await screen.findByRole('region', { name: 'Public demos' });
    io.intersect(row);

    const more = await within(row).findByRole('button', {
      name: 'More Public demos',
    });
    io.intersect(more);

    expect(await within(row).findByRole('link', { name: 'c' })).toBeVisible();
    expect(catalog.queryEntities).toHaveBeenLastCalledWith({
      cursor: 'cursor-1',
      limit: 3,
      fields: CARD_FIELDS,
    });
    expect(within(row).getAllByRole('listitem')).toHaveLength(3);
    // The last page has no cursor: nothing more to ask for.
    expect(
      within(row).queryByRole('button', { name: 'More Public demos' }),
    ).not.toBeInTheDocument();
    expect(catalog.queryEntities).toHaveBeenCalledTimes(2);
  });

  it('pages with a fetcher of its own when no catalog query describes it, showing each entity once', async () => {
    const catalog = mockCatalog();
    const fetcher = jest
      .fn()
      .mockResolvedValueOnce({
        items: [service('a'), service('b')],
        nextCursor: 'grants-2',
      })
      .mockResolvedValueOnce({ items: [service('b'), service('c')] });
    renderBrowse(
      <BrowseRow
        title="Shared with me"
        load={async () => fetcher}
        emptyMessage="None."
      />,
      { catalog },
    );
    const row = await screen.findByRole('region', { name: 'Shared with me' });
    io.intersect(row);

    const more = await within(row).findByRole('button', {
      name: 'More Shared with me',
    });
    expect(fetcher).toHaveBeenCalledWith();
    io.intersect(more);

    expect(await within(row).findByRole('link', { name: 'c' })).toBeVisible();
    expect(fetcher).toHaveBeenLastCalledWith('grants-2');
    expect(within(row).getAllByRole('listitem')).toHaveLength(3);
    expect(
      within(row).queryByRole('button', { name: 'More Shared with me' }),
    ).not.toBeInTheDocument();
    expect(catalog.queryEntities).not.toHaveBeenCalled();
  });

  it('keeps one card in the tab order and moves focus with the arrow keys', async () => {
    const catalog = mockCatalog();
    catalog.queryEntities.mockResolvedValue(
      page([service('a'), service('b'), service('c')]),
    );
    const user = userEvent.setup({ delay: null });
    renderRow(catalog);
    const row = await screen.findByRole('region', { name: 'Public demos' });
    io.intersect(row);
    const [a, b, c] = await Promise.all(
      ['a', 'b', 'c'].map(name => within(row).findByRole('link', { name })),
    );
    expect([a, b, c].map(link => link.tabIndex)).toEqual([0, -1, -1]);

    await user.tab();
    expect(a).toHaveFocus();
    await user.keyboard('{ArrowRight}');
    expect(b).toHaveFocus();
    await user.keyboard('{ArrowRight}{ArrowRight}');
    expect(c).toHaveFocus();
    await user.keyboard('{ArrowLeft}');
    expect(b).toHaveFocus();
    await user.keyboard('{End}');
    expect(c).toHaveFocus();
    await user.keyboard('{Home}');
    expect(a).toHaveFocus();
    await user.keyboard('{End}');
    // The focused card is the one Tab comes back to.
    expect([a, b, c].map(link => link.tabIndex)).toEqual([-1, -1, 0]);
  });

  it('scrolls with its buttons', async () => {
    const catalog = mockCatalog();
    catalog.queryEntities.mockResolvedValue(page([service('a')], 'more'));
    const user = userEvent.setup({ delay: null });
    const scrollBy = jest.fn();
    Element.prototype.scrollBy = scrollBy;
    renderRow(catalog);
    const row = await screen.findByRole('region', { name: 'Public demos' });
    io.intersect(row);

    await user.click(
      await within(row).findByRole('button', {
        name: 'Scroll Public demos right',
      }),
    );
    expect(scrollBy).toHaveBeenCalledWith(
      expect.objectContaining({ behavior: 'smooth' }),
    );
    delete (Element.prototype as Partial<Element>).scrollBy;
  });

  it('says so when the row is empty', async () => {
    const catalog = mockCatalog();
    renderRow(catalog);
    const row = await screen.findByRole('region', { name: 'Public demos' });
    io.intersect(row);
    expect(
      await within(row).findByText('No public service has a demo yet.'),
    ).toBeInTheDocument();
    expect(within(row).queryByRole('link')).not.toBeInTheDocument();
    expect(within(row).getByRole('list')).toHaveAttribute('aria-busy', 'false');
  });

  it('shows a failure and retries', async () => {
    const catalog = mockCatalog();
    catalog.queryEntities
      .mockRejectedValueOnce(new Error('catalog unavailable'))
      .mockResolvedValueOnce(page([service('a')]));
    const user = userEvent.setup({ delay: null });
    renderRow(catalog);
    const row = await screen.findByRole('region', { name: 'Public demos' });
    io.intersect(row);

    expect(
      await within(row).findByText(
        'Could not load Public demos: catalog unavailable',
      ),
    ).toBeInTheDocument();
    await user.click(within(row).getByRole('button', { name: 'Retry' }));
    expect(await within(row).findByRole('link', { name: 'a' })).toBeVisible();
    await waitFor(() =>
      expect(within(row).queryByText(/Could not load/)).not.toBeInTheDocument(),
    );
  });
});
