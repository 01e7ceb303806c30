import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  dataset,
  mockCatalog,
  renderBrowse,
  service,
} from '../BrowsePage/__testUtils__/fixtures';
import { BrowseCard } from './BrowseCard';

jest.setTimeout(30_000);

const demoService = service('fraud-scoring', {
  title: 'Fraud Scoring',
  tags: ['fraud', 'ml', 'risk', 'payments'],
  owner: 'group:default/risk',
  annotations: {
    'dataflex.io/public': 'true',
    'dataflex.io/purpose': 'Scores every payment for fraud risk.',
    'dataflex.io/demo-pipeline': '- limit: 5',
  },
});

describe('BrowseCard', () => {
  it('shows a service with its owner, tags and demo badge', async () => {
    renderBrowse(<BrowseCard entity={demoService} />, {
      catalog: mockCatalog(),
    });
    const link = await screen.findByRole('link', { name: 'Fraud Scoring' });
    expect(link).toHaveAttribute(
      'href',
      '/catalog/default/component/fraud-scoring',
    );
    expect(screen.getByText('Service')).toBeInTheDocument();
    expect(screen.getByText('Demo')).toBeInTheDocument();
    expect(screen.getByText('Public')).toBeInTheDocument();
    expect(screen.getByText('#fraud')).toBeInTheDocument();
    expect(screen.getByText('+1')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /risk/ })).toHaveAttribute(
      'href',
      '/catalog/default/group/risk',
    );
    expect(screen.queryByText('Private')).not.toBeInTheDocument();
  });

  it('badges a dataset without a visibility as private, with its format', async () => {
    renderBrowse(
      <BrowseCard entity={dataset('customers', { format: 'parquet' })} />,
      {
        catalog: mockCatalog(),
      },
    );
    expect(await screen.findByText('Private')).toBeInTheDocument();
    expect(screen.getByText('parquet')).toBeInTheDocument();
    expect(screen.getByText('Dataset')).toBeInTheDocument();
    expect(screen.queryByText('Demo')).not.toBeInTheDocument();
  });

  it('shows how many versions a dataset has, when its entity says so', async () => {
    renderBrowse(
      <>
        <BrowseCard
          entity={dataset('customers', {
            title: 'Customers',
            latestVersion: 1,
          })}
        />
        <BrowseCard
          entity={dataset('orders', { title: 'Orders', latestVersion: 12 })}
        />
        <BrowseCard entity={dataset('refunds', { title: 'Refunds' })} />
        <BrowseCard
          entity={{
            ...dataset('returns', { title: 'Returns' }),
            metadata: {
              name: 'returns',
              title: 'Returns',
              annotations: { 'dataflex.io/latest-version': 'lots' },
            },
          }}
        />
      </>,
      { catalog: mockCatalog() },
    );
    const card = (title: string) =>
      screen
        .getByRole('link', { name: title })
        .closest<HTMLElement>('.MuiPaper-root')!;
    await screen.findByRole('link', { name: 'Customers' });
    expect(within(card('Customers')).getByText('1 version')).toBeVisible();
    expect(within(card('Orders')).getByText('12 versions')).toBeVisible();
    expect(within(card('Refunds')).queryByText(/version/)).toBeNull();
    expect(within(card('Returns')).queryByText(/version/)).toBeNull();
  });

  it('opens a preview with the schema and PII markers on keyboard focus', async () => {
    const catalog = mockCatalog();
    catalog.getEntitiesByRefs.mockResolvedValue({
      items: [
        {
          apiVersion: 'dataflex.io/v1alpha1',
          kind: 'Dataset',
          metadata: { name: 'customers' },
          spec: {
            schema: {
              columns: [
                { name: 'customer_id', type: 'string' },
                { name: 'email', type: 'string', pii: true },
                ...['a', 'b', 'c', 'd', 'e', 'f'].map(name => ({
                  name,
                  type: 'number',
                })),
              ],
            },
          },
        },
      ],
    });
    const user = userEvent.setup({ delay: null });
    renderBrowse(
      <BrowseCard
        entity={dataset('customers', {
          title: 'Customers',
          visibility: 'public',
        })}
      />,
      { catalog },
    );
    await screen.findByRole('link', { name: 'Customers' });
    expect(
      screen.queryByRole('group', { name: 'Customers preview' }),
    ).toBeNull();

    await user.tab();
    const preview = await screen.findByRole('group', {
      name: 'Customers preview',
    });
    const schema = await within(preview).findByRole('list', { name: 'Schema' });
    const email = within(schema).getByText('email').closest('li')!;
    expect(within(email).getByText('PII')).toBeInTheDocument();
    const id = within(schema).getByText('customer_id').closest('li')!;
    expect(within(id).queryByText('PII')).not.toBeInTheDocument();
    expect(within(preview).getByText('and 2 more columns')).toBeInTheDocument();
    // Only the schema is fetched, and only now.
    expect(catalog.getEntitiesByRefs).toHaveBeenCalledTimes(1);
    expect(catalog.getEntitiesByRefs).toHaveBeenCalledWith({
      entityRefs: ['dataset:default/customers'],
      fields: ['spec.schema'],
    });
    expect(
      within(preview).getByRole('button', {
        name: 'Request access to Customers',
      }),
    ).toHaveAttribute('href', '/catalog/default/dataset/customers');
    expect(
      within(preview).queryByRole('button', { name: /Try the demo/ }),
    ).not.toBeInTheDocument();

    // Tab moves into the preview's actions; Escape closes it and returns.
    await user.tab();
    expect(preview).toContainElement(document.activeElement as HTMLElement);
    await user.keyboard('{Escape}');
    await waitFor(() =>
      expect(
        screen.queryByRole('group', { name: 'Customers preview' }),
      ).not.toBeInTheDocument(),
    );
    expect(screen.getByRole('link', { name: 'Customers' })).toHaveFocus();
  });

  it("shows a service's purpose and demo action, and opens on hover", async () => {
    const catalog = mockCatalog();
    const user = userEvent.setup({ delay: null });
    renderBrowse(<BrowseCard entity={demoService} />, { catalog });
    await user.hover(
      await screen.findByRole('link', { name: 'Fraud Scoring' }),
    );

    const preview = await screen.findByRole('group', {
      name: 'Fraud Scoring preview',
    });
    expect(
      within(preview).getByText('Scores every payment for fraud risk.'),
    ).toBeInTheDocument();
    expect(
      within(preview).getByRole('button', {
        name: 'Try the demo of Fraud Scoring',
      }),
    ).toHaveAttribute('href', '/catalog/default/component/fraud-scoring');
    expect(
      within(preview).getByRole('button', { name: 'Open Fraud Scoring' }),
    ).toBeInTheDocument();
    expect(
      within(preview).queryByRole('button', { name: /Request access/ }),
    ).not.toBeInTheDocument();
    expect(catalog.getEntitiesByRefs).not.toHaveBeenCalled();

    await user.unhover(screen.getByRole('link', { name: 'Fraud Scoring' }));
    await waitFor(() =>
      expect(
        screen.queryByRole('group', { name: 'Fraud Scoring preview' }),
      ).not.toBeInTheDocument(),
    );
  });
});
