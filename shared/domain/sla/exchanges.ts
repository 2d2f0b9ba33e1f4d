/**
 * The exchanges the `next_response` KPI measures: after the first response, each customer message
 * that finds no staff reply pending opens an exchange; the next public staff message closes it.
 * Pure, from the timeline.
 */
import type { TimelineEntry } from '../case';

export interface Exchange {
  /** 1, 2, ... in time order */
  cycle: number;
  startedAt: string;
  /** the staff reply that closed it, or null while it waits */
  achievedAt: string | null;
}

const isCustomerMessage = (e: TimelineEntry) => e.kind === 'message' && e.actor.kind === 'customer';
const isStaffReply = (e: TimelineEntry) => e.kind === 'message' && e.actor.kind === 'staff' && e.visibility === 'public';

/** The exchanges after the first response, oldest first; only the latest `keep` are returned (numbered as counted from the first). */
export function exchangesOf(entries: readonly TimelineEntry[], firstResponseAt: string | null, keep = 20): Exchange[] {
  if (!firstResponseAt) return [];
  const sorted = [...entries].filter((e) => e.at > firstResponseAt).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const out: Exchange[] = [];
  let open: Exchange | null = null;
  for (const e of sorted) {
    if (!open && isCustomerMessage(e)) {
      open = { cycle: out.length + 1, startedAt: e.at, achievedAt: null };
      out.push(open);
    } else if (open && isStaffReply(e)) {
      open.achievedAt = e.at;
      open = null;
    }
  }
  return out.slice(-keep);
}
