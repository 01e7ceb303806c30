import { useEffect, useState } from 'react';
import { createApp } from '@backstage/frontend-defaults';
import {
  createFrontendPlugin,
  identityApiRef,
  PageBlueprint,
  useApi,
} from '@backstage/frontend-plugin-api';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { signInModule } from './signInModule';

jest.setTimeout(30_000);

const backendBaseUrl = 'http://backend.test';
const authUrl = `${backendBaseUrl}/api/auth`;

const anilSession = {
  profile: { displayName: 'Anil Kumar', email: 'anil@dataflex.example.com' },
  providerInfo: {},
  backstageIdentity: {
    token: 'header.payload.signature',
    expiresInSeconds: 3600,
    identity: {
      type: 'user',
      userEntityRef: 'user:default/anil',
      ownershipEntityRefs: ['user:default/anil', 'group:default/data-platform'],
    },
  },
};

const errorBody = (status: number, name: string, message: string) =>
  Response.json(
    { error: { name, message }, response: { statusCode: status } },
    { status },
  );

/** Shows who the app believes is signed in, through the app's IdentityApi. */
function WhoAmI() {
  const identityApi = useApi(identityApiRef);
  const [whoami, setWhoami] = useState<string>();
  useEffect(() => {
    identityApi
      .getBackstageIdentity()
      .then(identity => setWhoami(identity.userEntityRef));
  }, [identityApi]);
  return <p>Signed in as {whoami}</p>;
}

const whoamiPlugin = createFrontendPlugin({
  pluginId: 'whoami',
  extensions: [
    PageBlueprint.make({
      params: { path: '/', loader: async () => <WhoAmI /> },
    }),
  ],
});

// A fresh app per test: an app keeps its signed-in identity for its lifetime.
function renderApp() {
  const app = createApp({ features: [signInModule, whoamiPlugin] });
  render(app.createRoot());
}

type Handler = (request: Request) => Response | Promise<Response>;

/**
 * Stands in for the backend: `routes` answers auth requests by method and
 * path; anything else is answered like an unknown route.
 */
function fakeBackend(routes: Record<string, Handler>) {
  const requests: Request[] = [];
  jest.spyOn(global, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    requests.push(request.clone());
    const path = request.url.replace(backendBaseUrl, '').split('?')[0];
    const handler = routes[`${request.method} ${path}`];
    if (handler) {
      return handler(request);
    }
    return errorBody(404, 'NotFoundError', `No route for ${request.url}`);
  });
  return requests;
}

function configure(providers?: string[]) {
  Object.assign(window, {
    __APP_CONFIG__: {
      app: { title: 'DataFlex', baseUrl: 'http://localhost:3000' },
      backend: { baseUrl: backendBaseUrl },
      ...(providers && { auth: { signInPage: { providers } } }),
    },
  });
}

describe('DataFlex sign-in page', () => {
  afterEach(() => {
    jest.restoreAllMocks();
    localStorage.clear();
  });

  it('signs in through the form, showing why a sign-in failed', async () => {
    configure();
    const requests = fakeBackend({
      'GET /api/auth/local/refresh': () =>
        errorBody(401, 'AuthenticationError', 'Not signed in'),
      'POST /api/auth/local/login': async request => {
        const body = await request.json();
        return body.password === 'dataflex-demo'
          ? Response.json(anilSession)
          : errorBody(
              401,
              'AuthenticationError',
              'Incorrect username or password',
            );
      },
    });

    renderApp();
    await userEvent.type(await screen.findByLabelText(/Username/), 'anil');
    await userEvent.type(screen.getByLabelText(/Password/), 'wrong');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Incorrect username or password',
    );
    expect(screen.getByLabelText(/Password/)).toHaveValue('');

    await userEvent.type(screen.getByLabelText(/Password/), 'dataflex-demo');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(
      await screen.findByText('Signed in as user:default/anil'),
    ).toBeInTheDocument();
    const logins = requests.filter(r => r.url === `${authUrl}/local/login`);
    expect(logins).toHaveLength(2);
    expect(logins[1].credentials).toBe('include');
    expect(logins[1].headers.get('X-Requested-With')).toBe('XMLHttpRequest');
    expect(await logins[1].json()).toEqual({
      username: 'anil',
      password: 'dataflex-demo',
    });
  });

  it('signs in without asking when the session cookie is still valid', async () => {
    configure(['local']);
    const requests = fakeBackend({
      'GET /api/auth/local/refresh': () => Response.json(anilSession),
    });

    renderApp();

    expect(
      await screen.findByText('Signed in as user:default/anil'),
    ).toBeInTheDocument();
    expect(screen.queryByLabelText(/Password/)).not.toBeInTheDocument();
    const refresh = requests.find(r => r.url === `${authUrl}/local/refresh`);
    expect(refresh?.credentials).toBe('include');
    expect(refresh?.headers.get('X-Requested-With')).toBe('XMLHttpRequest');
  });

  it('offers the configured SSO providers instead of the form', async () => {
    configure(['oidc', 'github']);
    const requests = fakeBackend({
      'GET /api/auth/oidc/refresh': () =>
        errorBody(401, 'AuthenticationError', 'No session'),
      'GET /api/auth/github/refresh': () =>
        errorBody(401, 'AuthenticationError', 'No session'),
    });

    renderApp();

    expect(await screen.findByText('Single sign-on')).toBeInTheDocument();
    expect(screen.getByText('GitHub')).toBeInTheDocument();
    expect(screen.getAllByRole('button', { name: 'Sign in' })).toHaveLength(2);
    expect(screen.queryByLabelText(/Password/)).not.toBeInTheDocument();
    expect(requests.map(r => r.url)).not.toContain(`${authUrl}/local/refresh`);
  });

  it('names unknown providers in the configuration', async () => {
    configure(['local', 'saml']);
    fakeBackend({
      'GET /api/auth/local/refresh': () =>
        errorBody(401, 'AuthenticationError', 'Not signed in'),
    });

    renderApp();

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Unknown sign-in providers in auth.signInPage.providers: saml',
    );
    expect(screen.getByLabelText(/Username/)).toBeInTheDocument();
  });
});
