import { ResponseError } from '@backstage/errors';
import { mockApis, registerMswTestHooks } from '@backstage/frontend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { RbacClient } from './RbacClient';

const baseUrl = 'http://backstage.test/api/permission';

describe('RbacClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const discoveryApi = mockApis.discovery.mock({
    getBaseUrl: async () => baseUrl,
  });
  const fetchApi = mockApis.fetch({
    injectIdentityAuth: { token: 'user-token' },
  });
  const client = new RbacClient({ discoveryApi, fetchApi });

  it('asks the permission plugin to explain, with the entity and optional user', async () => {
    const seen: string[] = [];
    server.use(
      http.get(`${baseUrl}/dataflex/explain`, ({ request }) => {
        seen.push(new URL(request.url).search);
        expect(request.headers.get('authorization')).toBe('Bearer user-token');
        return HttpResponse.json({ user: {}, entityRef: 'x', permissions: [] });
      }),
    );

    await client.explain({ entityRef: 'dataset:default/customers' });
    await client.explain({
      entityRef: 'dataset:default/customers',
      userEntityRef: 'user:default/student',
    });

    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('permission');
    expect(seen).toEqual([
      '?entityRef=dataset%3Adefault%2Fcustomers',
      '?entityRef=dataset%3Adefault%2Fcustomers&userEntityRef=user%3Adefault%2Fstudent',
    ]);
  });

  it("throws the backend's error for a refused question", async () => {
    server.use(
      http.get(`${baseUrl}/dataflex/explain`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message: 'Only admins may explain what another user can do',
            },
            request: { method: 'GET', url: '/api/permission/dataflex/explain' },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    const error = await client
      .explain({ entityRef: 'x', userEntityRef: 'user:default/anil' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.body.error.message).toBe(
      'Only admins may explain what another user can do',
    );
  });
});
