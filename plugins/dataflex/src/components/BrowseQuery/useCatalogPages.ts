import type { QueryEntitiesInitialRequest } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { useCallback, useEffect, useRef, useState } from 'react';

/** One page of entities from a {@link EntityPageFetcher}. */
export interface EntityPage {
  items: Entity[];
  /** Pass it to the fetcher for the next page; undefined on the last. */
  nextCursor?: string;
}

/**
 * Fetches pages of entities that no single catalog query describes (e.g.
 * the datasets of the user's grants); `cursor` is the previous page's.
 */
export type EntityPageFetcher = (cursor?: string) => Promise<EntityPage>;

/** Where a row's entities come from: a catalog query, or a fetcher. */
export type EntitySource = QueryEntitiesInitialRequest | EntityPageFetcher;

/** Options of {@link useCatalogPages}. */
export interface UseCatalogPagesOptions {
  /**
   * Builds the first page's request, or the fetcher of pages; undefined when
   * there is nothing to ask (e.g. a user who owns nothing). Memoize it: a
   * new function starts over.
   */
  load: () => Promise<EntitySource | undefined>;
  /** Nothing is fetched until this is true (rows wait to scroll into view). */
  enabled: boolean;
}

/** Pages of catalog entities fetched so far, with the catalog's cursor. */
export interface CatalogPages {
  items: Entity[];
  /** Whether the first page was asked for. */
  started: boolean;
  loading: boolean;
  /** The failure of the first page, or of the last "more" request. */
  error?: Error;
  hasMore: boolean;
  /** Only when the first request asked for it. */
  totalItems?: number;
  loadMore: () => void;
  retry: () => void;
}

interface PagesState {
  items: Entity[];
  started: boolean;
  loading: boolean;
  error?: Error;
  source?: EntitySource;
  nextCursor?: string;
  totalItems?: number;
}

const initialState: PagesState = {
  items: [],
  started: false,
  loading: false,
};

function appendNew(items: Entity[], more: Entity[]): Entity[] {
  // The catalog can change between pages; a card must not appear twice.
  const seen = new Set(items.map(e => stringifyEntityRef(e)));
  return [...items, ...more.filter(e => !seen.has(stringifyEntityRef(e)))];
}

/**
 * Fetches catalog entities a page at a time with `queryEntities` and its
 * cursor (or with a fetcher of pages), so nothing ever loads more than it
 * shows.
 */
export function useCatalogPages(options: UseCatalogPagesOptions): CatalogPages {
  const { load, enabled } = options;
  const catalogApi = useApi(catalogApiRef);
  const [state, setState] = useState<PagesState>(initialState);
  // Answers to a superseded request (new filters, a retry) are dropped.
  const generation = useRef(0);
  const stateRef = useRef(state);
  stateRef.current = state;
  const busy = useRef(false);

  const fetchFirst = useCallback(async () => {
    const current = ++generation.current;
    busy.current = true;
    setState({ ...initialState, started: true, loading: true });
    try {
      const source = await load();
      let first: EntityPage & { totalItems?: number } = { items: [] };
      if (typeof source === 'function') {
        first = await source();
      } else if (source) {
        const response = await catalogApi.queryEntities(source);
        first = {
          items: response.items,
          nextCursor: response.pageInfo.nextCursor,
          totalItems:
            source.totalItems === 'exclude' ? undefined : response.totalItems,
        };
      }
      if (current !== generation.current) {
        return;
      }
      setState({
        items: appendNew([], first.items),
        started: true,
        loading: false,
        source,
        nextCursor: first.nextCursor,
        totalItems: first.totalItems,
      });
    } catch (error) {
      if (current === generation.current) {
        setState({ ...initialState, started: true, error: error as Error });
      }
    } finally {
      if (current === generation.current) {
        busy.current = false;
      }
    }
  }, [catalogApi, load]);

  useEffect(() => {
    if (enabled) {
      fetchFirst();
    }
  }, [enabled, fetchFirst]);

  const loadMore = useCallback(async () => {
    const { nextCursor, source } = stateRef.current;
    if (!nextCursor || !source || busy.current) {
      return;
    }
    const current = generation.current;
    busy.current = true;
    setState(s => ({ ...s, loading: true, error: undefined }));
    try {
      let more: EntityPage;
      if (typeof source === 'function') {
        more = await source(nextCursor);
      } else {
        const response = await catalogApi.queryEntities({
          cursor: nextCursor,
          limit: source.limit,
          fields: source.fields,
        });
        more = {
          items: response.items,
          nextCursor: response.pageInfo.nextCursor,
        };
      }
      if (current === generation.current) {
        setState(s => ({
          ...s,
          loading: false,
          items: appendNew(s.items, more.items),
          nextCursor: more.nextCursor,
        }));
      }
    } catch (error) {
      if (current === generation.current) {
        setState(s => ({ ...s, loading: false, error: error as Error }));
      }
    } finally {
      if (current === generation.current) {
        busy.current = false;
      }
    }
  }, [catalogApi]);

  const retry = useCallback(() => {
    if (stateRef.current.items.length > 0) {
      loadMore();
    } else {
      fetchFirst();
    }
  }, [fetchFirst, loadMore]);

  return {
    items: state.items,
    started: state.started,
    loading: state.loading,
    error: state.error,
    hasMore: state.nextCursor !== undefined,
    totalItems: state.totalItems,
    loadMore,
    retry,
  };
}
