/** A complete in-memory MailDeps (deterministic ids and a settable clock): for tests and benchmarks. */
import type { Deps } from '../../app/deps';
import type { MailConfig, MailDeps } from '../../app/mail-deps';
import { DEFAULT_TICKET_FORMAT } from '../../domain/ticket-number';
import { parseMime } from '../mail/parse';
import {
  MemoryBlobStore,
  MemoryCaseStore,
  MemoryCatalogStore,
  MemoryCounter,
  MemoryCustomerStore,
  MemoryDirectoryStore,
  MemoryMailStore,
  MemoryMailer,
  MemoryRoutingStore,
  MemorySlaStateStore,
  MemorySlaStore,
  MemoryTimers,
  MemoryWorkQueue,
} from './index';

export function memoryMailDeps(opts: { now?: () => Date; mailConfig?: Partial<MailConfig> } = {}) {
  let n = 0;
  const stores = {
    cases: new MemoryCaseStore(),
    customers: new MemoryCustomerStore(),
    catalog: new MemoryCatalogStore(),
    directory: new MemoryDirectoryStore(),
    routing: new MemoryRoutingStore(),
    sla: new MemorySlaStore(),
    slaState: new MemorySlaStateStore(),
    timers: new MemoryTimers(),
    mail: new MemoryMailStore(),
    blobs: new MemoryBlobStore(),
    mailer: new MemoryMailer(),
    outbox: new MemoryWorkQueue(),
    slaQueue: new MemoryWorkQueue(),
  };
  const base: Deps = {
    cases: stores.cases,
    customers: stores.customers,
    catalog: stores.catalog,
    directory: stores.directory,
    routing: stores.routing,
    sla: stores.sla,
    slaState: stores.slaState,
    timers: stores.timers,
    slaQueue: stores.slaQueue,
    counter: new MemoryCounter(),
    blobs: stores.blobs,
    clock: { now: opts.now ?? (() => new Date()) },
    ids: {
      id: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
      bytes: (k: number) => new Uint8Array(k).map((_, i) => (n * 7 + i * 13) % 256),
    },
    config: { ticketFormat: DEFAULT_TICKET_FORMAT, reopenWindowDays: 7, ticketSerialBlock: 1, offlinePolicy: 'keep' },
  };
  const deps: MailDeps = {
    ...base,
    mail: stores.mail,
    mailer: stores.mailer,
    parse: parseMime,
    outbox: stores.outbox,
    mailConfig: { supportAddresses: ['support@example.com'], fromName: 'Help desk', unknownSenders: 'create', autoReplyLimitPerHour: 3, portalUrl: null, ...opts.mailConfig },
  };
  return { deps, stores };
}
