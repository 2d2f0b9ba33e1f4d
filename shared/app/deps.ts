/** Everything a use case needs, passed in: stores, clock, ids and configuration. */
import type { Stamp } from '../domain/case';
import type { OfflinePolicy } from '../domain/routing/assignment';
import type { TicketFormat } from '../domain/ticket-number';
import type { BlobStore } from '../ports/mail';
import type { SlaStateStore, SlaStore, SlaTimers } from '../ports/sla';
import type { CaseStore, CatalogStore, Clock, CustomerStore, DirectoryStore, IdSource, RoutingStore, TicketCounter, WorkQueue } from '../ports';

export interface Config {
  ticketFormat: TicketFormat;
  /** days after resolution during which a customer may reopen a case */
  reopenWindowDays: number;
  /** ticket serials reserved per counter write (1 = strictly sequential) */
  ticketSerialBlock: number;
  /** what happens to an agent's open cases when they go offline: kept, or returned to their queues */
  offlinePolicy: OfflinePolicy;
}

export interface Deps {
  cases: CaseStore;
  customers: CustomerStore;
  catalog: CatalogStore;
  directory: DirectoryStore;
  routing: RoutingStore;
  /** SLA calendars and policies */
  sla: SlaStore;
  /** the stored SLA state of cases (KPI instances, the timer watching each) */
  slaState: SlaStateStore;
  /** starts and stops the cases' SLA timer executions */
  timers: SlaTimers;
  /** the SLA worker's queue: asks for cases' SLA state to be recomputed */
  slaQueue: WorkQueue;
  counter: TicketCounter;
  /** raw mail and attachments (S3, or a folder locally) */
  blobs: BlobStore;
  clock: Clock;
  ids: IdSource;
  config: Config;
}

/** The time and id source a domain change is stamped with: now by the deps' clock, or a given instant. */
export const stamp = (deps: Pick<Deps, 'clock' | 'ids'>, at: Date = deps.clock.now()): Stamp => ({ now: at.toISOString(), newId: () => deps.ids.id() });
