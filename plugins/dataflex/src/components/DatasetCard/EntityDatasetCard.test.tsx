import { fetchApiRef } from '@backstage/core-plugin-api';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  AccessRequest,
  Dataset,
  DatasetAccessSummary,
  DatasetEntityV1alpha1,
  DatasetPreview,
  DatasetVersion,
} from '@dataflex/backstage-plugin-dataflex-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  AccessRequestsApi,
  accessRequestsApiRef,
  DatasetsApi,
  datasetsApiRef,
  UploadError,
} from '../../api';
import { accessRouteRef } from '../../routes';
import { EntityDatasetCard } from './EntityDatasetCard';

// Material UI dialogs and tables in jsdom are slow on a busy machine.
jest.setTimeout(30_000);

const entity: DatasetEntityV1alpha1 = {
  apiVersion: 'dataflex.io/v1alpha1',
  kind: 'Dataset',
  metadata: { name: 'customers', namespace: 'default', title: 'Customers' },
  spec: {
    owner: 'group:default/data-platform',
    lifecycle: 'production',
    visibility: 'public',
    format: 'csv',
    schema: {
      columns: [
        { name: 'id', type: 'integer' },
        { name: 'email', type: 'string', pii: true },
        { name: 'city', type: 'string' },
      ],
    },
    masking: ['city'],
  },
};

function dataset(access: Partial<Dataset['access']> = {}): Dataset {
  return {
    ref: 'dataset:default/customers',
    namespace: 'default',
    name: 'customers',
    title: 'Customers',
    owner: 'group:default/data-platform',
    visibility: 'public',
    tags: [],
    source: 'catalog',
    createdBy: 'user:default/anil',
    createdAt: '2026-01-10T10:00:00.000Z',
    updatedAt: '2026-01-10T10:00:00.000Z',
    latestVersion: 2,
    access: {
      update: false,
      delete: false,
      createVersion: false,
      readContent: true,
      ...access,
    },
  };
}

const v1: DatasetVersion = {
  version: 1,
  sha256: 'aaaaaaaaaaaabbbbbbbbbbbbccccccccccccddddddddddddeeeeeeeeeeeeffff',
  size: 2048,
  mediaType: 'text/csv',
  format: 'csv',
  filename: 'customers.csv',
  rowCount: 10,
  columns: [
    { name: 'id', type: 'integer', nullable: false },
    { name: 'email', type: 'string', nullable: false },
  ],
  uploadedBy: 'user:default/anil',
  createdAt: '2026-01-10T10:00:00.000Z',
};

const v2: DatasetVersion = {
  ...v1,
  version: 2,
  sha256: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  size: 3 * 1024 * 1024,
  rowCount: 12,
  columns: [
    ...v1.columns,
    { name: 'city', type: 'string', nullable: true },
    { name: 'signup', type: 'date', nullable: false },
  ],
  schemaDiff: {
    added: [
      { name: 'city', type: 'string', nullable: true },
      { name: 'signup', type: 'date', nullable: false },
    ],
    removed: [],
    retyped: [],
  },
  changeNote: 'Adds city and signup date',
};

const preview: DatasetPreview = {
  version: 2,
  format: 'csv',
  columns: [
    { name: 'id', type: 'integer', masked: false },
    { name: 'email', type: 'string', masked: true },
  ],
  rows: [
    [1, '***'],
    [2, '***'],
  ],
  truncated: true,
};

function notFound(): Error {
  return Object.assign(new Error('Request failed with 404 Not Found'), {
    statusCode: 404,
    body: { error: { name: 'NotFoundError', message: 'Not found' } },
  });
}

function mockApi(
  overrides: Partial<DatasetsApi> = {},
): jest.Mocked<DatasetsApi> {
  return {
    listDatasets: jest.fn(),
    getDataset: jest.fn(async () => dataset()),
    createDataset: jest.fn(),
    updateDataset: jest.fn(),
    deleteDataset: jest.fn(),
    listVersions: jest.fn(async () => ({ items: [v1, v2] })),
    getVersion: jest.fn(),
    getPreview: jest.fn(async () => preview),
    uploadVersion: jest.fn(),
    getUploadUrl: jest.fn(),
    getContentUrl: jest.fn(
      async (_ref, version) =>
        `http://localhost:7007/api/dataflex/datasets/default/customers/versions/${version}/content`,
    ),
    uploadVersionWithProgress: jest.fn(),
    runDemo: jest.fn(),
    getDemoStats: jest.fn(),
    ...overrides,
  } as jest.Mocked<DatasetsApi>;
}

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

