import { LocalSignInIdentity } from './LocalSignInIdentity';

const discoveryApi = {
  getBaseUrl: async (pluginId: string) => `http://backend.test/api/${pluginId}`,
};

const session = (token: string, expiresInSeconds: number) => ({
  profile: { displayName: 'Anil Kumar' },
  providerInfo: {},
  backstageIdentity: {
    token,
    expiresInSeconds,
    identity: {
      type: 'user',
      userEntityRef: 'user:default/anil',
      ownershipEntityRefs: ['user:default/anil'],
    },
  },
});

describe('LocalSignInIdentity', () => {
  afterEach(() => {
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  it('is undefined without a session, and fails loudly on other errors', async () => {
    const fetchMock = jest
      .spyOn(global, 'fetch')
      .mockResolvedValueOnce(
        Response.json(
          {
            error: { name: 'AuthenticationError', message: 'Not signed in' },
            response: { statusCode: 401 },
          },
          { status: 401 },
        ),
      )
      .mockResolvedValueOnce(
        Response.json(
          {
            error: { name: 'Error', message: 'boom' },
            response: { statusCode: 500 },
          },
          { status: 500 },
        ),
      );

    await expect(
      LocalSignInIdentity.restore({ discoveryApi }),
    ).resolves.toBeUndefined();
    await expect(
      LocalSignInIdentity.restore({ discoveryApi }),
    ).rejects.toMatchObject({
      statusCode: 500,
      body: { error: { message: 'boom' } },
    });
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('renews the Backstage token from the cookie shortly before it expires', async () => {
    jest.useFakeTimers({ now: new Date('2026-05-01T10:00:00Z') });
    const fetchMock = jest
      .spyOn(global, 'fetch')
      .mockResolvedValueOnce(Response.json(session('first', 3600)))
      .mockResolvedValueOnce(Response.json(session('second', 3600)));

    const identity = await LocalSignInIdentity.restore({ discoveryApi });
    expect(identity?.getUserId()).toBe('anil');
    expect(await identity?.getCredentials()).toEqual({ token: 'first' });

    jest.setSystemTime(new Date('2026-05-01T10:54:00Z'));
    expect(await identity?.getCredentials()).toEqual({ token: 'first' });

    jest.setSystemTime(new Date('2026-05-01T10:56:00Z'));
    expect(await identity?.getCredentials()).toEqual({ token: 'second' });
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(fetchMock.mock.calls[1][0]).toBe(
      'http://backend.test/api/auth/local/refresh',
    );
  });

  it('signs out on the server', async () => {
    const fetchMock = jest
      .spyOn(global, 'fetch')
      .mockResolvedValueOnce(Response.json(session('first', 3600)))
      .mockResolvedValueOnce(new Response(null, { status: 204 }));

    const identity = await LocalSignInIdentity.signIn({
      discoveryApi,
      username: 'anil',
      password: 'dataflex-demo',
    });
    await identity.signOut();

    expect(fetchMock).toHaveBeenLastCalledWith(
      'http://backend.test/api/auth/local/logout',
      {
        method: 'POST',
        credentials: 'include',
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      },
    );
  });
});
