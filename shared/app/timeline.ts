/** Reading a case's whole timeline (every page), for the use cases that derive state from it. */
import type { TimelineEntry } from '../domain/case';
import type { Deps } from './deps';

/** Every entry of a case's timeline, internal ones included, oldest first; at most 10,000. */
export async function wholeTimeline(deps: Pick<Deps, 'cases'>, caseId: string): Promise<TimelineEntry[]> {
  const all: TimelineEntry[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 50; i++) {
    const page = await deps.cases.timeline(caseId, { publicOnly: false, limit: 200, cursor });
    all.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return all;
}
