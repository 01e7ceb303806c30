import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  AccessGrant,
  AuditEntry,
} from '@dataflex/backstage-plugin-dataflex-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AccessRequestsApi, accessRequestsApiRef } from '../../api';
import { accessRouteRef } from '../../routes';
import { DatasetAccessPanel } from './DatasetAccessPanel';

// Material UI tables and dialogs in jsdom are slow on a busy machine.
jest.setTimeout(60_000);

const ref = { namespace: 'default', name: 'customers' };

function grant(overrides: Partial<AccessGrant>): AccessGrant {
  return {
    id: 'g1',
    dataset: 'dataset:default/customers',
    namespace: 'default',
    name: 'customers',
    grantee: 'user:default/student',
    fromVersion: 2,
    toVersion: 2,
    status: 'active',
    requestId: 'r1',
    createdBy: 'user:default/anil',
    createdAt: '2026-11-22T11:00:00.000Z',
    ...overrides,
  };
}

const audit: AuditEntry[] = [
  {
    id: 'a3',
    at: '2026-11-22T12:00:00.000Z',
    action: 'downloaded',
    actor: 'user:default/student',
    version: 2,
  },
  {
    id: 'a2',
    at: '2026-11-22T11:00:00.000Z',
    action: 'approved',
    actor: 'user:default/anil',
    subject: 'user:default/student',
    fromVersion: 2,
    toVersion: 2,
    reason: 'Fine for the thesis',
  },
  {
    id: 'a1',
    at: '2026-11-22T10:00:00.000Z',
    action: 'requested',
    actor: 'user:default/student',
    version: 2,
  },
];

function mockAccessApi(
  overrides: Partial<AccessRequestsApi> = {},
): jest.Mocked<AccessRequestsApi> {
  return {
    listDatasetGrants: jest.fn(async () => ({
      items: [
        grant({ id: 'g1' }),
        grant({
          id: 'g2',
          grantee: 'group:default/ml-platform',
          fromVersion: 1,
          toVersion: undefined,
          requestId: undefined,
          endsAt: '2027-01-31T22:59:59.999Z',
        }),
      ],
    })),
    revokeGrant: jest.fn(async (id, options) =>
      grant({
        id,
        status: 'revoked',
        revokedBy: 'user:default/anil',
        revokeReason: options?.reason,
      }),
    ),
    createDatasetGrant: jest.fn(async (_ref, body) =>
      grant({
        id: 'g3',
        grantee: body.grantee,
        fromVersion: body.fromVersion ?? 1,
        toVersion: body.toVersion,
      }),
    ),
    getDatasetAudit: jest.fn(async () => ({ items: audit })),
    getDatasetAuditCsv: jest.fn(
      async () => new Blob(['at,action\n'], { type: 'text/csv' }),
    ),
    ...overrides,
  } as Partial<AccessRequestsApi> as jest.Mocked<AccessRequestsApi>;
}

function renderPanel(api: AccessRequestsApi) {
  return renderInTestApp(
    <DatasetAccessPanel datasetRef={ref} versions={[2, 1]} />,
    {
      apis: [
        [accessRequestsApiRef, api],
        [
          catalogApiRef,
          catalogApiMock({
            entities: [
              {
                apiVersion: 'backstage.io/v1alpha1',
                kind: 'User',
                metadata: { name: 'mei', namespace: 'default' },
                spec: { profile: { displayName: 'Mei Chen' } },
              },
            ],
          }),
        ],
      ],
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        '/dataflex/access': accessRouteRef,
      },
    },
  );
}

