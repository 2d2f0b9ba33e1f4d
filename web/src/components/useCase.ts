import { useCallback, useEffect, useRef, useState } from 'react';
import { getCase, getTimeline } from '../api/endpoints';
import { isApiError } from '../api/errors';
import type { Case, TimelineEntry, Versioned } from '../api/types';

export type MutationResult = { ok: true; value: Case } | { ok: false; error: unknown; conflict: boolean };

export interface CaseResource {
  data: Versioned<Case> | null;
  timeline: TimelineEntry[];
  /** the first load failed (404 shows the not-found page) */
  loadError: unknown;
  loading: boolean;
  /** the last mutation hit 412: someone else changed the case */
  conflict: boolean;
  dismissConflict: () => void;
  reload: () => Promise<void>;
  /**
   * Run a change with the version we have (If-Match). On 412: flag the conflict and reload the
   * case, leaving whatever the user typed alone (it lives in the page's state, not here).
   */
  mutate: (change: (version: number) => Promise<Versioned<Case>>) => Promise<MutationResult>;
}

export function useCase(id: string): CaseResource {
  const [data, setData] = useState<Versioned<Case> | null>(null);
  const [timeline, setTimeline] = useState<TimelineEntry[]>([]);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [conflict, setConflict] = useState(false);
  const version = useRef<number | null>(null);
  const alive = useRef(true);

  const reload = useCallback(async () => {
    try {
      const [c, tl] = await Promise.all([getCase(id), getTimeline(id)]);
      if (!alive.current) return;
      version.current = c.version;
      setData(c);
      setTimeline(tl);
      setLoadError(null);
    } catch (e) {
      if (alive.current) setLoadError(e);
    } finally {
      if (alive.current) setLoading(false);
    }
  }, [id]);

  useEffect(() => {
    alive.current = true;
    void reload();
    return () => {
      alive.current = false;
    };
  }, [reload]);

  const mutate = useCallback(
    async (change: (version: number) => Promise<Versioned<Case>>): Promise<MutationResult> => {
      if (version.current === null) return { ok: false, error: new Error('not loaded'), conflict: false };
      try {
        const next = await change(version.current);
        version.current = next.version;
        setData(next);
        setConflict(false);
        const tl = await getTimeline(id).catch(() => null);
        if (tl && alive.current) setTimeline(tl);
        return { ok: true, value: next.value };
      } catch (e) {
        const isConflict = isApiError(e) && (e.status === 412 || e.status === 428);
        if (isConflict) {
          setConflict(true);
          await reload();
        }
        return { ok: false, error: e, conflict: isConflict };
      }
    },
    [id, reload],
  );

  return { data, timeline, loadError, loading, conflict, dismissConflict: () => setConflict(false), reload, mutate };
}
