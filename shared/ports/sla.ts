/** SLA configuration storage: business-hours calendars (one versioned item each) and the policy set (one item). */
import type { Calendar } from '../domain/sla/calendar';
import type { SlaPolicy } from '../domain/sla/policy';
import type { KpiInstance } from '../domain/sla/instance';
import type { TimerInput } from '../sla-timer';

export type { Calendar, KpiInstance, SlaPolicy };

/** A stored calendar: the domain calendar plus its version and last change. */
export interface StoredCalendar extends Calendar {
  version: number;
  updatedAt: string;
}

export interface PolicySet {
  policies: SlaPolicy[];
  /** 0 until the first save */
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface SlaStore {
  /** Throws conflict when a calendar with this id exists. */
  createCalendar(c: StoredCalendar): Promise<void>;
  getCalendar(id: string): Promise<StoredCalendar | undefined>;
  /** By name. */
  listCalendars(): Promise<StoredCalendar[]>;
  /** Conditional on `expectedVersion`: precondition-failed when stale, not-found when gone. */
  saveCalendar(c: StoredCalendar, expectedVersion: number): Promise<void>;
  /** Conditional on `expectedVersion`: precondition-failed when stale, not-found when gone. */
  deleteCalendar(id: string, expectedVersion: number): Promise<void>;
  getPolicies(): Promise<PolicySet>;
  /** Conditional on `expectedVersion` (0: the first save); precondition-failed when someone saved in between. */
  savePolicies(policies: SlaPolicy[], expectedVersion: number, by: string, now: string): Promise<PolicySet>;
}

// ---------------------------------------------------------------------------------------------
// Stored SLA state of cases (KPI instances) and the timers that watch them


/** The SLA state of one case: its KPI instances and the timer execution watching them. */
export interface CaseSlaState {
  caseId: string;
  policyId: string | null;
  /** the latest timer generation handed out (0: never armed) */
  generation: number;
  /** the running timer: its generation, when it wakes, and the reference to stop it */
  timer: { generation: number; wakeAt: string; ref: string } | null;
  kpis: KpiInstance[];
  /** 0: nothing stored yet */
  version: number;
  updatedAt: string | null;
}

export interface SlaStateStore {
  /** Version 0 and no instances when nothing was stored yet. */
  getCaseState(caseId: string): Promise<CaseSlaState>;
  /**
   * Replaces the case's SLA state (head and instances; instances not in `next.kpis` are removed,
   * unchanged ones are not rewritten) conditional on `previous.version`; precondition-failed when
   * someone saved in between.
   */
  saveCaseState(next: CaseSlaState, previous: CaseSlaState): Promise<void>;
  /** Open, unpaused instances of a queue (null: cases in no queue) whose failure time is at or before `until`, soonest first. */
  atRisk(queueId: string | null, until: string, page: { limit: number; cursor?: string }): Promise<{ items: KpiInstance[]; nextCursor: string | null }>;
  /** Instances whose outcome (met or breached) counts on a UTC day. */
  outcomesOn(day: string): Promise<KpiInstance[]>;
}

/** Starts and stops timer executions (Step Functions on AWS, aws-local-stepfunctions locally). */
export interface SlaTimers {
  /** Starts the execution for (caseId, generation); idempotent for the same input. Returns its reference. */
  arm(input: TimerInput): Promise<string>;
  /** Stops an execution; no error when it has already ended. */
  disarm(ref: string): Promise<void>;
}
