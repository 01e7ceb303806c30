import {
  createExtensionTester,
  registerMswTestHooks,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { mockCatalog } from '../components/BrowsePage/__testUtils__/fixtures';
import plugin from './plugin';

// Rendering whole pages in jsdom takes seconds on a small, busy machine.
jest.setTimeout(30_000);

describe('dataflex alpha plugin', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('serves the DataFlex page at /dataflex, backed by the DataFlex backend', async () => {
    server.use(
      http.get('*/api/dataflex/health', () =>
        HttpResponse.json(
          {
            status: 'error',
            checkedAt: '2026-01-15T10:00:00.000Z',
            components: {
              database: { status: 'ok', kind: 'pg', latencyMs: 3 },
              storage: {
                status: 'error',
                kind: 's3',
                latencyMs: 5000,
                message: 'timeout',
              },
            },
          },
          { status: 503 },
        ),
      ),
    );

    renderTestApp({ features: [plugin], initialRouteEntries: ['/dataflex'] });

    expect(await screen.findByText('Portal status')).toBeInTheDocument();
    expect(
      await screen.findByText('s3, 5000 ms — timeout'),
    ).toBeInTheDocument();

    // The app supplies the page header; a second one would mean the page
    // brought its own legacy header along.
    expect(screen.getAllByRole('heading', { level: 1 })).toHaveLength(1);
    expect(
      screen.getByRole('heading', { level: 1, name: 'DataFlex' }),
    ).toBeInTheDocument();
  });

  it('adds the DataFlex page to the sidebar nav', async () => {
    server.use(
      http.get('*/api/dataflex/health', () =>
        HttpResponse.json({}, { status: 500 }),
      ),
    );

    renderTestApp({ features: [plugin], initialRouteEntries: ['/dataflex'] });

    const nav = await screen.findByRole('navigation', { name: 'sidebar nav' });
    expect(within(nav).getByRole('link', { name: 'DataFlex' })).toHaveAttribute(
      'href',
      '/dataflex',
    );
  });

  it('serves the browse page at /browse, in the sidebar nav', async () => {
    const catalog = mockCatalog();
    // Cards link to entity pages, which the catalog plugin mounts in an app.
    const entityPages = createFrontendPlugin({
      pluginId: 'catalog',
      extensions: [
        PageBlueprint.make({
          params: {
            path: '/catalog/:namespace/:kind/:name',
            routeRef: entityRouteRef,
            loader: async () => <div />,
          },
        }),
      ],
    });
    renderTestApp({
      features: [plugin, entityPages],
      initialRouteEntries: ['/browse'],
      apis: [[catalogApiRef, catalog]],
    });

    expect(
      await screen.findByRole('searchbox', {
        name: 'Search services and datasets',
      }),
    ).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'sidebar nav' });
    expect(within(nav).getByRole('link', { name: 'Browse' })).toHaveAttribute(
      'href',
      '/browse',
    );
    await waitFor(() => expect(catalog.queryEntities).toHaveBeenCalled());
  });

  it('serves the profile page at /dataflex/profile, loaded from the DataFlex backend', async () => {
    server.use(
      http.get('*/api/dataflex/profiles/me', () =>
        HttpResponse.json({
          userEntityRef: 'user:default/anil',
          displayName: 'Anil Kumar',
          skills: [],
          visibility: {
            displayName: 'public',
            bio: 'private',
            organization: 'private',
            skills: 'private',
          },
        }),
      ),
    );

    renderTestApp({
      features: [plugin],
      initialRouteEntries: ['/dataflex/profile'],
    });

    expect(
      await screen.findByRole('textbox', { name: /Display name/ }),
    ).toHaveValue('Anil Kumar');
    expect(
      screen.getByRole('heading', { level: 1, name: 'My profile' }),
    ).toBeInTheDocument();
  });

  it('serves the access requests inbox at /dataflex/access, where the notifications link', async () => {
    const roles: string[] = [];
    server.use(
      http.get('*/api/dataflex/access-requests', ({ request }) => {
        roles.push(new URL(request.url).searchParams.get('role') ?? '');
        return HttpResponse.json({
          items:
            new URL(request.url).searchParams.get('role') === 'requester'
              ? [
                  {
                    id: 'r1',
                    dataset: 'dataset:default/customers',
                    namespace: 'default',
                    name: 'customers',
                    requester: 'user:default/student',
                    justification: 'Thesis',
                    fields: {},
                    scope: 'version',
                    version: 1,
                    status: 'pending',
                    createdAt: '2026-11-22T10:00:00.000Z',
                  },
                ]
              : [],
        });
      }),
      http.get('*/api/dataflex/grants', () => HttpResponse.json({ items: [] })),
    );

    // Rows link to dataset pages, which the catalog plugin mounts in an app.
    const entityPages = createFrontendPlugin({
      pluginId: 'catalog',
      extensions: [
        PageBlueprint.make({
          params: {
            path: '/catalog/:namespace/:kind/:name',
            routeRef: entityRouteRef,
            loader: async () => <div />,
          },
        }),
      ],
    });
    renderTestApp({
      features: [plugin, entityPages],
      initialRouteEntries: ['/dataflex/access'],
    });

    const table = await screen.findByRole('table', { name: 'My requests' });
    expect(within(table).getByText('Pending')).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'My requests' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(
      screen.getByRole('heading', { level: 1, name: 'Access' }),
    ).toBeInTheDocument();
    expect(roles).toEqual(expect.arrayContaining(['requester', 'approver']));
  });

  it('shows the owner card on datasets and services only', () => {
    const card = plugin.getExtension('entity-card:dataflex/owner-profiles');
    const tester = createExtensionTester(card);
    const shows = tester.get(EntityCardBlueprint.dataRefs.filterFunction)!;
    const entity = (kind: string, type?: string): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind,
      metadata: { name: 'x' },
      spec: type ? { type } : {},
    });

    expect(shows(entity('Dataset'))).toBe(true);
    expect(shows(entity('Component', 'service'))).toBe(true);
    expect(shows(entity('Component', 'website'))).toBe(false);
    expect(shows(entity('Group'))).toBe(false);
    expect(tester.get(EntityCardBlueprint.dataRefs.type)).toBe('info');
  });
});
