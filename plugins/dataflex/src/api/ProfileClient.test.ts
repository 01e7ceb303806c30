import { ResponseError } from '@backstage/errors';
import { Profile } from '@dataflex/backstage-plugin-dataflex-common';
import { mockApis, registerMswTestHooks } from '@backstage/frontend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ProfileClient } from './ProfileClient';

const baseUrl = 'http://backstage.test/api/dataflex';

const profile: Profile = {
  userEntityRef: 'user:default/anil',
  displayName: 'Anil Kumar',
  bio: 'Keeps the pipelines running',
  skills: ['SQL'],
  visibility: {
    displayName: 'public',
    bio: 'private',
    organization: 'private',
    skills: 'public',
  },
};

const { userEntityRef: _, ...update } = profile;

describe('ProfileClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const discoveryApi = mockApis.discovery.mock({
    getBaseUrl: async () => baseUrl,
  });
  const fetchApi = mockApis.fetch({
    injectIdentityAuth: { token: 'user-token' },
  });
  const client = new ProfileClient({ discoveryApi, fetchApi });

  it('reads and replaces the signed-in user’s profile with their token', async () => {
    const bodies: unknown[] = [];
    server.use(
      http.get(`${baseUrl}/profiles/me`, ({ request }) => {
        expect(request.headers.get('authorization')).toBe('Bearer user-token');
        return HttpResponse.json(profile);
      }),
      http.put(`${baseUrl}/profiles/me`, async ({ request }) => {
        expect(request.headers.get('authorization')).toBe('Bearer user-token');
        expect(request.headers.get('content-type')).toBe('application/json');
        bodies.push(await request.json());
        return HttpResponse.json({ ...profile, updatedAt: '2026-01-01' });
      }),
    );

    expect(await client.getMyProfile()).toEqual(profile);
    expect(await client.updateMyProfile(update)).toEqual({
      ...profile,
      updatedAt: '2026-01-01',
    });
    expect(bodies).toEqual([update]);
    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('dataflex');
  });

  it('asks for another user’s profile and an owner’s profiles, encoded', async () => {
    const seen: string[] = [];
    server.use(
      http.get(`${baseUrl}/profiles/:namespace/:name`, ({ request }) => {
        seen.push(new URL(request.url).pathname);
        return HttpResponse.json({ userEntityRef: 'user:default/anil' });
      }),
      http.get(`${baseUrl}/profiles/by-owner`, ({ request }) => {
        seen.push(new URL(request.url).search);
        return HttpResponse.json({ owner: 'x', items: [], truncated: false });
      }),
    );

    await client.getProfile({ namespace: 'default', name: 'anil' });
    await client.getOwnerProfiles('group:default/data-platform');

    expect(seen).toEqual([
      '/api/dataflex/profiles/default/anil',
      '?entityRef=group%3Adefault%2Fdata-platform',
    ]);
  });

  it("throws the backend's error for a refused save", async () => {
    server.use(
      http.put(`${baseUrl}/profiles/me`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'InputError',
              message: 'displayName: must not be empty',
            },
            request: { method: 'PUT', url: '/api/dataflex/profiles/me' },
            response: { statusCode: 400 },
          },
          { status: 400 },
        ),
      ),
    );

    const error = await client
      .updateMyProfile({ ...update, displayName: ' ' })
      .catch(e => e);

    expect(error).toBeInstanceOf(ResponseError);
    expect(error.response.status).toBe(400);
    expect(error.body.error.message).toBe('displayName: must not be empty');
  });
});
