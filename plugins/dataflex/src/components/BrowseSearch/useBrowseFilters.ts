import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  BrowseFilters,
  readBrowseFilters,
  writeBrowseFilters,
} from '../BrowseQuery/browseFilters';

/** Options of a filter change. */
export interface SetBrowseFiltersOptions {
  /** Replace the history entry instead of adding one. */
  replace?: boolean;
}

/**
 * The browse page's search and filters, kept in the URL's query string:
 * every change is a history entry unless told to replace the current one.
 */
export function useBrowseFilters(): [
  BrowseFilters,
  (change: Partial<BrowseFilters>, options?: SetBrowseFiltersOptions) => void,
] {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => readBrowseFilters(params), [params]);
  const update = useCallback(
    (change: Partial<BrowseFilters>, options?: SetBrowseFiltersOptions) =>
      setParams(
        prev =>
          writeBrowseFilters({ ...readBrowseFilters(prev), ...change }, prev),
        { replace: options?.replace },
      ),
    [setParams],
  );
  return [filters, update];
}