/** A reader holding a grant for every version, unless told otherwise. */
function summary(
  overrides: Partial<DatasetAccessSummary> = {},
): DatasetAccessSummary {
  return {
    dataset: 'dataset:default/customers',
    mayRequest: false,
    mayManage: false,
    readContent: true,
    requestFields: [],
    grants: [
      {
        id: 'g1',
        dataset: 'dataset:default/customers',
        namespace: 'default',
        name: 'customers',
        grantee: 'user:default/student',
        fromVersion: 1,
        status: 'active',
        createdBy: 'user:default/anil',
        createdAt: '2026-01-10T10:00:00.000Z',
      },
    ],
    ...overrides,
  };
}

function mockAccessApi(
  overrides: Partial<AccessRequestsApi> = {},
): jest.Mocked<AccessRequestsApi> {
  return {
    getDatasetAccess: jest.fn(async () => summary()),
    createAccessRequest: jest.fn(),
    listDatasetGrants: jest.fn(async () => ({ items: [] })),
    getDatasetAudit: jest.fn(async () => ({ items: [] })),
    ...overrides,
  } as Partial<AccessRequestsApi> as jest.Mocked<AccessRequestsApi>;
}

function renderCard(
  api: DatasetsApi,
  accessApi: AccessRequestsApi = mockAccessApi(),
  fetchApi = cookieFetchApi(),
) {
  return renderInTestApp(
    <EntityProvider entity={entity}>
      <EntityDatasetCard />
    </EntityProvider>,
    {
      apis: [
        [datasetsApiRef, api],
        [accessRequestsApiRef, accessApi],
        [catalogApiRef, catalogApiMock()],
        [fetchApiRef, fetchApi],
      ],
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        '/dataflex/access': accessRouteRef,
      },
    },
  );
}

