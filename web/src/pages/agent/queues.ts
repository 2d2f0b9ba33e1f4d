import { useState } from 'react';
import { useNavigate } from 'react-router';
import { pickFromQueue } from '../../api/endpoints';
import { isApiError } from '../../api/errors';
import type { Queue } from '../../api/types';

/** The queue board and queue pages refresh their counts this often while visible. */
export const REFRESH_MS = 15_000;

export type PickOutcome = { queueId: string; queueName: string; empty: true } | { queueId: string; queueName: string; empty: false; error: unknown };

/**
 * "Pick next": take the most urgent, oldest waiting case of a queue and open it. A 404 means the
 * queue had nothing waiting (someone may have taken the last case a moment ago).
 */
export function usePickNext(onEmpty?: () => void) {
  const navigate = useNavigate();
  const [picking, setPicking] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<PickOutcome | null>(null);

  const pick = async (queue: Pick<Queue, 'id' | 'name'>) => {
    if (picking) return;
    setPicking(queue.id);
    setOutcome(null);
    try {
      const c = await pickFromQueue(queue.id);
      navigate(`/agent/cases/${c.value.id}`);
    } catch (e) {
      if (isApiError(e) && e.status === 404) {
        setOutcome({ queueId: queue.id, queueName: queue.name, empty: true });
        onEmpty?.();
      } else setOutcome({ queueId: queue.id, queueName: queue.name, empty: false, error: e });
    } finally {
      setPicking(null);
    }
  };

  return { pick, picking, outcome, dismiss: () => setOutcome(null) };
}
