import type { QueryEntitiesInitialRequest } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { useCallback, useEffect, useRef, useState } from 'react';

/** Options of {@link useCatalogPages}. */
export interface UseCatalogPagesOptions {
  /**
   * Builds the first page's request; undefined when there is nothing to ask
   * (e.g. a user who owns nothing). Memoize it: a new function starts over.
   */
  load: () => Promise<QueryEntitiesInitialRequest | undefined>;
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
  request?: QueryEntitiesInitialRequest;
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
 * cursor, so nothing ever loads more than it shows.
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
      const request = await load();
      const response = request
        ? await catalogApi.queryEntities(request)
        : undefined;
      if (current !== generation.current) {
        return;
      }
      setState({
        items: response?.items ?? [],
        started: true,
        loading: false,
        request,
        nextCursor: response?.pageInfo.nextCursor,
        totalItems:
          request?.totalItems === 'exclude' ? undefined : response?.totalItems,
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
    const { nextCursor, request } = stateRef.current;
    if (!nextCursor || !request || busy.current) {
      return;
    }
    const current = generation.current;
    busy.current = true;
    setState(s => ({ ...s, loading: true, error: undefined }));
    try {
      const response = await catalogApi.queryEntities({
        cursor: nextCursor,
        limit: request.limit,
        fields: request.fields,
      });
      if (current === generation.current) {
        setState(s => ({
          ...s,
          loading: false,
          items: appendNew(s.items, response.items),
          nextCursor: response.pageInfo.nextCursor,
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
