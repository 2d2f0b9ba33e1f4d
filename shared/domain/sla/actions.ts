/**
 * What happens when an SLA clock reaches its warning or failure time: the policy's actions for
 * that stage, applied to the case in one change together with the stage's mark, so each stage of
 * each clock acts exactly once (the mark travels in the same conditional write as the actions).
 * Pure: the use case loads the escalation queue and the managers to tell, and stores the change.
 */
import { type Actor, type Case, type CaseChange, type FieldChange, PRIORITIES, type Priority, type SlaStageMeta, type Stamp, type TimelineEntry } from '../case';
import type { KpiName } from './kpi';
import type { SlaAction } from './policy';

export type SlaStage = 'warning' | 'breach';

/** A stage of one clock that is due: its instant has come and it has not acted yet. */
export interface StageHit {
  kpi: KpiName;
  /** 0 for first_response and resolve; next_response exchanges count from 1 */
  cycle: number;
  stage: SlaStage;
  /** the failure time of the clock */
  deadline: string | null;
  actions: SlaAction[];
}

/** The mark a stage leaves on the case: `first_response:warning`, `next_response#2:breach`. */
export const stageMark = (h: Pick<StageHit, 'kpi' | 'cycle' | 'stage'>) => `${h.kpi}${h.cycle ? `#${h.cycle}` : ''}:${h.stage}`;

export interface StageContext {
  /** the queue with the escalation role, if any */
  escalationQueueId: string | null;
  /** agent ids to tell for notify_queue_managers (the case queue's managers, else every manager) */
  queueManagers: string[];
  /** agents that exist (a reassign to a removed agent is skipped, and the entry says so) */
  agentExists: (id: string) => boolean;
}

const SYSTEM: Actor = { sub: 'sla', kind: 'system' };
/** The KPIs' names in English (timeline entries, alert mails). */
export const KPI_LABEL: Record<KpiName, string> = { first_response: 'First response', resolve: 'Resolution', next_response: 'Next response' };

/** One step up: low -> normal -> high -> urgent (urgent stays). */
export function raisedPriority(p: Priority): Priority {
  return PRIORITIES[Math.min(PRIORITIES.indexOf(p) + 1, PRIORITIES.length - 1)]!;
}

/**
 * The case with the due stages' actions applied and their marks added, and one internal `sla`
 * timeline entry per stage that did something visible (an action, a change, a notification).
 * Stages already marked are ignored; a case that is not active only records nothing.
 */
export function applyStages(c: Case, hits: readonly StageHit[], ctx: StageContext, stamp: Stamp): CaseChange {
  const due = hits.filter((h) => !c.slaMarks.includes(stageMark(h)));
  if (!due.length || c.state !== 'active') return { case: c, entries: [], changed: false };
  let next: Case = { ...c, slaMarks: [...c.slaMarks] };
  const entries: TimelineEntry[] = [];
  for (const h of due) {
    next.slaMarks.push(stageMark(h));
    const changes: FieldChange[] = [];
    const notes: string[] = [];
    const notify = new Set<string>();
    for (const a of h.actions) {
      if (a.type === 'raise_priority') {
        const to = raisedPriority(next.priority);
        if (to !== next.priority) {
          changes.push({ field: 'priority', from: next.priority, to });
          next = { ...next, priority: to };
        } else notes.push('priority is already urgent');
      } else if (a.type === 'move_to_escalation_queue') {
        if (!ctx.escalationQueueId) notes.push('no queue has the escalation role');
        else if (ctx.escalationQueueId !== next.queueId) {
          changes.push({ field: 'queueId', from: next.queueId, to: ctx.escalationQueueId });
          next = { ...next, queueId: ctx.escalationQueueId };
        }
      } else if (a.type === 'reassign') {
        if (!ctx.agentExists(a.agentId)) notes.push(`agent ${a.agentId} is no longer in the directory`);
        else if (a.agentId !== next.ownerId) {
          changes.push({ field: 'ownerId', from: next.ownerId, to: a.agentId });
          next = { ...next, ownerId: a.agentId };
        }
      } else if (a.type === 'notify_owner') {
        if (next.ownerId) notify.add(next.ownerId);
        else notes.push('the case has no owner to tell');
      } else if (a.type === 'notify_queue_managers') {
        for (const m of ctx.queueManagers) notify.add(m);
        if (!ctx.queueManagers.length) notes.push('no manager to tell');
      }
    }
    const wantsEntry = h.actions.length > 0;
    if (!wantsEntry) continue;
    const what = h.stage === 'warning' ? 'is nearing its deadline' : 'missed its deadline';
    const cycle = h.cycle ? ` (exchange ${h.cycle})` : '';
    const body = `SLA: ${KPI_LABEL[h.kpi]}${cycle} ${what}${h.deadline ? ` (${h.deadline})` : ''}.${notes.length ? ` Not done: ${notes.join('; ')}.` : ''}`;
    const sla: SlaStageMeta = { kpi: h.kpi, cycle: h.cycle, stage: h.stage, deadline: h.deadline, actions: h.actions.map((a) => a.type), notify: [...notify] };
    entries.push({
      id: stamp.newId(),
      caseId: c.id,
      kind: 'sla',
      at: stamp.now,
      actor: SYSTEM,
      visibility: 'internal',
      body,
      ...(changes.length ? { changes } : {}),
      sla,
    });
  }
  next = { ...next, updatedAt: stamp.now, version: c.version + 1 };
  return { case: next, entries, changed: true };
}
