import { ResponseError } from '@backstage/errors';
import { mockApis, registerMswTestHooks } from '@backstage/frontend-test-utils';
import { HealthResponse } from '@dataflex/backstage-plugin-dataflex-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { DataflexClient } from './DataflexClient';

const baseUrl = 'http://dataflex.test/api/dataflex';

const healthy: HealthResponse = {
  status: 'ok',
  checkedAt: '2026-01-15T10:00:00.000Z',
  components: {
    database: { status: 'ok', kind: 'pg', latencyMs: 3 },
    storage: { status: 'ok', kind: 's3', latencyMs: 12 },
  },
};

const databaseDown: HealthResponse = {
  status: 'error',
  checkedAt: '2026-01-15T10:00:00.000Z',
  components: {
    database: {
      status: 'error',
      kind: 'pg',
      latencyMs: 2000,
      message: 'connect ECONNREFUSED',
    },
    storage: { status: 'ok', kind: 's3', latencyMs: 12 },
  },
};

function backstageError(name: string, message: string, statusCode: number) {
  return HttpResponse.json(
    {
      error: { name, message },
      request: { method: 'GET', url: '/api/dataflex/health' },
      response: { statusCode },
    },
    { status: statusCode },
  );
}

describe('DataflexClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const discoveryApi = mockApis.discovery.mock({
    getBaseUrl: async () => baseUrl,
  });
  // A token that only the fetch API adds, to prove requests go through it.
  const fetchApi = mockApis.fetch({
    injectIdentityAuth: { token: 'user-token' },
  });
  const client = new DataflexClient({ discoveryApi, fetchApi });

  describe('getHealth', () => {
    it('returns the report on 200, sent with the user token to the discovered URL', async () => {
      let authorization: string | null = null;
      server.use(
        http.get(`${baseUrl}/health`, ({ request }) => {
          authorization = request.headers.get('authorization');
          return HttpResponse.json(healthy);
        }),
      );

      await expect(client.getHealth()).resolves.toEqual(healthy);
      expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('dataflex');
      expect(authorization).toBe('Bearer user-token');
    });

    it('returns the report on 503 when a dependency is down', async () => {
      server.use(
        http.get(`${baseUrl}/health`, () =>
          HttpResponse.json(databaseDown, { status: 503 }),
        ),
      );

      await expect(client.getHealth()).resolves.toEqual(databaseDown);
    });

    it('throws on 503 without a health report', async () => {
      server.use(
        http.get(`${baseUrl}/health`, () =>
          backstageError(
            'ServiceUnavailableError',
            'Plugin dataflex is starting',
            503,
          ),
        ),
      );

      const error = await client.getHealth().catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(503);
      expect(error.cause.message).toBe('Plugin dataflex is starting');
    });

    it.each([
      [401, 'AuthenticationError', 'Missing credentials'],
      [500, 'Error', 'Something broke in the backend'],
    ])(
      'throws a ResponseError with the server message on %i',
      async (status, name, message) => {
        server.use(
          http.get(`${baseUrl}/health`, () =>
            backstageError(name, message, status),
          ),
        );

        const error = await client.getHealth().catch(e => e);
        expect(error).toBeInstanceOf(ResponseError);
        expect(error.statusCode).toBe(status);
        expect(error.cause).toMatchObject({ name, message });
      },
    );
  });
});
