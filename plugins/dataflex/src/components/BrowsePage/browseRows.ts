import type { CatalogApi } from '@backstage/catalog-client';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { IdentityApi } from '@backstage/core-plugin-api';
import type { AccessRequestsApi } from '../../api';
import {
  allOf,
  BROWSE_KIND,
  BY_LATEST_VERSION,
  CARD_FIELDS,
  CatalogPredicate,
  DATASETS_WITH_VERSIONS,
  pageRequest,
  PUBLIC_DEMOS,
  ROW_PAGE_SIZE,
} from '../BrowseQuery/browseQueries';
import type {
  EntityPage,
  EntityPageFetcher,
  EntitySource,
} from '../BrowseQuery/useCatalogPages';
import type { BrowseRowConfig } from './readBrowseConfig';

/**
 * Systems looked up for a domain row. A domain with more systems shows the
 * entities of the first ones by name.
 */
export const MAX_DOMAIN_SYSTEMS = 200;

/** One row of the browse page. */
export interface BrowseRowSpec {
  id: string;
  title: string;
  /**
   * The row's first request, or its fetcher of pages; undefined when there
   * is nothing to ask.
   */
  load: () => Promise<EntitySource | undefined>;
  emptyMessage: string;
}

/** Options of {@link browseRows}. */
export interface BrowseRowsOptions {
  catalogApi: CatalogApi;
  identityApi: IdentityApi;
  accessRequestsApi: AccessRequestsApi;
  configured: BrowseRowConfig[];
}

/**
 * Grant pages read at most for one page of the "Shared with me" row, when
 * grants name datasets already shown or hidden from the user.
 */
export const MAX_GRANT_PAGES_PER_ROW_PAGE = 5;

function rowRequest(query: CatalogPredicate) {
  return pageRequest(query, { limit: ROW_PAGE_SIZE });
}

async function domainSystems(
  catalogApi: CatalogApi,
  domain: string,
): Promise<string[]> {
  const domainRef = stringifyEntityRef(
    parseEntityRef(domain, {
      defaultKind: 'domain',
      defaultNamespace: 'default',
    }),
  );
  const { items } = await catalogApi.queryEntities({
    query: { kind: 'System', 'relations.partOf': domainRef },
    orderFields: { field: 'metadata.name', order: 'asc' },
    limit: MAX_DOMAIN_SYSTEMS,
    fields: ['kind', 'metadata.name', 'metadata.namespace'],
    totalItems: 'exclude',
  });
  return items.map(system => stringifyEntityRef(system));
}

function configuredRow(
  catalogApi: CatalogApi,
  row: BrowseRowConfig,
  index: number,
): BrowseRowSpec {
  return {
    id: `configured-${index}`,
    title: row.title,
    emptyMessage: 'Nothing here yet.',
    load: async () => {
      if (!row.tag && !row.domain) {
        throw new Error(
          `dataflex.browse.rows[${index}] ("${row.title}") needs a tag or a domain`,
        );
      }
      const parts: CatalogPredicate[] = [BROWSE_KIND];
      if (row.tag) {
        parts.push({ 'metadata.tags': row.tag });
      }
      if (row.domain) {
        // Services and datasets belong to systems, systems to domains.
        const systems = await domainSystems(catalogApi, row.domain);
        if (systems.length === 0) {
          return undefined;
        }
        parts.push({ 'relations.partOf': { $in: systems } });
      }
      return rowRequest(allOf(parts));
    },
  };
}

/**
 * The datasets of the user's active grants (direct or through a group),
 * newest grant first, as the catalog shows them to the user: public and open
 * datasets as well as private ones, which the catalog only relates to their
 * grant holders. A page of grants becomes one catalog request by ref; what
 * the user may not see (or is gone) is left out.
 */
export function grantedDatasets(
  catalogApi: CatalogApi,
  accessRequestsApi: AccessRequestsApi,
): EntityPageFetcher {
  return async (cursor?: string): Promise<EntityPage> => {
    let next = cursor;
    // A page whose grants all name hidden datasets would show nothing and
    // stop the row; read on, a few pages at most.
    for (let pages = 0; pages < MAX_GRANT_PAGES_PER_ROW_PAGE; pages++) {
      const grants = await accessRequestsApi.listOwnGrants({
        limit: ROW_PAGE_SIZE,
        cursor: next,
      });
      next = grants.nextCursor;
      const refs = [
        ...new Set(
          grants.items.map(grant => grant.dataset.toLocaleLowerCase('en-US')),
        ),
      ];
      const items =
        refs.length > 0
          ? (
              await catalogApi.getEntitiesByRefs({
                entityRefs: refs,
                fields: CARD_FIELDS,
              })
            ).items.filter((entity): entity is Entity => entity !== undefined)
          : [];
      if (items.length > 0 || next === undefined) {
        return { items, nextCursor: next };
      }
    }
    return { items: [], nextCursor: next };
  };
}

/**
 * The rows of the browse page, in order: public demos, the datasets that
 * got a version last, datasets, services, the configured tag and domain
 * rows, what the user's teams own, and the datasets shared with the user or
 * their groups.
 */
export function browseRows(options: BrowseRowsOptions): BrowseRowSpec[] {
  const { catalogApi, identityApi, accessRequestsApi, configured } = options;
  return [
    {
      id: 'public-demos',
      title: 'Public demos',
      emptyMessage: 'No public service has a demo yet.',
      load: async () => rowRequest(PUBLIC_DEMOS),
    },
    {
      id: 'recently-updated',
      title: 'Recently updated datasets',
      emptyMessage: 'No dataset you can see has a version yet.',
      load: async () => ({
        ...rowRequest(DATASETS_WITH_VERSIONS),
        orderFields: BY_LATEST_VERSION,
      }),
    },
    {
      id: 'datasets',
      title: 'Datasets',
      emptyMessage: 'No datasets you can see yet.',
      load: async () => rowRequest({ kind: 'Dataset' }),
    },
    {
      id: 'services',
      title: 'Services',
      emptyMessage: 'No services yet.',
      load: async () =>
        rowRequest(allOf([{ kind: 'Component' }, { 'spec.type': 'service' }])),
    },
    ...configured.map((row, index) => configuredRow(catalogApi, row, index)),
    {
      id: 'owned',
      title: 'Owned by my teams',
      emptyMessage: 'Your teams own no services or datasets yet.',
      load: async () => {
        const { ownershipEntityRefs } =
          await identityApi.getBackstageIdentity();
        if (ownershipEntityRefs.length === 0) {
          return undefined;
        }
        return rowRequest(
          allOf([
            BROWSE_KIND,
            { 'relations.ownedBy': { $in: ownershipEntityRefs } },
          ]),
        );
      },
    },
    {
      id: 'shared',
      title: 'Shared with me',
      emptyMessage:
        'Nothing has been shared with you yet. Request access from a dataset’s page.',
      load: async () => grantedDatasets(catalogApi, accessRequestsApi),
    },
  ];
}
