import type { QueryEntitiesInitialRequest } from '@backstage/catalog-client';
import {
  DATAFLEX_ANNOTATIONS,
  DATAFLEX_CATALOG_ANNOTATIONS,
} from '@dataflex/backstage-plugin-dataflex-common';
import browseFields from './browseFields.json';

/** A catalog filter predicate, as `queryEntities` takes it in `query`. */
export type CatalogPredicate = NonNullable<
  QueryEntitiesInitialRequest['query']
>;

/** What the browse page shows: services (and other components) and datasets. */
export const BROWSE_KINDS = ['Dataset', 'Component'];

/** Cards per page of a row. */
export const ROW_PAGE_SIZE = 20;

/** Cards per page of search results. */
export const RESULTS_PAGE_SIZE = 24;

/**
 * The parts of an entity a card and its preview need. Annotations are taken
 * whole: `fields` splits paths on dots, so `dataflex.io/…` keys cannot be
 * picked one by one. A dataset's schema is not here; the preview fetches it
 * when it opens. The list is in browseFields.json so that the benchmark and
 * reliability scripts (bench/, reliability/) send the very same projection.
 */
export const CARD_FIELDS: string[] = browseFields.card;

/**
 * Sort order of rows and results. The catalog has no created or updated time
 * to sort on, and sorting on a field leaves out the entities without it, so
 * the name (which every entity has) is the only order that drops nothing.
 */
export const BY_NAME = { field: 'metadata.name', order: 'asc' } as const;

/**
 * Annotation keys as catalog filter fields: the catalog matches them as
 * flattened paths, dots and slash included.
 */
const annotationField = <T extends string>(annotation: T) =>
  `metadata.annotations.${annotation}` as const;

/** Services with a demo, declarative or HTTP. */
export const HAS_DEMO: CatalogPredicate = {
  $any: [
    {
      [annotationField(DATAFLEX_ANNOTATIONS.demoPipeline)]: {
        $exists: true,
      },
    },
    {
      [annotationField(DATAFLEX_ANNOTATIONS.demoEndpoint)]: {
        $exists: true,
      },
    },
  ],
};

/**
 * Newest version first. DataFlex's catalog module puts the time of a
 * dataset's newest version on its entity; ISO times sort as text, also
 * lower-cased as the catalog stores them.
 */
export const BY_LATEST_VERSION = {
  field: annotationField(DATAFLEX_CATALOG_ANNOTATIONS.latestVersionAt),
  order: 'desc',
} as const;

/**
 * Datasets with at least one version. Ordering by the annotation leaves out
 * the entities without it anyway; the filter says so.
 */
export const DATASETS_WITH_VERSIONS: CatalogPredicate = {
  $all: [
    { kind: 'Dataset' },
    {
      [annotationField(DATAFLEX_CATALOG_ANNOTATIONS.latestVersionAt)]: {
        $exists: true,
      },
    },
  ],
};

/** Anything the browse page shows. */
export const BROWSE_KIND: CatalogPredicate = { kind: { $in: BROWSE_KINDS } };

/** Components in the public showcase that can be tried on sample rows. */
export const PUBLIC_DEMOS: CatalogPredicate = {
  $all: [
    { kind: 'Component' },
    { [annotationField(DATAFLEX_ANNOTATIONS.public)]: 'true' },
    HAS_DEMO,
  ],
};

/** Combines predicates; a single one is sent as it is. */
export function allOf(predicates: CatalogPredicate[]): CatalogPredicate {
  return predicates.length === 1 ? predicates[0] : { $all: predicates };
}

/**
 * Where the search term is looked for. The catalog only indexes values of up
 * to 200 characters, so long descriptions are not searched. In
 * browseFields.json, like {@link CARD_FIELDS}.
 */
export const SEARCH_FIELDS: string[] = browseFields.search;

/** The first page of a row or of search results. */
export function pageRequest(
  query: CatalogPredicate,
  options: {
    limit: number;
    term?: string;
    totalItems?: QueryEntitiesInitialRequest['totalItems'];
  },
): QueryEntitiesInitialRequest {
  return {
    query,
    orderFields: BY_NAME,
    limit: options.limit,
    fields: CARD_FIELDS,
    // Rows never show a count; skipping it saves the catalog a COUNT query.
    totalItems: options.totalItems ?? 'exclude',
    ...(options.term
      ? { fullTextFilter: { term: options.term, fields: SEARCH_FIELDS } }
      : {}),
  };
}
