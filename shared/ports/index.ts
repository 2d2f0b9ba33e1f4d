/**
 * Ports: what the use cases need from the outside world. Adapters live in shared/adapters/.
 */
import type { Case, CaseState, CaseStatus, Priority, TimelineEntry } from '../domain/case';
import type { Product, Subject } from '../domain/catalog';
import type { Customer, CustomerKind } from '../domain/customer';
import type { RoutingRule } from '../domain/routing';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A reference that must exist when the write happens (checked inside the same transaction). */
export interface Reference {
  field: string;
  kind: 'customer' | 'subject' | 'product' | 'agent' | 'queue' | 'account';
  id: string;
}

export interface CaseQuery {
  state?: CaseState;
  status?: CaseStatus;
  priority?: Priority;
  ownerId?: string;
  queueId?: string;
  customerId?: string;
  limit: number;
  cursor?: string;
}

export type QueueView = 'waiting' | 'in_progress';

/** Extra conditions and effects of an automatic assignment, written in the same transaction. */
export interface AssignmentGuard {
  /** the new owner must be `available` with free capacity when the write happens */
  requireAvailable: boolean;
  /** move this queue's round-robin cursor to the new owner */
  queueCursor?: string;
}

export interface CaseStore {
  /** One write; when the new case has an owner, their open-case count moves with it. */
  create(c: Case, entries: TimelineEntry[], refs: Reference[]): Promise<void>;
  get(id: string): Promise<Case | undefined>;
  getByTicket(ticketNumber: string): Promise<Case | undefined>;
  /**
   * Conditional on `previous.version`; throws precondition-failed when stale, not-found when gone.
   * Keeps the owners' open-case counts: an active case leaving an owner, or reaching one, moves
   * the counts in the same transaction. With `guard`, a new owner who is no longer available or
   * has no free capacity fails the write with conflict `agent-unavailable`.
   */
  save(c: Case, entries: TimelineEntry[], previous: Case, refs: Reference[], guard?: AssignmentGuard): Promise<void>;
  list(q: CaseQuery): Promise<Page<Case>>;
  /** Active cases of a queue: `waiting` (unowned) in pick order, most urgent then oldest; `in_progress` (owned) likewise. */
  inQueue(queueId: string, view: QueueView, page: { limit: number; cursor?: string }): Promise<Page<Case>>;
  queueCounts(queueId: string): Promise<QueueCounts>;
  /** Active cases an agent owns, counted from the cases themselves. */
  countOpenOwned(ownerId: string): Promise<number>;
  timeline(caseId: string, opts: { publicOnly: boolean; limit: number; cursor?: string }): Promise<Page<TimelineEntry>>;
}

export interface TicketCounter {
  /** Atomically increments the ticket counter and returns the new value (1, 2, 3...). */
  next(): Promise<number>;
}

export interface CustomerQuery {
  kind?: CustomerKind;
  accountId?: string;
  email?: string;
  limit: number;
  cursor?: string;
}

export interface CustomerStore {
  create(c: Customer, refs: Reference[]): Promise<void>;
  get(id: string): Promise<Customer | undefined>;
  findIdByEmail(email: string): Promise<string | undefined>;
  save(c: Customer, previous: Customer, refs: Reference[]): Promise<void>;
  list(q: CustomerQuery): Promise<Page<Customer>>;
}

export interface CatalogStore {
  createSubject(s: Subject): Promise<void>;
  getSubject(id: string): Promise<Subject | undefined>;
  listSubjects(): Promise<Subject[]>;
  createProduct(p: Product): Promise<void>;
  getProduct(id: string): Promise<Product | undefined>;
  listProducts(q: { limit: number; cursor?: string }): Promise<Page<Product>>;
}

export type { Agent, Queue } from '../domain/directory';
import type { Agent, Queue } from '../domain/directory';

export interface QueueCounts {
  waiting: number;
  inProgress: number;
  oldestWaitingAt: string | null;
}

export interface DirectoryStore {
  /** Throws conflict when an agent with this id exists. */
  createAgent(a: Agent): Promise<void>;
  /** Conditional on `expectedVersion`; `openCases` is never written here (the case store owns it). */
  saveAgent(a: Agent, expectedVersion: number): Promise<void>;
  getAgent(id: string): Promise<Agent | undefined>;
  listAgents(): Promise<Agent[]>;
  /** Sets the open-case count (a recount from the cases). */
  setOpenCases(id: string, openCases: number): Promise<void>;
  createQueue(q: Queue): Promise<void>;
  /**
   * Conditional on `expectedVersion`. `demote` (another queue, at the version read) loses its role
   * in the same transaction, so there is always exactly one default and one escalation queue.
   */
  saveQueue(q: Queue, expectedVersion: number, demote?: Queue): Promise<void>;
  deleteQueue(id: string, expectedVersion: number): Promise<void>;
  getQueue(id: string): Promise<Queue | undefined>;
  listQueues(): Promise<Queue[]>;
}

export interface Clock {
  now(): Date;
}

export interface IdSource {
  /** an opaque unique id (UUID v4) */
  id(): string;
  /** random bytes for ticket numbers */
  bytes(n: number): Uint8Array;
}

export interface RuleSet {
  rules: RoutingRule[];
  /** 0 until the first save */
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface RoutingStore {
  getRuleSet(): Promise<RuleSet>;
  /** Conditional on `expectedVersion`; throws precondition-failed when someone saved in between. */
  saveRuleSet(rules: RoutingRule[], expectedVersion: number, by: string, now: string): Promise<RuleSet>;
}

/** Work queues (SQS on AWS, fauxqs locally): at-least-once delivery to a consumer function. */
export interface WorkQueue {
  send(message: Record<string, unknown>): Promise<void>;
}
