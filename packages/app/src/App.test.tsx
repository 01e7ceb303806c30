import { render, screen, within } from '@testing-library/react';
import App from './App';

// Rendering the whole app in jsdom takes seconds on a small, busy machine.
jest.setTimeout(60_000);

const backendBaseUrl = 'http://backend.test';

// Stands in for the backend so the test neither needs nor reaches a running
// one; anything but the DataFlex health check is answered like an unknown
// route would be.
async function fakeBackend(input: RequestInfo | URL): Promise<Response> {
  const url = input instanceof Request ? input.url : String(input);
  // A valid local sign-in session, so the app signs in without the form.
  if (url === `${backendBaseUrl}/api/auth/local/refresh`) {
    return Response.json({
      profile: { displayName: 'Anil Kumar' },
      providerInfo: {},
      backstageIdentity: {
        token: 'header.payload.signature',
        expiresInSeconds: 3600,
        identity: {
          type: 'user',
          userEntityRef: 'user:default/anil',
          ownershipEntityRefs: ['user:default/anil'],
        },
      },
    });
  }
  if (url === `${backendBaseUrl}/api/dataflex/health`) {
    return Response.json({
      status: 'ok',
      checkedAt: '2026-01-15T10:00:00.000Z',
      components: {
        database: { status: 'ok', kind: 'pg', latencyMs: 3 },
        storage: { status: 'ok', kind: 's3', latencyMs: 12 },
      },
    });
  }
  return Response.json(
    { error: { name: 'NotFoundError', message: `No route for ${url}` } },
    { status: 404 },
  );
}

describe('App', () => {
  beforeEach(() => {
    jest.spyOn(global, 'fetch').mockImplementation(fakeBackend);
    // Picked up by the app's default config loader in place of app-config.yaml.
    Object.assign(window, {
      __APP_CONFIG__: {
        app: { title: 'Test', baseUrl: 'http://localhost:3000' },
        backend: { baseUrl: backendBaseUrl },
      },
    });
  });

  afterEach(() => {
    jest.restoreAllMocks();
    localStorage.clear();
  });

  it('shows the DataFlex page, linked from the sidebar', async () => {
    window.history.pushState({}, '', '/dataflex');

    render(App.createRoot());

    const nav = await screen.findByRole('navigation', { name: 'sidebar nav' });
    expect(within(nav).getByRole('link', { name: 'DataFlex' })).toHaveAttribute(
      'href',
      '/dataflex',
    );
    expect(
      screen.getByRole('heading', { level: 1, name: 'DataFlex' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('pg, 3 ms')).toBeInTheDocument();
  });
});
