import { listCases } from '../api/endpoints';
import type { Case, CaseQuery } from '../api/types';
import { type PagedList, usePagedList } from './usePagedList';

export type CaseListState = PagedList<Case>;

/**
 * A paged case list ("load more" with the API's cursor). `filter` keeps only some rows client-side
 * (e.g. unassigned) and then keeps paging until a page's worth is found or the list ends.
 * `key` names the query (see usePagedList).
 */
export function useCaseList(query: CaseQuery, opts: { pageSize?: number; filter?: (c: Case) => boolean; key: string }): CaseListState {
  const pageSize = opts.pageSize ?? 25;
  const { filter } = opts;
  return usePagedList(`${opts.key}|${pageSize}`, async (from, signal) => {
    const found: Case[] = [];
    let next: string | null = from ?? null;
    // unfiltered: one page; filtered: up to 10 pages of 100 until a page's worth is found
    for (let i = 0; i < (filter ? 10 : 1); i++) {
      const page = await listCases({ ...query, limit: filter ? 100 : pageSize, ...(next ? { cursor: next } : {}) }, signal);
      found.push(...(filter ? page.items.filter(filter) : page.items));
      next = page.nextCursor;
      if (!next || found.length >= pageSize) break;
    }
    return { items: found, nextCursor: next };
  });
}
