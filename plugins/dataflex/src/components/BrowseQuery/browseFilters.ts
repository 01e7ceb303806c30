import type { QueryEntitiesInitialRequest } from '@backstage/catalog-client';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  allOf,
  BROWSE_KIND,
  CatalogPredicate,
  HAS_DEMO,
  pageRequest,
  RESULTS_PAGE_SIZE,
} from './browseQueries';

/** Dataset visibilities, `private` being the default of a dataset without one. */
export const VISIBILITIES = ['private', 'public', 'open'] as const;

/** A dataset visibility. */
export type Visibility = (typeof VISIBILITIES)[number];

/** The kinds the kind filter offers. */
export const FILTER_KINDS = ['Dataset', 'Component'] as const;

/**
 * The search and filters of the browse page, as kept in the URL's query
 * string so links can be shared and back and forward work.
 */
export interface BrowseFilters {
  q?: string;
  kind?: (typeof FILTER_KINDS)[number];
  type?: string;
  owner?: string;
  tag?: string;
  format?: string;
  visibility?: Visibility;
  demo?: boolean;
}

const TEXT_KEYS = ['q', 'type', 'owner', 'tag', 'format'] as const;

function oneOf<T extends string>(
  allowed: readonly T[],
  value: string | null,
): T | undefined {
  return allowed.find(a => a.toLowerCase() === value?.toLowerCase());
}

/** Reads the filters from a query string, ignoring values it doesn't know. */
export function readBrowseFilters(params: URLSearchParams): BrowseFilters {
  const filters: BrowseFilters = {};
  for (const key of TEXT_KEYS) {
    const value = params.get(key)?.trim();
    if (value) {
      filters[key] = value;
    }
  }
  const kind = oneOf(FILTER_KINDS, params.get('kind'));
  if (kind) {
    filters.kind = kind;
  }
  const visibility = oneOf(VISIBILITIES, params.get('visibility'));
  if (visibility) {
    filters.visibility = visibility;
  }
  if (params.get('demo') === 'true') {
    filters.demo = true;
  }
  return filters;
}

const FILTER_KEYS = [...TEXT_KEYS, 'kind', 'visibility', 'demo'];

/**
 * The query string for a set of filters; empty ones are left out, and
 * parameters that are no filters are kept from `base`.
 */
export function writeBrowseFilters(
  filters: BrowseFilters,
  base?: URLSearchParams,
): URLSearchParams {
  const params = new URLSearchParams(base);
  for (const key of FILTER_KEYS) {
    params.delete(key);
  }
  for (const key of ['q', 'kind', 'type', 'owner', 'tag', 'format'] as const) {
    const value = filters[key]?.trim();
    if (value) {
      params.set(key, value);
    }
  }
  if (filters.visibility) {
    params.set('visibility', filters.visibility);
  }
  if (filters.demo) {
    params.set('demo', 'true');
  }
  return params;
}

/** Whether anything is searched or filtered, i.e. results replace the rows. */
export function isSearchActive(filters: BrowseFilters): boolean {
  return writeBrowseFilters(filters).toString() !== '';
}

/**
 * An owner as typed (`data-platform`, `group:data-platform`,
 * `user:default/anil`) as the full ref the catalog's ownedBy relation holds.
 * Undefined when it cannot be read as a ref.
 */
export function ownerRef(owner: string): string | undefined {
  try {
    return stringifyEntityRef(
      parseEntityRef(owner.trim(), {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    return undefined;
  }
}

const datasetVisibility: Record<Visibility, CatalogPredicate> = {
  // A dataset without a visibility is private.
  private: {
    $any: [
      { 'spec.visibility': 'private' },
      { 'spec.visibility': { $exists: false } },
    ],
  },
  public: { 'spec.visibility': 'public' },
  open: { 'spec.visibility': 'open' },
};

/** The catalog predicate of a set of filters (the search term aside). */
export function filtersPredicate(filters: BrowseFilters): CatalogPredicate {
  const parts: CatalogPredicate[] = [
    filters.kind ? { kind: filters.kind } : BROWSE_KIND,
  ];
  if (filters.type) {
    parts.push({ 'spec.type': filters.type });
  }
  if (filters.owner) {
    // An owner that is no ref cannot own anything; `$in: []` would be
    // refused, so a value no relation has stands in.
    parts.push({ 'relations.ownedBy': ownerRef(filters.owner) ?? '' });
  }
  if (filters.tag) {
    parts.push({ 'metadata.tags': filters.tag });
  }
  if (filters.format) {
    parts.push({ 'spec.format': filters.format });
  }
  if (filters.visibility) {
    // Only datasets have a visibility.
    if (filters.kind !== 'Dataset') {
      parts.push({ kind: 'Dataset' });
    }
    parts.push(datasetVisibility[filters.visibility]);
  }
  if (filters.demo) {
    parts.push(HAS_DEMO);
  }
  return allOf(parts);
}

/** The first page of search results for a set of filters. */
export function buildSearchRequest(
  filters: BrowseFilters,
): QueryEntitiesInitialRequest {
  return pageRequest(filtersPredicate(filters), {
    limit: RESULTS_PAGE_SIZE,
    term: filters.q,
    totalItems: 'include',
  });
}
