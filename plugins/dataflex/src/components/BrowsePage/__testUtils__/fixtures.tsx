import type {
  CatalogApi,
  QueryEntitiesResponse,
} from '@backstage/catalog-client';
import { Entity } from '@backstage/catalog-model';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { useLocation, useNavigate } from 'react-router-dom';
import { AccessRequestsApi, accessRequestsApiRef } from '../../../api';

/** A service Component as the catalog returns it projected for cards. */
export function service(
  name: string,
  options: {
    title?: string;
    annotations?: Record<string, string>;
    owner?: string;
    tags?: string[];
  } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      title: options.title,
      description: `What ${name} does.`,
      tags: options.tags ?? [],
      annotations: options.annotations ?? {},
    },
    spec: {
      type: 'service',
      owner: options.owner ?? 'group:default/data-platform',
      lifecycle: 'production',
    },
  };
}

/** A Dataset as the catalog returns it projected for cards. */
export function dataset(
  name: string,
  options: {
    visibility?: string;
    format?: string;
    title?: string;
    /** Put on the entity by DataFlex's catalog module. */
    latestVersion?: number;
  } = {},
): Entity {
  return {
    apiVersion: 'dataflex.io/v1alpha1',
    kind: 'Dataset',
    metadata: {
      name,
      namespace: 'default',
      title: options.title,
      description: `Rows of ${name}.`,
      tags: ['crm'],
      annotations:
        options.latestVersion === undefined
          ? {}
          : {
              'dataflex.io/latest-version': String(options.latestVersion),
              'dataflex.io/latest-version-at': '2026-11-22T20:15:00.000Z',
            },
    },
    spec: {
      owner: 'group:default/data-platform',
      lifecycle: 'production',
      ...(options.visibility ? { visibility: options.visibility } : {}),
      format: options.format ?? 'csv',
    },
  };
}

/** A page of a `queryEntities` answer. */
export function page(
  items: Entity[],
  nextCursor?: string,
  totalItems = 0,
): QueryEntitiesResponse {
  return {
    items,
    totalItems,
    pageInfo: nextCursor ? { nextCursor } : {},
  };
}

/** The catalog API parts the browse page uses, as jest mocks. */
export function mockCatalog() {
  return {
    queryEntities: jest.fn<
      ReturnType<CatalogApi['queryEntities']>,
      Parameters<CatalogApi['queryEntities']>
    >(async () => page([])),
    getEntitiesByRefs: jest.fn<
      ReturnType<CatalogApi['getEntitiesByRefs']>,
      Parameters<CatalogApi['getEntitiesByRefs']>
    >(async ({ entityRefs }) => ({ items: entityRefs.map(() => undefined) })),
    getEntityFacets: jest.fn<
      ReturnType<CatalogApi['getEntityFacets']>,
      Parameters<CatalogApi['getEntityFacets']>
    >(async () => ({ facets: {} })),
  };
}

/** The DataFlex access API parts the browse page uses, as jest mocks. */
export function mockAccessRequests() {
  return {
    listOwnGrants: jest.fn<
      ReturnType<AccessRequestsApi['listOwnGrants']>,
      Parameters<AccessRequestsApi['listOwnGrants']>
    >(async () => ({ items: [] })),
  };
}

/** An active grant of the signed-in user on a dataset. */
export function grant(datasetName: string, id = `grant-${datasetName}`) {
  return {
    id,
    dataset: `dataset:default/${datasetName}`,
    namespace: 'default',
    name: datasetName,
    grantee: 'user:default/anil',
    fromVersion: 1,
    status: 'active' as const,
    createdBy: 'user:default/olivia',
    createdAt: '2026-11-01T10:00:00.000Z',
  };
}

/** Shows where the app is and offers the browser's Back button. */
export const LocationProbe = () => {
  const location = useLocation();
  const navigate = useNavigate();
  return (
    <>
      <output data-testid="location">{location.search}</output>
      <button type="button" onClick={() => navigate(-1)}>
        Browser back
      </button>
    </>
  );
};

/** Renders browse components in a test app with a mocked catalog. */
export function renderBrowse(
  element: JSX.Element,
  options: {
    catalog: ReturnType<typeof mockCatalog>;
    accessRequests?: ReturnType<typeof mockAccessRequests>;
    config?: Record<string, any>;
    ownershipEntityRefs?: string[];
    initialRouteEntries?: string[];
  },
) {
  return renderInTestApp(element, {
    apis: [
      [catalogApiRef, options.catalog as unknown as CatalogApi],
      [
        accessRequestsApiRef,
        (options.accessRequests ??
          mockAccessRequests()) as unknown as AccessRequestsApi,
      ],
      mockApis.identity({
        userEntityRef: 'user:default/anil',
        ownershipEntityRefs: options.ownershipEntityRefs ?? [
          'user:default/anil',
          'group:default/data-platform',
        ],
      }),
    ],
    config: {
      app: { title: 'Test', baseUrl: 'http://localhost:3000' },
      backend: { baseUrl: 'http://localhost:7007' },
      ...options.config,
    },
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    initialRouteEntries: options.initialRouteEntries,
  });
}
