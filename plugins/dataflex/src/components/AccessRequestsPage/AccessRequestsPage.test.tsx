import { fetchApiRef } from '@backstage/core-plugin-api';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  AccessGrant,
  AccessRequest,
} from '@dataflex/backstage-plugin-dataflex-common';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  AccessRequestsApi,
  accessRequestsApiRef,
  DatasetsApi,
  datasetsApiRef,
  rbacApiRef,
} from '../../api';
import { accessRouteRef } from '../../routes';
import { ACCESS_SIGNAL_CHANNEL } from '@dataflex/backstage-plugin-dataflex-common';
import { AccessRequestsPageContent } from './AccessRequestsPage';

// Material UI tables and dialogs in jsdom are slow on a busy machine.
jest.setTimeout(60_000);

function request(overrides: Partial<AccessRequest>): AccessRequest {
  return {
    id: 'r1',
    dataset: 'dataset:default/customers',
    namespace: 'default',
    name: 'customers',
    requester: 'user:default/student',
    justification: 'Thesis on churn',
    fields: {},
    scope: 'version',
    version: 2,
    status: 'pending',
    createdAt: '2026-11-22T10:00:00.000Z',
    ...overrides,
  };
}

const grant: AccessGrant = {
  id: 'g1',
  dataset: 'dataset:default/customers',
  namespace: 'default',
  name: 'customers',
  grantee: 'user:default/student',
  fromVersion: 2,
  toVersion: 2,
  status: 'active',
  requestId: 'r2',
  createdBy: 'user:default/anil',
  createdAt: '2026-11-22T11:00:00.000Z',
};

function conflict(): Error {
  return Object.assign(new Error('Request failed with 409 Conflict'), {
    statusCode: 409,
    body: {
      error: {
        name: 'ConflictError',
        message: 'The request is no longer pending',
      },
    },
  });
}

function mockAccessApi(
  overrides: Partial<AccessRequestsApi> = {},
): jest.Mocked<AccessRequestsApi> {
  return {
    getDatasetAccess: jest.fn(),
    createAccessRequest: jest.fn(),
    listAccessRequests: jest.fn(async () => ({ items: [] })),
    getAccessRequest: jest.fn(),
    decideAccessRequest: jest.fn(async (id, { decision }) =>
      request({
        id,
        status: decision === 'approve' ? 'approved' : 'rejected',
        decidedBy: 'user:default/anil',
      }),
    ),
    withdrawAccessRequest: jest.fn(async id =>
      request({ id, status: 'withdrawn' }),
    ),
    listDatasetGrants: jest.fn(),
    createDatasetGrant: jest.fn(),
    listOwnGrants: jest.fn(async () => ({ items: [grant] })),
    revokeGrant: jest.fn(),
    getDatasetAudit: jest.fn(),
    getDatasetAuditCsv: jest.fn(),
    ...overrides,
  } as jest.Mocked<AccessRequestsApi>;
}

const datasetsApi = {
  getContentUrl: jest.fn(
    async (ref, version) =>
      `http://localhost:7007/api/dataflex/datasets/${ref.namespace}/${ref.name}/versions/${version}/content`,
  ),
} as Partial<DatasetsApi> as DatasetsApi;

/**
 * The app's fetch API as far as the download links need it: DataFlex's
 * cookie endpoint answers, or refuses when `cookieStatus` says so.
 */
function cookieFetchApi(cookieStatus = 200) {
  return {
    fetch: jest.fn(async (input: RequestInfo | URL) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.endsWith('/api/dataflex/.backstage/auth/v1/cookie')) {
        return cookieStatus === 200
          ? Response.json({ expiresAt: '2999-01-01T00:00:00.000Z' })
          : Response.json(
              { error: { name: 'Error', message: 'Cookie refused' } },
              { status: cookieStatus },
            );
      }
      return Response.json({}, { status: 404 });
    }),
  };
}

/** A signal API whose messages the test sends. */
function mockSignals() {
  const listeners = new Map<string, Array<(message: any) => void>>();
  return {
    api: {
      subscribe: (channel: string, onMessage: (message: any) => void) => {
        listeners.set(channel, [...(listeners.get(channel) ?? []), onMessage]);
        return {
          unsubscribe: () =>
            listeners.set(
              channel,
              (listeners.get(channel) ?? []).filter(l => l !== onMessage),
            ),
        };
      },
    },
    send(channel: string, message: object) {
      act(() => (listeners.get(channel) ?? []).forEach(l => l(message)));
    },
  };
}

