import type {
  CatalogApi,
  QueryEntitiesInitialRequest,
} from '@backstage/catalog-client';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { IdentityApi } from '@backstage/core-plugin-api';
import { RELATION_SHARED_WITH } from '@dataflex/backstage-plugin-dataflex-common';
import {
  allOf,
  BROWSE_KIND,
  CatalogPredicate,
  pageRequest,
  PUBLIC_DEMOS,
  ROW_PAGE_SIZE,
} from '../BrowseQuery/browseQueries';
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
  /** The row's first request; undefined when there is nothing to ask. */
  load: () => Promise<QueryEntitiesInitialRequest | undefined>;
  emptyMessage: string;
}

/** Options of {@link browseRows}. */
export interface BrowseRowsOptions {
  catalogApi: CatalogApi;
  identityApi: IdentityApi;
  configured: BrowseRowConfig[];
}

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
 * The user and the groups they belong to, as the catalog names them in
 * relations; undefined when the identity has neither.
 */
async function userAndGroups(
  identityApi: IdentityApi,
): Promise<string[] | undefined> {
  const { userEntityRef, ownershipEntityRefs } =
    await identityApi.getBackstageIdentity();
  const refs = [
    ...new Set(
      [userEntityRef, ...ownershipEntityRefs].map(ref => ref.toLowerCase()),
    ),
  ];
  return refs.length > 0 ? refs : undefined;
}

/**
 * The rows of the browse page, in order: public demos, datasets, services,
 * the configured tag and domain rows, what the user's teams own, and the
 * datasets shared with the user or their groups.
 */
export function browseRows(options: BrowseRowsOptions): BrowseRowSpec[] {
  const { catalogApi, identityApi, configured } = options;
  return [
    {
      id: 'public-demos',
      title: 'Public demos',
      emptyMessage: 'No public service has a demo yet.',
      load: async () => rowRequest(PUBLIC_DEMOS),
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
      load: async () => {
        // DataFlex's catalog module relates a private dataset to each user
        // and group holding an active grant on it, and lets them read it.
        const refs = await userAndGroups(identityApi);
        if (!refs) {
          return undefined;
        }
        return rowRequest(
          allOf([
            { kind: 'Dataset' },
            { [`relations.${RELATION_SHARED_WITH}`]: { $in: refs } },
          ]),
        );
      },
    },
  ];
}
