import {
  DependencyList,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';

/** A list loaded page by page with the backend's cursor. */
export interface CursorList<T> {
  items: T[];
  /** The first page is loading and nothing is shown yet. */
  loading: boolean;
  /** A reload or a further page is on its way while items are shown. */
  busy: boolean;
  error?: Error;
  hasMore: boolean;
  /** Loads the first page again, keeping the items shown until it arrives. */
  reload(): void;
  loadMore(): void;
  /** Replaces the item for which `match` holds, e.g. after an action. */
  replace(match: (item: T) => boolean, item: T): void;
}

/**
 * Loads a cursor-paginated list: the first page on mount and whenever `deps`
 * change or {@link CursorList.reload} is called, further pages on request. An
 * answer that arrives after a newer reload started is dropped, so a slow
 * request never overwrites a fresher list.
 */
export function useCursorList<T>(
  load: (cursor?: string) => Promise<{ items: T[]; nextCursor?: string }>,
  deps: DependencyList,
): CursorList<T> {
  const [items, setItems] = useState<T[]>();
  const [nextCursor, setNextCursor] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const fetchPage = useCallback(async (cursor?: string) => {
    const current = cursor ? generation.current : ++generation.current;
    setBusy(true);
    try {
      const page = await loadRef.current(cursor);
      if (current !== generation.current) {
        return;
      }
      setItems(previous =>
        cursor ? [...(previous ?? []), ...page.items] : page.items,
      );
      setNextCursor(page.nextCursor);
      setError(undefined);
    } catch (e) {
      if (current === generation.current) {
        setError(e as Error);
      }
    } finally {
      if (current === generation.current) {
        setBusy(false);
      }
    }
  }, []);

  useEffect(() => {
    setItems(undefined);
    setNextCursor(undefined);
    fetchPage();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  const reload = useCallback(() => {
    fetchPage();
  }, [fetchPage]);

  const loadMore = useCallback(() => {
    if (nextCursor) {
      fetchPage(nextCursor);
    }
  }, [fetchPage, nextCursor]);

  const replace = useCallback((match: (item: T) => boolean, item: T) => {
    setItems(previous => previous?.map(i => (match(i) ? item : i)));
  }, []);

  return {
    items: items ?? [],
    loading: items === undefined && !error,
    busy,
    error,
    hasMore: nextCursor !== undefined,
    reload,
    loadMore,
    replace,
  };
}
