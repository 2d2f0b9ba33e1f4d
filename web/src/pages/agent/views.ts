/**
 * Saved views of the agent workspace. A view is a server query plus an optional client-side
 * filter; later issues add theirs (queues, SLA at risk...) to this list.
 */
import { ACTIVE_STATUSES, CASE_STATUSES, PRIORITIES, RESOLVED_STATUSES } from '../../../../shared/domain/case';
import type { Case, CaseQuery, CaseStatus, Me } from '../../api/types';
import type { MessageKey } from '../../i18n';

export interface SavedView {
  id: string;
  label: MessageKey;
  query: (me: Me) => CaseQuery;
  /** rows the server cannot filter on yet, filtered after loading */
  filter?: (c: Case, me: Me) => boolean;
  /** the status reasons that make sense as a filter in this view */
  statuses: readonly CaseStatus[];
}

export const SAVED_VIEWS: readonly SavedView[] = [
  { id: 'mine', label: 'views.mine', query: (me) => ({ state: 'active', ownerId: me.sub }), statuses: ACTIVE_STATUSES },
  { id: 'unassigned', label: 'views.unassigned', query: () => ({ state: 'active' }), filter: (c) => c.ownerId === null, statuses: ACTIVE_STATUSES },
  { id: 'active', label: 'views.active', query: () => ({ state: 'active' }), statuses: ACTIVE_STATUSES },
  { id: 'resolved', label: 'views.resolved', query: () => ({ state: 'resolved' }), statuses: RESOLVED_STATUSES },
];

export const DEFAULT_VIEW = 'mine';
export const viewById = (id: string | null) => SAVED_VIEWS.find((v) => v.id === id) ?? SAVED_VIEWS[0]!;

export const SORT_KEYS = ['created', 'updated', 'priority', 'status'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';

const PRIORITY_RANK = new Map<string, number>(PRIORITIES.map((p, i) => [p, i]));
const STATUS_RANK = new Map<string, number>(CASE_STATUSES.map((s, i) => [s, i]));

export function sortCases(items: Case[], key: SortKey | null, dir: SortDir): Case[] {
  if (!key) return items;
  const sign = dir === 'asc' ? 1 : -1;
  const value = (c: Case): number | string => {
    switch (key) {
      case 'created':
        return c.createdAt;
      case 'updated':
        return c.updatedAt;
      case 'priority':
        return PRIORITY_RANK.get(c.priority) ?? 0;
      case 'status':
        return STATUS_RANK.get(c.status) ?? 0;
    }
  };
  // stable: ties keep the server's order (newest first)
  return items
    .map((c, i) => ({ c, i, v: value(c) }))
    .sort((a, b) => (a.v < b.v ? -sign : a.v > b.v ? sign : a.i - b.i))
    .map((x) => x.c);
}
