/** SLA configuration storage: business-hours calendars (one versioned item each) and the policy set (one item). */
import type { Calendar } from '../domain/sla/calendar';
import type { SlaPolicy } from '../domain/sla/policy';

export type { Calendar, SlaPolicy };

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