function renderPage(
  accessApi: AccessRequestsApi,
  options: { route?: string; signals?: ReturnType<typeof mockSignals> } = {},
) {
  const signals = options.signals ?? mockSignals();
  return renderInTestApp(<AccessRequestsPageContent />, {
    apis: [
      [accessRequestsApiRef, accessApi],
      [datasetsApiRef, datasetsApi],
      [rbacApiRef, {} as any],
      [signalApiRef, signals.api],
      [fetchApiRef, cookieFetchApi()],
    ],
    initialRouteEntries: [options.route ?? '/dataflex/access'],
    mountedRoutes: {
      '/catalog/:namespace/:kind/:name': entityRouteRef,
      '/dataflex/access': accessRouteRef,
    },
  });
}

function approvalsApi(items: AccessRequest[]) {
  return mockAccessApi({
    listAccessRequests: jest.fn(async options =>
      options?.role === 'approver' ? { items } : { items: [] },
    ),
  });
}

describe('AccessRequestsPage', () => {
  it('lists my requests with status, reason, granted scope, download and withdraw', async () => {
    const api = mockAccessApi({
      listAccessRequests: jest.fn(async options =>
        options?.role === 'requester'
          ? {
              items: [
                request({ id: 'r1' }),
                request({
                  id: 'r2',
                  status: 'approved',
                  decidedBy: 'user:default/anil',
                  decisionReason: 'Fine for the thesis',
                  grantId: 'g1',
                }),
                request({
                  id: 'r3',
                  status: 'rejected',
                  decidedBy: 'user:default/priya',
                  decisionReason: 'Use the clean dataset',
                  retryAfter: '2026-11-29T10:00:00.000Z',
                }),
              ],
            }
          : { items: [] },
      ),
    });
    const user = userEvent.setup({ delay: null });
    renderPage(api);

    const table = await screen.findByRole('table', { name: 'My requests' });
    const approved = within(table).getByTestId('request-r2');
    expect(within(approved).getByText('Approved')).toBeInTheDocument();
    expect(
      within(approved).getByText('“Fine for the thesis”'),
    ).toBeInTheDocument();
    expect(
      await within(approved).findByRole('link', {
        name: 'Download version 2',
      }),
    ).toHaveAttribute(
      'href',
      'http://localhost:7007/api/dataflex/datasets/default/customers/versions/2/content',
    );
    const rejected = within(table).getByTestId('request-r3');
    expect(within(rejected).getByText('Rejected')).toBeInTheDocument();
    expect(
      within(rejected).getByText(/You may ask again after/),
    ).toBeInTheDocument();
    expect(
      within(rejected).queryByRole('button', { name: /Withdraw/ }),
    ).toBeNull();
    expect(api.listAccessRequests).toHaveBeenCalledWith(
      expect.objectContaining({ role: 'requester' }),
    );

    await user.click(
      within(within(table).getByTestId('request-r1')).getByRole('button', {
        name: 'Withdraw request for customers',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Withdraw' }));

    await waitFor(() =>
      expect(
        within(within(table).getByTestId('request-r1')).getByText('Withdrawn'),
      ).toBeInTheDocument(),
    );
    expect(api.withdrawAccessRequest).toHaveBeenCalledWith('r1');
  });

  it('shows the columns of both tables, with what each says of a request', async () => {
    const decided = request({
      id: 'r2',
      status: 'rejected',
      fields: { purpose: 'research' },
      endsAt: '2026-12-31T00:00:00.000Z',
      decidedBy: 'user:default/anil',
      decisionReason: 'Use the clean dataset',
    });
    const api = mockAccessApi({
      listAccessRequests: jest.fn(async () => ({ items: [decided] })),
    });
    const cellsOf = async (name: string, testId: string) => {
      const table = await screen.findByRole('table', { name });
      return {
        headers: within(table)
          .getAllByRole('columnheader')
          .map(header => header.textContent),
        cells: within(within(table).getByTestId(testId))
          .getAllByRole('cell')
          .map(cell => cell.textContent),
      };
    };
    const { unmount } = renderPage(api);
    const mine = await cellsOf('My requests', 'request-r2');
    unmount();
    renderPage(api, { route: '/dataflex/access?tab=approvals' });
    const approvals = await cellsOf('Pending approvals', 'approval-r2');

    const dataset = 'customers';
    const askedFor = expect.stringMatching(/^version 2until \S/);
    const createdAt = expect.stringMatching(/2026/);
    expect(mine).toEqual({
      headers: [
        'Dataset',
        'Asked for',
        'Requested',
        'Status',
        'Decision',
        'Access',
        'Actions',
      ],
      cells: [
        dataset,
        askedFor,
        createdAt,
        'Rejected',
        'by anil“Use the clean dataset”',
        '',
        '',
      ],
    });
    expect(approvals).toEqual({
      headers: [
        '',
        'Dataset',
        'Requester',
        'Justification',
        'Asked for',
        'Requested',
        'Status',
        'Actions',
      ],
      cells: [
        '',
        dataset,
        'student',
        'Thesis on churnpurpose: research',
        askedFor,
        createdAt,
        'Rejectedby anil“Use the clean dataset”',
        '',
      ],
    });
    // Both tables write the time the same way.
    expect(mine.cells[2]).toBe(approvals.cells[5]);
  });

  it('says when access from an approved request has ended', async () => {
    const api = mockAccessApi({
      listAccessRequests: jest.fn(async () => ({
        items: [request({ id: 'r2', status: 'approved', grantId: 'gone' })],
      })),
    });
    renderPage(api);

    expect(
      await screen.findByText('Access ended (revoked or expired)'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /Download/ })).toBeNull();
  });

  it('approves a pending request from the approvals tab', async () => {
    const api = approvalsApi([request({ id: 'r1' })]);
    const user = userEvent.setup({ delay: null });
    renderPage(api, { route: '/dataflex/access?tab=approvals' });

    const table = await screen.findByRole('table', {
      name: 'Pending approvals',
    });
    expect(within(table).getByText('Thesis on churn')).toBeInTheDocument();
    await user.click(
      within(table).getByRole('button', {
        name: 'Approve request from student on customers',
      }),
    );

    expect(await screen.findByText('Approved 1 request.')).toBeInTheDocument();
    expect(api.decideAccessRequest).toHaveBeenCalledWith('r1', {
      decision: 'approve',
    });
    expect(within(table).getByText('Approved')).toBeInTheDocument();
    expect(
      within(table).queryByRole('checkbox', {
        name: 'Select request from student on customers',
      }),
    ).toBeNull();
  });

  it("updates the tab's count after the user's own decision", async () => {
    let pending = [request({ id: 'r1' }), request({ id: 'r2' })];
    const api = mockAccessApi({
      listAccessRequests: jest.fn(async options =>
        options?.role === 'approver' ? { items: pending } : { items: [] },
      ),
    });
    api.decideAccessRequest.mockImplementation(async id => {
      pending = pending.filter(r => r.id !== id);
      return request({ id, status: 'approved' });
    });
    const user = userEvent.setup({ delay: null });
    renderPage(api, { route: '/dataflex/access?tab=approvals' });

    const tab = await screen.findByRole('tab', { name: /Pending approvals/ });
    await waitFor(() => expect(tab).toHaveTextContent('2'));
    await user.click(
      within(await screen.findByTestId('approval-r1')).getByRole('button', {
        name: /Approve/,
      }),
    );

    await waitFor(() => expect(tab).toHaveTextContent(/approvals1$/));
  });

  it('asks for a reason before rejecting', async () => {
    const api = approvalsApi([request({ id: 'r1' })]);
    const user = userEvent.setup({ delay: null });
    renderPage(api, { route: '/dataflex/access?tab=approvals' });

    await user.click(
      await screen.findByRole('button', {
        name: 'Reject request from student on customers',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Reject' }));
    expect(
      await within(dialog).findByText('Reason is required'),
    ).toBeInTheDocument();
    expect(api.decideAccessRequest).not.toHaveBeenCalled();

    await user.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'Use the clean dataset',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Reject' }));

    expect(await screen.findByText('Rejected 1 request.')).toBeInTheDocument();
    expect(api.decideAccessRequest).toHaveBeenCalledWith('r1', {
      decision: 'reject',
      reason: 'Use the clean dataset',
    });
  });

  it('approves the selected requests together', async () => {
    const api = approvalsApi([
      request({ id: 'r1' }),
      request({ id: 'r2', requester: 'user:default/guest' }),
      request({ id: 'r3', requester: 'user:default/mei' }),
    ]);
    const user = userEvent.setup({ delay: null });
    renderPage(api, { route: '/dataflex/access?tab=approvals' });

    const approve = await screen.findByRole('button', {
      name: 'Approve selected',
    });
    expect(approve).toBeDisabled();
    await user.click(
      screen.getByRole('checkbox', {
        name: 'Select request from student on customers',
      }),
    );
    await user.click(
      screen.getByRole('checkbox', {
        name: 'Select request from mei on customers',
      }),
    );
    expect(screen.getByText('2 selected')).toBeInTheDocument();
    await user.click(approve);

    expect(await screen.findByText('Approved 2 requests.')).toBeInTheDocument();
    expect(api.decideAccessRequest.mock.calls.map(([id]) => id)).toEqual([
      'r1',
      'r3',
    ]);
  });

  it('rejects every request once the select-all box is ticked, with one reason', async () => {
    const api = approvalsApi([
      request({ id: 'r1' }),
      request({ id: 'r2', requester: 'user:default/guest' }),
    ]);
    const user = userEvent.setup({ delay: null });
    renderPage(api, { route: '/dataflex/access?tab=approvals' });

    await user.click(
      await screen.findByRole('checkbox', {
        name: 'Select all pending requests',
      }),
    );
    await user.click(screen.getByRole('button', { name: 'Reject selected' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('Reject 2 requests')).toBeInTheDocument();
    await user.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'Not for students',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Reject' }));

    expect(await screen.findByText('Rejected 2 requests.')).toBeInTheDocument();
    expect(api.decideAccessRequest.mock.calls).toEqual([
      ['r1', { decision: 'reject', reason: 'Not for students' }],
      ['r2', { decision: 'reject', reason: 'Not for students' }],
    ]);
  });

  it('explains a 409 and shows the decision someone else made', async () => {
    const api = approvalsApi([request({ id: 'r1' })]);
    api.decideAccessRequest.mockRejectedValue(conflict());
    api.getAccessRequest.mockResolvedValue(
      request({
        id: 'r1',
        status: 'rejected',
        decidedBy: 'user:default/priya',
        decisionReason: 'Duplicate',
      }),
    );
    const user = userEvent.setup({ delay: null });
    renderPage(api, { route: '/dataflex/access?tab=approvals' });

    await user.click(
      await screen.findByRole('button', {
        name: 'Approve request from student on customers',
      }),
    );

    expect(
      await screen.findByText(
        'The request from student on customers was already rejected by priya; its row now shows that.',
      ),
    ).toBeInTheDocument();
    const row = screen.getByTestId('approval-r1');
    expect(within(row).getByText('Rejected')).toBeInTheDocument();
    expect(within(row).getByText('“Duplicate”')).toBeInTheDocument();
    expect(within(row).queryByRole('button', { name: /Approve/ })).toBeNull();
  });

  it('reloads when a signal says a request changed', async () => {
    const signals = mockSignals();
    let items = [request({ id: 'r1' })];
    const api = mockAccessApi({
      listAccessRequests: jest.fn(async options =>
        options?.role === 'approver' ? { items } : { items: [] },
      ),
    });
    renderPage(api, { route: '/dataflex/access?tab=approvals', signals });

    await screen.findByTestId('approval-r1');
    expect(screen.getByText('Updates as requests change')).toBeInTheDocument();
    items = [request({ id: 'r9', requester: 'user:default/guest' }), ...items];
    signals.send(ACCESS_SIGNAL_CHANNEL, {
      type: 'request-created',
      dataset: 'dataset:default/customers',
      requestId: 'r9',
    });

    expect(await screen.findByTestId('approval-r9')).toBeInTheDocument();
  });

  it('pages on with the cursor', async () => {
    const api = mockAccessApi({
      listAccessRequests: jest.fn(async options => {
        if (options?.role !== 'approver') {
          return { items: [] };
        }
        return options.cursor === 'c2'
          ? { items: [request({ id: 'r2' })] }
          : { items: [request({ id: 'r1' })], nextCursor: 'c2' };
      }),
    });
    const user = userEvent.setup({ delay: null });
    renderPage(api, { route: '/dataflex/access?tab=approvals' });

    await screen.findByTestId('approval-r1');
    await user.click(screen.getByRole('button', { name: 'Load more' }));

    expect(await screen.findByTestId('approval-r2')).toBeInTheDocument();
    expect(screen.getByTestId('approval-r1')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('shows the number of pending approvals on the tab and filters by dataset from the URL', async () => {
    const api = approvalsApi([request({ id: 'r1' }), request({ id: 'r2' })]);
    renderPage(api, {
      route: '/dataflex/access?tab=approvals&dataset=dataset:default/customers',
    });

    const tab = await screen.findByRole('tab', { name: /Pending approvals/ });
    await waitFor(() => expect(tab).toHaveTextContent('2'));
    expect(tab).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByText('Dataset default/customers')).toBeInTheDocument();
    await waitFor(() =>
      expect(api.listAccessRequests).toHaveBeenCalledWith(
        expect.objectContaining({
          role: 'approver',
          status: 'pending',
          dataset: 'dataset:default/customers',
        }),
      ),
    );
  });
});
