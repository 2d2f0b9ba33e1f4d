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

export interface CaseStore {
  create(c: Case, entries: TimelineEntry[], refs: Reference[]): Promise<void>;
  get(id: string): Promise<Case | undefined>;
  getByTicket(ticketNumber: string): Promise<Case | undefined>;
  /** Conditional on `expectedVersion`; throws precondition-failed when stale, not-found when gone. */
  save(c: Case, entries: TimelineEntry[], expectedVersion: number, refs: Reference[]): Promise<void>;
  list(q: CaseQuery): Promise<Page<Case>>;
  /** Cases waiting in a queue (active, unowned), most urgent then oldest first. */
  waiting(queueId: string, limit: number): Promise<Case[]>;
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

export interface Agent {
  id: string; // the identity provider's `sub`
  email: string;
  name: string;
  roles: string[];
  createdAt: string;
}
export interface Queue {
  id: string;
  name: string;
  description: string | null;
  /** the queue unmatched cases go to, and the one escalations go to (one each) */
  role?: 'default' | 'escalation' | null;
  createdAt: string;
}

export interface DirectoryStore {
  putAgent(a: Agent): Promise<void>;
  getAgent(id: string): Promise<Agent | undefined>;
  listAgents(): Promise<Agent[]>;
  putQueue(q: Queue): Promise<void>;
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
