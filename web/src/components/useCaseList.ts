import { useCallback, useEffect, useRef, useState } from 'react';
import { listCases } from '../api/endpoints';
import type { Case, CaseQuery } from '../api/types';

export interface CaseListState {
  items: Case[];
  loading: boolean;
  error: unknown;
  hasMore: boolean;
  loadMore: () => void;
  reload: () => void;
}

/**
 * A paged case list ("load more" with the API's cursor). `filter` keeps only some rows client-side
 * (e.g. unassigned) and then keeps paging until a page's worth is found or the list ends.
 */
export function useCaseList(query: CaseQuery, opts: { pageSize?: number; filter?: (c: Case) => boolean; key: string }): CaseListState {
  const pageSize = opts.pageSize ?? 25;
  const [items, setItems] = useState<Case[]>([]);
  /** which query `items` belong to: rows of the previous filter are never shown for the new one */
  const [itemsKey, setItemsKey] = useState<string | null>(null);
  const keyRef = useRef(opts.key);
  keyRef.current = opts.key;
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);
  const run = useRef<AbortController | null>(null);
  const queryRef = useRef(query);
  queryRef.current = query;
  const filterRef = useRef(opts.filter);
  filterRef.current = opts.filter;

  const fetchPage = useCallback(
    async (from: string | null, append: boolean) => {
      run.current?.abort();
      const ac = new AbortController();
      run.current = ac;
      setLoading(true);
      setError(null);
      try {
        const filter = filterRef.current;
        const found: Case[] = [];
        let next: string | null = from;
        // unfiltered: one page; filtered: up to 10 pages of 100 until a page's worth is found
        for (let i = 0; i < (filter ? 10 : 1); i++) {
          const page = await listCases({ ...queryRef.current, limit: filter ? 100 : pageSize, ...(next ? { cursor: next } : {}) }, ac.signal);
          found.push(...(filter ? page.items.filter(filter) : page.items));
          next = page.nextCursor;
          if (!next || found.length >= pageSize) break;
        }
        if (ac.signal.aborted) return;
        setItems((prev) => {
          if (!append) return found;
          const seen = new Set(prev.map((c) => c.id));
          return [...prev, ...found.filter((c) => !seen.has(c.id))];
        });
        setItemsKey(keyRef.current);
        setCursor(next);
        setHasMore(Boolean(next));
      } catch (e) {
        if (!ac.signal.aborted) setError(e);
      } finally {
        if (!ac.signal.aborted) setLoading(false);
      }
    },
    [pageSize],
  );

  // the key names the query: a new key starts the list again
  useEffect(() => {
    setItems([]);
    setCursor(null);
    setHasMore(false);
    void fetchPage(null, false);
    return () => run.current?.abort();
  }, [opts.key, generation, fetchPage]);

  const current = itemsKey === opts.key;
  return {
    items: current ? items : [],
    loading: loading || !current,
    error,
    hasMore: current && hasMore,
    loadMore: () => {
      if (cursor && !loading) void fetchPage(cursor, true);
    },
    reload: () => setGeneration((g) => g + 1),
  };
}