describe('DatasetAccessPanel', () => {
  it('lists grants with grantee, versions, end and who granted them', async () => {
    const api = mockAccessApi();
    renderPanel(api);

    const table = await screen.findByRole('table', { name: 'Grants' });
    const direct = within(table).getByTestId('grant-g2');
    expect(within(direct).getByText('version 1 and later')).toBeInTheDocument();
    expect(within(direct).getByText(/directly/)).toBeInTheDocument();
    expect(
      within(within(table).getByTestId('grant-g1')).getByText('version 2'),
    ).toBeInTheDocument();
    expect(api.listDatasetGrants).toHaveBeenCalledWith(
      ref,
      expect.objectContaining({ status: 'active' }),
    );
    expect(
      screen.getByRole('link', { name: 'Requests for this dataset' }),
    ).toHaveAttribute(
      'href',
      '/dataflex/access?tab=approvals&dataset=dataset%3Adefault%2Fcustomers',
    );
  });

  it('revokes a grant only after it is confirmed', async () => {
    const api = mockAccessApi();
    const user = userEvent.setup({ delay: null });
    renderPanel(api);

    const row = await screen.findByTestId('grant-g1');
    await user.click(
      within(row).getByRole('button', {
        name: 'Revoke access of user:default/student',
      }),
    );
    let dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.revokeGrant).not.toHaveBeenCalled();

    await user.click(
      within(row).getByRole('button', {
        name: 'Revoke access of user:default/student',
      }),
    );
    dialog = await screen.findByRole('dialog');
    await user.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'Thesis submitted',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Revoke' }));

    await waitFor(() =>
      expect(within(row).getByText('Revoked')).toBeInTheDocument(),
    );
    expect(api.revokeGrant).toHaveBeenCalledWith('g1', {
      reason: 'Thesis submitted',
    });
    expect(within(row).queryByRole('button', { name: /Revoke/ })).toBeNull();
  });

  it("keeps the revoke dialog open with the API's message when it refuses", async () => {
    const api = mockAccessApi({
      revokeGrant: jest.fn(async () => {
        throw Object.assign(new Error('Request failed with 409 Conflict'), {
          statusCode: 409,
          body: {
            error: { name: 'ConflictError', message: 'The grant has ended' },
          },
        });
      }),
    });
    const user = userEvent.setup({ delay: null });
    renderPanel(api);

    await user.click(
      within(await screen.findByTestId('grant-g1')).getByRole('button', {
        name: /Revoke/,
      }),
    );
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Revoke' }));

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'The grant has ended',
    );
  });

  it('grants a user picked from the catalog access to a version range', async () => {
    const api = mockAccessApi();
    const user = userEvent.setup({ delay: null });
    renderPanel(api);

    await screen.findByRole('table', { name: 'Grants' });
    await user.type(
      screen.getByRole('textbox', { name: 'User or group' }),
      'mei',
    );
    await user.click(
      await screen.findByRole('option', {
        name: 'Mei Chen (user:default/mei)',
      }),
    );
    await user.click(screen.getByRole('button', { name: 'Grant access' }));

    expect(
      await screen.findByText('Granted user:default/mei version 1 and later.'),
    ).toBeInTheDocument();
    expect(api.createDatasetGrant).toHaveBeenCalledWith(ref, {
      grantee: 'user:default/mei',
      fromVersion: 1,
    });
    await waitFor(() => expect(api.listDatasetGrants).toHaveBeenCalledTimes(2));
  });

  it('shows the audit log and downloads it as CSV through the API', async () => {
    const api = mockAccessApi();
    const createObjectURL = jest.fn(() => 'blob:audit');
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const clicked: HTMLAnchorElement[] = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function record(this: HTMLAnchorElement) {
        clicked.push(this);
      });
    const user = userEvent.setup({ delay: null });
    try {
      renderPanel(api);

      await user.click(await screen.findByRole('tab', { name: 'Access log' }));
      const table = await screen.findByRole('table', { name: 'Access log' });
      const approved = within(table).getByTestId('audit-a2');
      expect(within(approved).getByText('Approved')).toBeInTheDocument();
      expect(
        within(approved).getByText('Fine for the thesis'),
      ).toBeInTheDocument();
      expect(
        within(within(table).getByTestId('audit-a3')).getByText('Downloaded'),
      ).toBeInTheDocument();

      await user.click(screen.getByRole('button', { name: 'Download CSV' }));

      await waitFor(() => expect(clicked).toHaveLength(1));
      expect(api.getDatasetAuditCsv).toHaveBeenCalledWith(ref);
      expect(createObjectURL).toHaveBeenCalledWith(expect.any(Blob));
      expect(clicked[0].getAttribute('href')).toBe('blob:audit');
      expect(clicked[0].download).toBe('default-customers-access-log.csv');
      expect(revokeObjectURL).toHaveBeenCalledWith('blob:audit');
    } finally {
      click.mockRestore();
    }
  });

  it('shows why the CSV could not be downloaded', async () => {
    const api = mockAccessApi({
      getDatasetAuditCsv: jest.fn(async () => {
        throw Object.assign(new Error('Request failed with 403 Forbidden'), {
          statusCode: 403,
          body: {
            error: {
              name: 'NotAllowedError',
              message: 'Only owners and admins may read the access log',
            },
          },
        });
      }),
    });
    const user = userEvent.setup({ delay: null });
    renderPanel(api);

    await user.click(await screen.findByRole('tab', { name: 'Access log' }));
    await user.click(
      await screen.findByRole('button', { name: 'Download CSV' }),
    );

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Only owners and admins may read the access log',
    );
  });
});
