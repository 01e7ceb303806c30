import { ResponseError } from '@backstage/errors';
import { mockApis, registerMswTestHooks } from '@backstage/frontend-test-utils';
import { AccessRequest } from '@dataflex/backstage-plugin-dataflex-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { AccessRequestsClient } from './AccessRequestsClient';

const baseUrl = 'http://backstage.test/api/dataflex';
const ref = { namespace: 'default', name: 'customers' };

const request: AccessRequest = {
  id: 'r1',
  dataset: 'dataset:default/customers',
  namespace: 'default',
  name: 'customers',
  requester: 'user:default/student',
  justification: 'Thesis',
  fields: {},
  scope: 'version',
  version: 2,
  status: 'pending',
  createdAt: '2026-11-22T10:00:00.000Z',
};

describe('AccessRequestsClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const discoveryApi = mockApis.discovery.mock({
    getBaseUrl: async () => baseUrl,
  });
  const fetchApi = mockApis.fetch({
    injectIdentityAuth: { token: 'user-token' },
  });
  const client = AccessRequestsClient.create({ discoveryApi, fetchApi });

  it('creates a request as JSON with the user token', async () => {
    const bodies: unknown[] = [];
    server.use(
      http.post(
        `${baseUrl}/datasets/default/customers/access-requests`,
        async ({ request: req }) => {
          expect(req.headers.get('authorization')).toBe('Bearer user-token');
          expect(req.headers.get('content-type')).toBe('application/json');
          bodies.push(await req.json());
          return HttpResponse.json(request, { status: 201 });
        },
      ),
    );

    const created = await client.createAccessRequest(ref, {
      justification: 'Thesis',
      scope: 'version',
      fields: { purpose: 'research' },
    });

    expect(created).toEqual(request);
    expect(bodies).toEqual([
      {
        justification: 'Thesis',
        scope: 'version',
        fields: { purpose: 'research' },
      },
    ]);
    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('dataflex');
  });

  it('lists with only the filters given, and encodes ids and names', async () => {
    const seen: string[] = [];
    server.use(
      http.get(`${baseUrl}/access-requests`, ({ request: req }) => {
        seen.push(new URL(req.url).search);
        return HttpResponse.json({ items: [request], nextCursor: 'c2' });
      }),
      http.post(
        `${baseUrl}/access-requests/:id/decision`,
        async ({ request: req, params }) => {
          seen.push(`${params.id} ${JSON.stringify(await req.json())}`);
          return HttpResponse.json({ ...request, status: 'rejected' });
        },
      ),
      http.get(`${baseUrl}/datasets/:ns/:name/grants`, ({ request: req }) => {
        seen.push(new URL(req.url).pathname + new URL(req.url).search);
        return HttpResponse.json({ items: [] });
      }),
    );

    expect(
      await client.listAccessRequests({
        role: 'approver',
        status: 'pending',
        cursor: 'c1',
      }),
    ).toEqual({ items: [request], nextCursor: 'c2' });
    await client.listAccessRequests();
    await client.decideAccessRequest('a/b', {
      decision: 'reject',
      reason: 'No',
    });
    await client.listDatasetGrants(
      { namespace: 'default', name: 'a b' },
      { status: 'active' },
    );

    expect(seen).toEqual([
      '?role=approver&status=pending&cursor=c1',
      '',
      'a/b {"decision":"reject","reason":"No"}',
      '/api/dataflex/datasets/default/a%20b/grants?status=active',
    ]);
  });

  it('revokes with or without a reason', async () => {
    const bodies: unknown[] = [];
    server.use(
      http.post(`${baseUrl}/grants/g1/revoke`, async ({ request: req }) => {
        bodies.push(await req.json());
        return HttpResponse.json({ id: 'g1', status: 'revoked' });
      }),
    );

    await client.revokeGrant('g1');
    await client.revokeGrant('g1', { reason: 'Project ended' });

    expect(bodies).toEqual([{}, { reason: 'Project ended' }]);
  });

  it('downloads the audit log as CSV with the user token', async () => {
    server.use(
      http.get(
        `${baseUrl}/datasets/default/customers/audit`,
        ({ request: req }) => {
          expect(req.headers.get('authorization')).toBe('Bearer user-token');
          expect(new URL(req.url).searchParams.get('format')).toBe('csv');
          return new HttpResponse('at,action\n2026-11-22,requested\n', {
            headers: { 'Content-Type': 'text/csv' },
          });
        },
      ),
    );

    const csv = await client.getDatasetAuditCsv(ref);

    expect(await csv.text()).toBe('at,action\n2026-11-22,requested\n');
  });

  it("throws a ResponseError with the backend's message", async () => {
    server.use(
      http.post(`${baseUrl}/access-requests/r1/decision`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'ConflictError',
              message: 'The request was already approved by priya',
            },
            response: { statusCode: 409 },
          },
          { status: 409 },
        ),
      ),
    );

    const error = await client
      .decideAccessRequest('r1', { decision: 'approve' })
      .catch(e => e);

    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.body.error.message).toBe(
      'The request was already approved by priya',
    );
  });
});
