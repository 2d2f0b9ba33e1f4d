/** Wire types of the API. The domain types are shared with the back end (pure TS, no zod). */
import type { ActiveStatus, Case, CaseState, CaseStatus, CaseType, Priority, ResolutionType, TimelineEntry } from '../../../shared/domain/case';
import type { Product, Subject } from '../../../shared/domain/catalog';
import type { Customer, Language, Tier } from '../../../shared/domain/customer';
import type { AssignmentStrategy, Presence } from '../../../shared/domain/routing/assignment';
import type { Role } from '../../../shared/domain/principal';
import type { Agent, Queue, QueueCounts, CaseQuery as StoreCaseQuery } from '../../../shared/ports';

export type { ActiveStatus, Case, CaseState, CaseStatus, CaseType, Customer, Language, Priority, Product, ResolutionType, Role, Subject, TimelineEntry };

export type { Page } from '../../../shared/ports';

export interface Me {
  sub: string;
  email: string;
  roles: Role[];
  /** the contact record of a customer user */
  customerId: string | null;
}

/** The list filters the API takes (the server's query, with its default page size). */
export type CaseQuery = Omit<StoreCaseQuery, 'limit'> & { limit?: number };

export interface CreateCaseInput {
  title: string;
  description: string;
  customerId?: string;
  subjectId?: string | null;
  productId?: string | null;
  caseType?: CaseType;
  priority?: Priority;
  ownerId?: string | null;
  queueId?: string | null;
}

export interface CasePatch {
  title?: string;
  description?: string;
  subjectId?: string | null;
  productId?: string | null;
  caseType?: CaseType;
  priority?: Priority;
  status?: ActiveStatus;
  ownerId?: string | null;
  queueId?: string | null;
}

export interface ResolveInput {
  resolutionType: ResolutionType;
  text: string;
  minutesSpent: number;
}

/** A case together with the version to send back in If-Match. */
export interface Versioned<T> {
  value: T;
  version: number;
}

// ---------------------------------------------------------------------------------------------
// Routing: agents, queues, rules (issue 4)

export type { Agent, AssignmentStrategy, Presence, Queue, QueueCounts, Tier };

export type StaffRole = 'agent' | 'manager' | 'admin';
export type QueueRole = 'default' | 'escalation';
export type QueueView = 'waiting' | 'in_progress' | 'all';

/** A queue as the API sends it: `counts` with `?counts=true` and on GET /queues/{id}. */
export type QueueWithCounts = Queue & { counts?: QueueCounts };

export interface CreateAgentInput {
  id: string;
  name: string;
  email: string;
  roles?: StaffRole[];
  capacity?: number;
  skills?: Record<string, number>;
  teams?: string[];
  presence?: Presence;
}
export type AgentPatch = Partial<Omit<CreateAgentInput, 'id'>>;

export interface CreateQueueInput {
  name: string;
  description?: string | null;
  role?: QueueRole | null;
  strategy?: AssignmentStrategy;
  members?: string[];
  requiredSkills?: Record<string, number>;
}
export type QueuePatch = Partial<CreateQueueInput>;

export interface AssignInput {
  ownerId?: string | null;
  queueId?: string | null;
  reason?: string;
}