describe('EntityDatasetCard', () => {
  it('shows metadata and the schema with PII and masked markers', async () => {
    renderCard(mockApi());

    const schema = await screen.findByRole('table', { name: 'Schema' });
    const email = within(schema).getByTestId('schema-row-email');
    expect(within(email).getByText('PII')).toBeInTheDocument();
    expect(within(email).getByText('Masked')).toBeInTheDocument();
    const city = within(schema).getByTestId('schema-row-city');
    expect(within(city).queryByText('PII')).not.toBeInTheDocument();
    expect(within(city).getByText('Masked')).toBeInTheDocument();
    expect(within(city).getByText('string (nullable)')).toBeInTheDocument();
    const id = within(schema).getByTestId('schema-row-id');
    expect(within(id).queryByText('PII')).not.toBeInTheDocument();
    expect(within(id).queryByText('Masked')).not.toBeInTheDocument();
    // Only uploaded, not declared.
    const signup = within(schema).getByTestId('schema-row-signup');
    expect(within(signup).getByText('date')).toBeInTheDocument();

    expect(screen.getByText('public')).toBeInTheDocument();
    expect(screen.getByText('2, 12 rows')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /Upload new version/ }),
    ).not.toBeInTheDocument();
  });

  it('lists versions newest first with size, short hash, note and schema diff', async () => {
    renderCard(mockApi());

    const versions = await screen.findByRole('table', { name: 'Versions' });
    const rows = within(versions).getAllByRole('row');
    expect(rows[1]).toHaveAttribute('data-testid', 'version-row-2');
    const latest = within(versions).getByTestId('version-row-2');
    expect(within(latest).getByText('3.0 MiB')).toBeInTheDocument();
    expect(within(latest).getByText('0123456789ab')).toBeInTheDocument();
    expect(
      within(latest).getByText('Adds city and signup date'),
    ).toBeInTheDocument();
    expect(within(latest).getByText('+city, +signup')).toBeInTheDocument();
    expect(
      within(latest).getByRole('link', { name: 'customers.csv' }),
    ).toHaveAttribute(
      'href',
      'http://localhost:7007/api/dataflex/datasets/default/customers/versions/2/content',
    );
    expect(within(versions).getByTestId('version-row-1')).toHaveTextContent(
      '2.0 KiB',
    );
    expect(screen.getByRole('link', { name: /Download/ })).toHaveAttribute(
      'href',
      'http://localhost:7007/api/dataflex/datasets/default/customers/versions/2/content',
    );
  });

  it('gets the DataFlex cookie before offering download links, which the browser follows with cookies only', async () => {
    const fetchApi = cookieFetchApi();
    renderCard(mockApi(), mockAccessApi(), fetchApi);

    await screen.findByRole('link', { name: /Download/ });
    expect(fetchApi.fetch).toHaveBeenCalledWith(
      expect.stringMatching(/\/api\/dataflex\/\.backstage\/auth\/v1\/cookie$/),
      { credentials: 'include' },
    );
  });

  it('says downloads are unavailable when the cookie is refused, and offers none', async () => {
    renderCard(mockApi(), mockAccessApi(), cookieFetchApi(500));

    expect(
      await screen.findByText(/Downloads are unavailable/),
    ).toHaveTextContent('Cookie refused');
    expect(screen.queryByRole('link', { name: /Download/ })).toBeNull();
    expect(screen.queryByRole('link', { name: 'customers.csv' })).toBeNull();
    // The rest of the card is still there.
    expect(screen.getByRole('table', { name: 'Versions' })).toBeInTheDocument();
  });

  it('shows the preview grid to those who may read the content', async () => {
    const api = mockApi();
    renderCard(api);

    const grid = await screen.findByRole('table', { name: 'Preview' });
    expect(within(grid).getByText('email (masked)')).toBeInTheDocument();
    expect(within(grid).getAllByText('***')).toHaveLength(2);
    expect(screen.getByText(/more rows are not shown/)).toBeInTheDocument();
    expect(api.getPreview).toHaveBeenCalledWith(
      { namespace: 'default', name: 'customers' },
      2,
      { limit: 20 },
    );
  });

  it('asks for access instead of showing content to those without it', async () => {
    const api = mockApi({
      getDataset: jest.fn(async () => dataset({ readContent: false })),
    });
    renderCard(api);

    expect(
      await screen.findByText('You need access to see the content.'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Preview' })).toBeNull();
    expect(screen.queryByRole('link', { name: /Download/ })).toBeNull();
    expect(api.getPreview).not.toHaveBeenCalled();
    expect(api.getContentUrl).not.toHaveBeenCalled();
  });

  it('treats a 404 from the preview as no access, not as an error', async () => {
    renderCard(
      mockApi({ getPreview: jest.fn(async () => Promise.reject(notFound())) }),
    );

    expect(
      await screen.findByText('You need access to see the content.'),
    ).toBeInTheDocument();
    expect(screen.queryByText('Not found')).not.toBeInTheDocument();
  });

  it('uploads a new version with a progress bar, then reloads the versions', async () => {
    let finish: (version: DatasetVersion) => void = () => {};
    const api = mockApi({
      getDataset: jest.fn(async () => dataset({ createVersion: true })),
      uploadVersionWithProgress: jest.fn(
        (_ref, _file, options) =>
          new Promise<DatasetVersion>(resolve => {
            options.onProgress?.({ loaded: 512, total: 2048 });
            finish = resolve;
          }),
      ),
    });
    const user = userEvent.setup({ delay: null });
    renderCard(api);

    await user.click(
      await screen.findByRole('button', { name: /Upload new version/ }),
    );
    const dialog = await screen.findByRole('dialog');
    const file = new File(['id,email\n1,a@b.c\n'], 'customers.csv', {
      type: 'text/csv',
    });
    await user.upload(within(dialog).getByLabelText('File'), file);
    await user.type(within(dialog).getByLabelText('Change note'), 'Fresh');
    await user.click(within(dialog).getByRole('button', { name: 'Upload' }));

    const bar = await within(dialog).findByRole('progressbar');
    await waitFor(() => expect(bar).toHaveAttribute('aria-valuenow', '25'));
    expect(
      within(dialog).getByText(/512 B of 2\.0 KiB sent \(25%\)/),
    ).toBeInTheDocument();
    expect(api.uploadVersionWithProgress).toHaveBeenCalledWith(
      { namespace: 'default', name: 'customers' },
      file,
      expect.objectContaining({
        filename: 'customers.csv',
        changeNote: 'Fresh',
      }),
    );

    expect(api.getDataset).toHaveBeenCalledTimes(1);
    finish({ ...v2, version: 3 });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await waitFor(() => expect(api.getDataset).toHaveBeenCalledTimes(2));
  });

  it("shows the backend's message when an upload is refused", async () => {
    const api = mockApi({
      getDataset: jest.fn(async () => dataset({ createVersion: true })),
      uploadVersionWithProgress: jest.fn(async (_ref, _file, options) => {
        options.onProgress?.({ loaded: 2048, total: 2048 });
        throw new UploadError('Line 3 has 4 fields, the header has 2', 400);
      }),
    });
    const user = userEvent.setup({ delay: null });
    renderCard(api);

    await user.click(
      await screen.findByRole('button', { name: /Upload new version/ }),
    );
    const dialog = await screen.findByRole('dialog');
    await user.upload(
      within(dialog).getByLabelText('File'),
      new File(['x'], 'bad.csv', { type: 'text/csv' }),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Upload' }));

    expect(
      await within(dialog).findByText('Line 3 has 4 fields, the header has 2'),
    ).toBeInTheDocument();
    // The dialog stays open so the owner can pick another file.
    expect(
      within(dialog).getByRole('button', { name: 'Upload' }),
    ).toBeEnabled();
  });

  it('offers Request access to a reader without access and shows the pending request afterwards', async () => {
    const pending: AccessRequest = {
      id: 'r1',
      dataset: 'dataset:default/customers',
      namespace: 'default',
      name: 'customers',
      requester: 'user:default/student',
      justification: 'Thesis',
      fields: { purpose: 'research' },
      scope: 'version',
      version: 2,
      status: 'pending',
      createdAt: '2026-11-22T10:00:00.000Z',
    };
    const accessApi = mockAccessApi({
      getDatasetAccess: jest
        .fn()
        .mockResolvedValueOnce(
          summary({
            mayRequest: true,
            readContent: false,
            grants: [],
            requestFields: ['purpose'],
          }),
        )
        .mockResolvedValue(
          summary({ readContent: false, grants: [], pendingRequest: pending }),
        ),
      createAccessRequest: jest.fn(async () => pending),
    });
    const api = mockApi({
      getDataset: jest.fn(async () => dataset({ readContent: false })),
    });
    const user = userEvent.setup({ delay: null });
    renderCard(api, accessApi);

    await user.click(
      await screen.findByRole('button', { name: /Request access/ }),
    );
    const dialog = await screen.findByRole('dialog');
    await user.type(
      within(dialog).getByRole('textbox', { name: 'Justification' }),
      'Thesis',
    );
    await user.type(
      within(dialog).getByRole('textbox', { name: 'Purpose' }),
      'research',
    );
    await user.click(
      within(dialog).getByRole('button', { name: 'Send request' }),
    );

    expect(
      await screen.findByText(/Access requested \(version 2\)/),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'My requests' })).toHaveAttribute(
      'href',
      '/dataflex/access',
    );
    expect(screen.queryByRole('button', { name: /Request access/ })).toBeNull();
    expect(accessApi.createAccessRequest).toHaveBeenCalledWith(
      { namespace: 'default', name: 'customers' },
      {
        justification: 'Thesis',
        scope: 'version',
        version: 2,
        fields: { purpose: 'research' },
      },
    );
  });

  it('offers downloads and the preview only for the versions a grant covers', async () => {
    const api = mockApi();
    const accessApi = mockAccessApi({
      getDatasetAccess: jest.fn(async () =>
        summary({
          grants: [{ ...summary().grants[0], fromVersion: 1, toVersion: 1 }],
        }),
      ),
    });
    renderCard(api, accessApi);

    const versions = await screen.findByRole('table', { name: 'Versions' });
    expect(
      within(within(versions).getByTestId('version-row-1')).getByRole('link', {
        name: 'customers.csv',
      }),
    ).toBeInTheDocument();
    expect(
      within(within(versions).getByTestId('version-row-2')).getByText(
        'No access',
      ),
    ).toBeInTheDocument();
    // The latest version is not covered, so there is no Download button.
    expect(screen.queryByRole('link', { name: /Download/ })).toBeNull();
    expect(
      await screen.findByText('Version 1, the newest your access covers.'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(api.getPreview).toHaveBeenCalledWith(
        { namespace: 'default', name: 'customers' },
        1,
        { limit: 20 },
      ),
    );
  });

  it('shows the access panel to those who manage access', async () => {
    const accessApi = mockAccessApi({
      getDatasetAccess: jest.fn(async () =>
        summary({ mayManage: true, grants: [] }),
      ),
    });
    renderCard(mockApi(), accessApi);

    expect(
      await screen.findByRole('tab', { name: 'Grants' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('Nobody outside the owners has access.'),
    ).toBeInTheDocument();
  });

  it('still shows the dataset when its access cannot be read', async () => {
    const accessApi = mockAccessApi({
      getDatasetAccess: jest.fn(async () => {
        throw Object.assign(new Error('Request failed with 500'), {
          statusCode: 500,
          body: { error: { name: 'Error', message: 'Database unavailable' } },
        });
      }),
    });
    renderCard(mockApi(), accessApi);

    expect(
      await screen.findByText(/Could not read your access to this dataset/),
    ).toHaveTextContent('Database unavailable');
    expect(
      await screen.findByRole('table', { name: 'Versions' }),
    ).toBeInTheDocument();
  });
});
