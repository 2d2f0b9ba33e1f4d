/**
 * The SLA timer's check (the Task of the state machine in `shared/sla-timer.ts`): at a warning or
 * failure time, recompute the case's clocks, act once on what is due, and return when to wake
 * next, or end. An execution whose generation is no longer the case's ends without acting.
 */
import { defaultDeps } from '../shared/adapters/aws/deps';
import type { Deps } from '../shared/app/deps';
import { checkTimer } from '../shared/app/sla-state';
import { logger } from '../shared/http/logger';
import type { TimerInput, TimerOutput } from '../shared/sla-timer';

export function makeSlaTimerHandler(deps: () => Deps) {
  return async (input: TimerInput): Promise<TimerOutput> => {
    if (!input || typeof input.caseId !== 'string' || typeof input.generation !== 'number') throw new Error('not a timer input: caseId and generation required');
    const out = await checkTimer(deps(), input);
    logger.info('sla-timer', { ...out });
    return out;
  };
}

export const handler = makeSlaTimerHandler(defaultDeps);
