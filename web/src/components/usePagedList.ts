import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from '../api/types';

export interface PagedList<T> {
  items: T[];
  loading: boolean;
  error: unknown;
  hasMore: boolean;
  loadMore: () => void;
  reload: () => void;
}

/**
 * A list paged with the API's cursor ("load more"). `key` names the query: a new key starts the
 * list again, and rows of the previous key are never shown for the new one.
 */
export function usePagedList<T extends { id: string }>(
  key: string,
  fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>,
): PagedList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [itemsKey, setItemsKey] = useState<string | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);
  const run = useRef<AbortController | null>(null);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const keyRef = useRef(key);
  keyRef.current = key;

  const load = useCallback(async (from: string | null, append: boolean) => {
    run.current?.abort();
    const ac = new AbortController();
    run.current = ac;
    setLoading(true);
    setError(null);
    try {
      const page = await fetchRef.current(from ?? undefined, ac.signal);
      if (ac.signal.aborted) return;
      setItems((prev) => {
        if (!append) return page.items;
        const seen = new Set(prev.map((x) => x.id));
        return [...prev, ...page.items.filter((x) => !seen.has(x.id))];
      });
      setItemsKey(keyRef.current);
      setCursor(page.nextCursor);
    } catch (e) {
      if (!ac.signal.aborted) setError(e);
    } finally {
      if (!ac.signal.aborted) setLoading(false);
    }
  }, []);

  useEffect(() => {
    setCursor(null);
    void load(null, false);
    return () => run.current?.abort();
  }, [key, generation, load]);

  const current = itemsKey === key;
  return {
    items: current ? items : [],
    loading: loading || (!current && error === null),
    error,
    hasMore: current && Boolean(cursor),
    loadMore: () => {
      if (cursor && !loading) void load(cursor, true);
    },
    reload: () => setGeneration((g) => g + 1),
  };
}