/** The routing rule set; rules are edited as JSON, so they stay `unknown` here. */
export interface RuleSetDoc {
  rules: unknown[];
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface DryRunCase {
  caseId?: string;
  title?: string;
  description?: string;
  caseType?: CaseType;
  priority?: Priority;
  origin?: Case['origin'];
  subjectId?: string | null;
  productId?: string | null;
  customerId?: string;
  customerTier?: Tier;
  language?: Language;
}

export interface RuleTraceEntry {
  ruleId: string;
  ruleName: string;
  order: number;
  outcome: 'matched' | 'no_match' | 'error';
  reasons: string[];
  error?: string;
}

export interface DryRunResult {
  matched: { ruleId: string; ruleName: string; order: number; reasons: string[] } | null;
  skipped: { ruleId: string; ruleName: string; error: string }[];
  evaluated: number;
  trace: RuleTraceEntry[];
  decision: {
    queueId: string | null;
    queueName: string | null;
    priority: Priority | null;
    tags: string[];
    agentId: string | null;
    agentName: string | null;
    skills: Record<string, number>;
    ruleId: string | null;
    defaultQueue: boolean;
    text: string;
  };
}

// ---------------------------------------------------------------------------------------------
// E-mail channel (issue 5)

export type { MailAttachment, MailMeta } from '../../../shared/domain/case';
export type { Outcome as MailOutcome } from '../../../shared/domain/mail/types';
export type { IntakeRecord as InboundMail, MailTemplate, TemplateName } from '../../../shared/ports/mail';

export interface TemplateText {
  subject: string;
  text: string;
}

// ---------------------------------------------------------------------------------------------
// SLA (issue 6): calendars, policies (edited as JSON) and where a case's clocks stand

import type { KpiClock, KpiName, KpiStatus, LedgerSegment, Weekday } from '../../../shared/domain/sla';

export type { KpiName, KpiStatus, Weekday };

export interface WorkingInterval {
  start: string;
  end: string;
}

export interface CalendarInput {
  name: string;
  timeZone: string;
  week: Record<Weekday, WorkingInterval[]>;
  holidays: { date: string; name: string }[];
}

export interface SlaCalendar extends CalendarInput {
  id: string;
  version: number;
  updatedAt: string;
}

export interface PathNote {
  path: string;
  code: string;
  message: string;
}

export interface SlaPoliciesDoc {
  policies: unknown[];
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
  /** saved, but suspicious (e.g. a policy that can never apply) */
  warnings: PathNote[];
}

export type LedgerKind = LedgerSegment['kind'];

/** One SLA clock of a case: the engine's clock, with its KPI, target in minutes, calendar and explanation. */
export type KpiState = Omit<KpiClock, 'targetMs'> & {
  kpi: KpiName;
  /** 0 for first_response and resolve; next_response counts exchanges from 1 */
  cycle: number;
  startedAt: string;
  targetMinutes: number;
  calendar: { id: string; name: string; timeZone: string };
  /** the explanation in English sentences (one per fact) */
  explanation: string[];
  /** the same explanation as facts, for the screens to phrase in the reader's language */
  facts: ClockFact[];
};

/** One line of a clock's explanation: `target`, `counted`, `deadline`... with its values. */
export interface ClockFact {
  code: string;
  values: Record<string, string | number | null>;
}

export interface CaseSla {
  caseId: string;
  policyId: string | null;
  policyName: string | null;
  computedAt: string;
  kpis: KpiState[];
  /** when the case's timer next wakes to check and act; null when there is nothing to watch */
  timer: { generation: number; wakeAt: string } | null;
  /** stages already acted on: `first_response:warning`, `next_response#2:breach` */
  marks: string[];
}

export type SlaRisk = 'breached' | 'warning' | 'upcoming';

/** An open SLA clock due within the window (or already breached), as the at-risk view lists it. */
export interface AtRiskItem {
  caseId: string;
  ticketNumber: string;
  title: string;
  kpi: KpiName;
  cycle: number;
  priority: Priority;
  queueId: string | null;
  ownerId: string | null;
  warningAt: string | null;
  failureAt: string;
  risk: SlaRisk;
  /** until the failure time at `asOf`; negative once breached */
  remainingMs: number;
}

export interface AtRiskList {
  items: AtRiskItem[];
  nextCursor: string | null;
  asOf: string;
  withinMinutes: number;
}

export interface AtRiskCounts {
  asOf: string;
  withinMinutes: number;
  /** `queueId` null: cases in no queue */
  queues: { queueId: string | null; breached: number; warning: number; upcoming: number }[];
}

export type MeasureDimension = 'day' | 'queue' | 'agent' | 'priority';

export interface MeasureRow {
  /** the UTC day, queue id, agent id or priority; null for no queue / no owner */
  key: string | null;
  kpi: KpiName;
  met: number;
  breached: number;
  total: number;
  metPercent: number | null;
}

export interface SlaMeasures {
  from: string;
  to: string;
  by: MeasureDimension;
  rows: MeasureRow[];
}
