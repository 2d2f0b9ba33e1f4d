/**
 * Stored KPI instances: the SLA clocks of a case as last computed, with the case facts the
 * at-risk view and the measures need. Pure.
 */
import type { CaseState, Priority } from '../case';
import type { KpiName, KpiStatus } from './kpi';

/**
 * One KPI instance of a case as last computed: what the at-risk view and the measures read.
 * `cycle` is 0 for first_response and resolve; next_response has one instance per exchange
 * (1, 2, ...: a customer message waiting for the next staff reply).
 */
export interface KpiInstance {
  caseId: string;
  kpi: KpiName;
  cycle: number;
  status: KpiStatus;
  priority: Priority;
  targetMinutes: number;
  startedAt: string;
  warningAt: string | null;
  failureAt: string | null;
  achievedAt: string | null;
  elapsedMs: number;
  pausedMs: number;
  policyId: string;
  /** the case as the views need it, copied so they need no second read */
  ticketNumber: string;
  title: string;
  queueId: string | null;
  ownerId: string | null;
  caseState: CaseState;
  /** the UTC day (YYYY-MM-DD) the outcome counts on: met on the achievement day, breached on the failure day; null while open */
  outcomeDay: string | null;
  computedAt: string;
}

/** Open and unpaused: what the at-risk view lists (by failure time) and timers watch. */
export const isWatched = (k: KpiInstance) =>
  k.caseState === 'active' && k.failureAt !== null && k.achievedAt === null && (k.status === 'in_progress' || k.status === 'nearing_noncompliance' || k.status === 'noncompliant');
