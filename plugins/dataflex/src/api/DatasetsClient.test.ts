import { ResponseError } from '@backstage/errors';
import { mockApis, registerMswTestHooks } from '@backstage/frontend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { DatasetsClient, UploadError } from './DatasetsClient';

const baseUrl = 'http://dataflex.test/api/dataflex';
const ref = { namespace: 'default', name: 'customers' };

describe('DatasetsClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const discoveryApi = mockApis.discovery.mock({
    getBaseUrl: async () => baseUrl,
  });
  const fetchApi = mockApis.fetch({
    injectIdentityAuth: { token: 'user-token' },
  });
  const identityApi = { getCredentials: async () => ({ token: 'user-token' }) };
  const client = DatasetsClient.create({ discoveryApi, fetchApi, identityApi });

  describe('listDatasets', () => {
    it('asks for several datasets by ref in one request', async () => {
      let url: URL | undefined;
      server.use(
        http.get(`${baseUrl}/datasets`, ({ request }) => {
          url = new URL(request.url);
          return HttpResponse.json({
            items: [{ ref: 'dataset:default/customers', latestVersion: 2 }],
          });
        }),
      );

      await expect(
        client.listDatasets({
          refs: ['dataset:default/customers', 'dataset:default/orders'],
          limit: 2,
        }),
      ).resolves.toEqual({
        items: [{ ref: 'dataset:default/customers', latestVersion: 2 }],
      });
      expect(url?.searchParams.getAll('ref')).toEqual([
        'dataset:default/customers',
        'dataset:default/orders',
      ]);
      expect(url?.searchParams.get('limit')).toBe('2');
    });
  });

  describe('uploadVersionWithProgress', () => {
    it('posts the file and note as multipart with the user token', async () => {
      let authorization: string | null = null;
      let note: FormDataEntryValue | null = null;
      let content: string | undefined;
      server.use(
        http.post(
          `${baseUrl}/datasets/default/customers/versions`,
          async ({ request }) => {
            authorization = request.headers.get('authorization');
            const form = await request.formData();
            note = form.get('changeNote');
            content = await (form.get('file') as File).text();
            return HttpResponse.json({ version: 3 }, { status: 201 });
          },
        ),
      );

      await expect(
        client.uploadVersionWithProgress(ref, new Blob(['id\n1\n']), {
          filename: 'customers.csv',
          changeNote: 'Fresh',
        }),
      ).resolves.toEqual({ version: 3 });
      expect(authorization).toBe('Bearer user-token');
      expect(note).toBe('Fresh');
      expect(content).toBe('id\n1\n');
    });

    it("rejects with the backend's message and status", async () => {
      server.use(
        http.post(`${baseUrl}/datasets/default/customers/versions`, () =>
          HttpResponse.json(
            {
              error: {
                name: 'InputError',
                message: 'Line 3 has 4 fields, the header has 2',
              },
            },
            { status: 400 },
          ),
        ),
      );

      const error = await client
        .uploadVersionWithProgress(ref, new Blob(['x']), {
          filename: 'bad.csv',
        })
        .catch(e => e);
      expect(error).toBeInstanceOf(UploadError);
      expect(error.message).toBe('Line 3 has 4 fields, the header has 2');
      expect(error.statusCode).toBe(400);
    });
  });

  describe('demos', () => {
    it('runs a demo with a POST carrying the user token', async () => {
      let authorization: string | null = null;
      server.use(
        http.post(`${baseUrl}/demos/default/cleaner/runs`, ({ request }) => {
          authorization = request.headers.get('authorization');
          return HttpResponse.json({ runId: 'r1' });
        }),
      );

      await expect(
        client.runDemo({ namespace: 'default', name: 'cleaner' }),
      ).resolves.toEqual({ runId: 'r1' });
      expect(authorization).toBe('Bearer user-token');
    });

    it('throws a ResponseError with the message on 429', async () => {
      server.use(
        http.post(`${baseUrl}/demos/default/cleaner/runs`, () =>
          HttpResponse.json(
            {
              error: { name: 'Error', message: 'Too many demo runs' },
              request: { method: 'POST', url: '/demos/default/cleaner/runs' },
              response: { statusCode: 429 },
            },
            { status: 429 },
          ),
        ),
      );

      const error = await client
        .runDemo({ namespace: 'default', name: 'cleaner' })
        .catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(429);
      expect(error.body.error.message).toBe('Too many demo runs');
    });

    it('reads run counts', async () => {
      server.use(
        http.get(`${baseUrl}/demos/default/cleaner/stats`, () =>
          HttpResponse.json({ runs: 3, succeeded: 2, failed: 1 }),
        ),
      );

      await expect(
        client.getDemoStats({ namespace: 'default', name: 'cleaner' }),
      ).resolves.toEqual({ runs: 3, succeeded: 2, failed: 1 });
    });
  });
});
