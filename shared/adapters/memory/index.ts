/**
 * In-memory adapters of our ports: for unit tests and benchmarks that measure our code rather
 * than a database. Same contracts as the DynamoDB adapters where the use cases depend on them
 * (conditional versions, uniqueness, duplicates); no indexes, so lists filter and sort in memory.
 */
import type { Case, TimelineEntry } from '../../domain/case';
import type { Product, Subject } from '../../domain/catalog';
import { type Customer, emailKey } from '../../domain/customer';
import { conflict, notFound, preconditionFailed } from '../../domain/errors';
import type { RoutingRule } from '../../domain/routing';
import { comparePickOrder } from '../../domain/routing/assignment';
import type {
  Agent,
  CaseQuery,
  CaseStore,
  CatalogStore,
  CustomerQuery,
  CustomerStore,
  DirectoryStore,
  Page,
  Queue,
  QueueView,
  RoutingStore,
  RuleSet,
  TicketCounter,
  WorkQueue,
} from '../../ports';
import type { BlobStore, Claim, IntakeRecord, MailStore, MailTemplate, Mailer, OutboundMail, TemplateName } from '../../ports/mail';
import type { CaseSlaState, PolicySet, SlaPolicy, SlaStateStore, SlaStore, SlaTimers, StoredCalendar } from '../../ports/sla';
import type { TimerInput } from '../../sla-timer';
import { isWatched } from '../../domain/sla/instance';

const clone = <T>(x: T): T => structuredClone(x);
const page = <T>(all: T[], limit: number, cursor?: string): Page<T> => {
  const start = cursor ? Number(cursor) : 0;
  const items = all.slice(start, start + limit);
  return { items, nextCursor: start + limit < all.length ? String(start + limit) : null };
};

export class MemoryCaseStore implements CaseStore {
  readonly cases = new Map<string, Case>();
  readonly entries = new Map<string, TimelineEntry[]>();

  async create(c: Case, entries: TimelineEntry[]) {
    if (this.cases.has(c.id)) throw conflict('A case with this id already exists.');
    this.cases.set(c.id, clone(c));
    this.entries.set(c.id, clone(entries));
  }
  async get(id: string) {
    const c = this.cases.get(id);
    return c ? clone(c) : undefined;
  }
  async getByTicket(ticketNumber: string) {
    for (const c of this.cases.values()) if (c.ticketNumber === ticketNumber) return clone(c);
    return undefined;
  }
  async save(c: Case, entries: TimelineEntry[], previous: Case) {
    const stored = this.cases.get(c.id);
    if (!stored) throw notFound('Case');
    if (stored.version !== previous.version) throw preconditionFailed(stored.version);
    this.cases.set(c.id, clone(c));
    this.entries.get(c.id)!.push(...clone(entries));
  }
  async list(q: CaseQuery) {
    const all = [...this.cases.values()]
      .filter((c) => (Object.entries(q) as [keyof CaseQuery, unknown][]).every(([k, v]) => k === 'limit' || k === 'cursor' || v === undefined || c[k as keyof Case] === v))
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
    return page(all.map(clone), q.limit, q.cursor);
  }
  async inQueue(queueId: string, view: QueueView, p: { limit: number; cursor?: string }) {
    const all = [...this.cases.values()].filter((c) => c.state === 'active' && c.queueId === queueId && (view === 'waiting' ? !c.ownerId : Boolean(c.ownerId))).sort(comparePickOrder);
    return page(all.map(clone), p.limit, p.cursor);
  }
  async queueCounts(queueId: string) {
    const active = [...this.cases.values()].filter((c) => c.state === 'active' && c.queueId === queueId);
    const waiting = active.filter((c) => !c.ownerId);
    return { waiting: waiting.length, inProgress: active.length - waiting.length, oldestWaitingAt: waiting.map((c) => c.createdAt).sort()[0] ?? null };
  }
  async countOpenOwned(ownerId: string) {
    return [...this.cases.values()].filter((c) => c.state === 'active' && c.ownerId === ownerId).length;
  }
  async timeline(caseId: string, opts: { publicOnly: boolean; limit: number; cursor?: string }) {
    const all = (this.entries.get(caseId) ?? []).filter((e) => !opts.publicOnly || e.visibility === 'public');
    return page(all.map(clone), opts.limit, opts.cursor);
  }
}

export class MemoryCustomerStore implements CustomerStore {
  readonly customers = new Map<string, Customer>();
  async create(c: Customer) {
    if (c.email && [...this.customers.values()].some((x) => x.email && emailKey(x.email) === emailKey(c.email!))) throw conflict('The e-mail address is already used.');
    this.customers.set(c.id, clone(c));
  }
  async get(id: string) {
    const c = this.customers.get(id);
    return c ? clone(c) : undefined;
  }
  async findIdByEmail(email: string) {
    for (const c of this.customers.values()) if (c.email && emailKey(c.email) === emailKey(email)) return c.id;
    return undefined;
  }
  async save(c: Customer, previous: Customer) {
    const stored = this.customers.get(c.id);
    if (!stored) throw notFound('Customer');
    if (stored.version !== previous.version) throw preconditionFailed(stored.version, 'customer');
    this.customers.set(c.id, clone(c));
  }
  async list(q: CustomerQuery) {
    const all = [...this.customers.values()].filter((c) => (!q.kind || c.kind === q.kind) && (!q.accountId || c.accountId === q.accountId) && (!q.email || (c.email && emailKey(c.email) === emailKey(q.email))));
    return page(all.map(clone), q.limit, q.cursor);
  }
}

export class MemoryCatalogStore implements CatalogStore {
  readonly subjects = new Map<string, Subject>();
  readonly products = new Map<string, Product>();
  async createSubject(s: Subject) {
    this.subjects.set(s.id, clone(s));
  }
  async getSubject(id: string) {
    return this.subjects.get(id);
  }
  async listSubjects() {
    return [...this.subjects.values()];
  }
  async createProduct(p: Product) {
    this.products.set(p.id, clone(p));
  }
  async getProduct(id: string) {
    return this.products.get(id);
  }
  async listProducts(q: { limit: number; cursor?: string }) {
    return page([...this.products.values()], q.limit, q.cursor);
  }
}

export class MemoryDirectoryStore implements DirectoryStore {
  readonly agents = new Map<string, Agent>();
  readonly queues = new Map<string, Queue>();
  async createAgent(a: Agent) {
    if (this.agents.has(a.id)) throw conflict('An agent with this id already exists.');
    this.agents.set(a.id, clone(a));
  }
  async saveAgent(a: Agent, expectedVersion: number) {
    const stored = this.agents.get(a.id);
    if (!stored) throw notFound('Agent');
    if (stored.version !== expectedVersion) throw preconditionFailed(stored.version, 'agent');
    this.agents.set(a.id, { ...clone(a), openCases: stored.openCases });
  }
  async getAgent(id: string) {
    const a = this.agents.get(id);
    return a ? clone(a) : undefined;
  }
  async listAgents() {
    return [...this.agents.values()].map(clone);
  }
  async setOpenCases(id: string, openCases: number) {
    const a = this.agents.get(id);
    if (a) a.openCases = openCases;
  }
  async createQueue(q: Queue) {
    this.queues.set(q.id, clone(q));
  }
  async saveQueue(q: Queue, expectedVersion: number, demote?: Queue) {
    const stored = this.queues.get(q.id);
    if (!stored) throw notFound('Queue');
    if (stored.version !== expectedVersion) throw preconditionFailed(stored.version, 'queue');
    this.queues.set(q.id, clone(q));
    if (demote) this.queues.set(demote.id, { ...clone(demote), role: null, version: demote.version + 1 });
  }
  async deleteQueue(id: string) {
    this.queues.delete(id);
  }
  async getQueue(id: string) {
    const q = this.queues.get(id);
    return q ? clone(q) : undefined;
  }
  async listQueues() {
    return [...this.queues.values()].map(clone);
  }
}

export class MemoryRoutingStore implements RoutingStore {
  private set: RuleSet = { rules: [], version: 0, updatedAt: null, updatedBy: null };
  async getRuleSet() {
    return clone(this.set);
  }
  async saveRuleSet(rules: RoutingRule[], expectedVersion: number, by: string, now: string) {
    if (this.set.version !== expectedVersion) throw preconditionFailed(this.set.version, 'rule set');
    this.set = { rules: clone(rules), version: expectedVersion + 1, updatedAt: now, updatedBy: by };
    return clone(this.set);
  }
}

export class MemorySlaStore implements SlaStore {
  readonly calendars = new Map<string, StoredCalendar>();
  private set: PolicySet = { policies: [], version: 0, updatedAt: null, updatedBy: null };
  async createCalendar(c: StoredCalendar) {
    if (this.calendars.has(c.id)) throw conflict('A calendar with this id already exists.');
    this.calendars.set(c.id, clone(c));
  }
  async getCalendar(id: string) {
    const c = this.calendars.get(id);
    return c ? clone(c) : undefined;
  }
  async listCalendars() {
    return [...this.calendars.values()].sort((a, b) => a.name.localeCompare(b.name)).map(clone);
  }
  async saveCalendar(c: StoredCalendar, expectedVersion: number) {
    const stored = this.calendars.get(c.id);
    if (!stored) throw notFound('Calendar');
    if (stored.version !== expectedVersion) throw preconditionFailed(stored.version, 'calendar');
    this.calendars.set(c.id, clone(c));
  }
  async deleteCalendar(id: string, expectedVersion: number) {
    const stored = this.calendars.get(id);
    if (!stored) throw notFound('Calendar');
    if (stored.version !== expectedVersion) throw preconditionFailed(stored.version, 'calendar');
    this.calendars.delete(id);
  }
  async getPolicies() {
    return clone(this.set);
  }
  async savePolicies(policies: SlaPolicy[], expectedVersion: number, by: string, now: string) {
    if (this.set.version !== expectedVersion) throw preconditionFailed(this.set.version, 'SLA policies');
    this.set = { policies: clone(policies), version: expectedVersion + 1, updatedAt: now, updatedBy: by };
    return clone(this.set);
  }
}

export class MemorySlaStateStore implements SlaStateStore {
  readonly states = new Map<string, CaseSlaState>();
  async getCaseState(caseId: string): Promise<CaseSlaState> {
    const s = this.states.get(caseId);
    return s ? clone(s) : { caseId, policyId: null, generation: 0, timer: null, kpis: [], version: 0, updatedAt: null };
  }
  async saveCaseState(next: CaseSlaState, previous: CaseSlaState) {
    const current = this.states.get(next.caseId)?.version ?? 0;
    if (current !== previous.version) throw preconditionFailed(current, 'case SLA state');
    this.states.set(next.caseId, clone(next));
  }
  async atRisk(queueId: string | null, until: string, page: { limit: number; cursor?: string }) {
    const all = [...this.states.values()]
      .flatMap((s) => s.kpis)
      .filter((k) => isWatched(k) && k.queueId === queueId && k.failureAt! <= until)
      .sort((a, b) => (`${a.failureAt}#${a.caseId}#${a.kpi}#${a.cycle}` < `${b.failureAt}#${b.caseId}#${b.kpi}#${b.cycle}` ? -1 : 1));
    const start = page.cursor ? Number(page.cursor) : 0;
    const items = all.slice(start, start + page.limit).map(clone);
    return { items, nextCursor: start + page.limit < all.length ? String(start + page.limit) : null };
  }
  async outcomesOn(day: string) {
    return [...this.states.values()].flatMap((s) => s.kpis).filter((k) => k.outcomeDay === day).map(clone);
  }
}

/** Timers kept in memory: what is armed, and a way for tests to fire what is due. */
export class MemoryTimers implements SlaTimers {
  readonly running = new Map<string, TimerInput>();
  readonly started: TimerInput[] = [];
  readonly stopped: string[] = [];
  async arm(input: TimerInput) {
    const ref = `${input.caseId}-g${input.generation}`;
    const existing = this.running.get(ref);
    if (existing && existing.wakeAt !== input.wakeAt) throw Object.assign(new Error(`timer ${ref} exists with another input`), { code: 'timer-exists' });
    if (!existing) this.started.push({ ...input });
    this.running.set(ref, { ...input });
    return ref;
  }
  async disarm(ref: string) {
    if (this.running.delete(ref)) this.stopped.push(ref);
  }
  /** The running timers due at `now`, earliest first. */
  due(now: Date): { ref: string; input: TimerInput }[] {
    return [...this.running.entries()]
      .filter(([, t]) => Date.parse(t.wakeAt) <= now.getTime())
      .sort((a, b) => Date.parse(a[1].wakeAt) - Date.parse(b[1].wakeAt))
      .map(([ref, input]) => ({ ref, input }));
  }
}

export class MemoryCounter implements TicketCounter {
  private n = 0;
  async next() {
    return ++this.n;
  }
}

export class MemoryBlobStore implements BlobStore {
  readonly blobs = new Map<string, Uint8Array>();
  async put(key: string, bytes: Uint8Array) {
    this.blobs.set(key, bytes);
  }
  async get(key: string) {
    return this.blobs.get(key);
  }
  async downloadUrl(key: string, opts: { filename: string; contentType: string; expiresInSeconds: number }) {
    return `memory://${key}?name=${encodeURIComponent(opts.filename)}&expires=${opts.expiresInSeconds}`;
  }
}

export class MemoryMailStore implements MailStore {
  readonly intake = new Map<string, IntakeRecord>();
  readonly links = new Map<string, string>();
  readonly threads = new Map<string, string[]>();
  readonly participants = new Map<string, Set<string>>();
  readonly slots = new Map<string, number>();
  readonly outbound = new Map<string, { status: 'sending' | 'sent'; at: number }>();
  readonly templates = new Map<string, MailTemplate>();

  async claim(rec: IntakeRecord): Promise<Claim> {
    const existing = this.intake.get(rec.id);
    if (existing) return { claimed: false, existing: clone(existing) };
    this.intake.set(rec.id, clone(rec));
    return { claimed: true, record: rec };
  }
  async saveIntake(rec: IntakeRecord, expectedVersion: number) {
    const stored = this.intake.get(rec.id);
    if (!stored) throw notFound('Mail');
    if (stored.version !== expectedVersion) throw preconditionFailed(stored.version, 'mail record');
    this.intake.set(rec.id, clone(rec));
  }
  async getIntake(id: string) {
    const r = this.intake.get(id);
    return r ? clone(r) : undefined;
  }
  async listIntake(q: { outcome?: IntakeRecord['outcome']; limit: number; cursor?: string }) {
    const all = [...this.intake.values()].filter((r) => !q.outcome || r.outcome === q.outcome).sort((a, b) => (a.receivedAt < b.receivedAt ? 1 : -1));
    return page(all.map(clone), q.limit, q.cursor);
  }
  async linkMessageId(messageId: string, caseId: string) {
    this.links.set(messageId.toLowerCase(), caseId);
    this.threads.set(caseId, [...(this.threads.get(caseId) ?? []), messageId]);
  }
  async caseForMessageId(messageId: string) {
    return this.links.get(messageId.toLowerCase());
  }
  async threadMessageIds(caseId: string, limit: number) {
    return (this.threads.get(caseId) ?? []).slice(-limit);
  }
  async addParticipants(caseId: string, emails: string[]) {
    const set = this.participants.get(caseId) ?? new Set<string>();
    for (const e of emails) set.add(e.trim().toLowerCase());
    this.participants.set(caseId, set);
  }
  async isParticipant(caseId: string, email: string) {
    return this.participants.get(caseId)?.has(email.trim().toLowerCase()) ?? false;
  }
  async takeAutoReplySlot(recipient: string, now: Date, limitPerHour: number) {
    const key = `${recipient.toLowerCase()}#${now.toISOString().slice(0, 13)}`;
    const taken = this.slots.get(key) ?? 0;
    if (taken >= limitPerHour) return false;
    this.slots.set(key, taken + 1);
    return true;
  }
  async claimOutbound(key: string, now: Date, staleAfterSeconds: number) {
    const m = this.outbound.get(key);
    if (m && !(m.status === 'sending' && m.at < now.getTime() - staleAfterSeconds * 1000)) return false;
    this.outbound.set(key, { status: 'sending', at: now.getTime() });
    return true;
  }
  async completeOutbound(key: string) {
    this.outbound.set(key, { status: 'sent', at: Date.now() });
  }
  async releaseOutbound(key: string) {
    const m = this.outbound.get(key);
    if (m?.status === 'sending') this.outbound.set(key, { ...m, at: 0 });
  }
  async getTemplate(name: TemplateName, language: string) {
    const t = this.templates.get(`${name}#${language}`);
    return t ? clone(t) : undefined;
  }
  async putTemplate(t: MailTemplate, expectedVersion: number) {
    const stored = this.templates.get(`${t.name}#${t.language}`);
    if ((stored?.version ?? 0) !== expectedVersion) throw preconditionFailed(stored?.version ?? 0, 'template');
    const next = { ...clone(t), version: expectedVersion + 1 };
    this.templates.set(`${t.name}#${t.language}`, next);
    return next;
  }
}

/** Records what would be sent. */
export class MemoryMailer implements Mailer {
  readonly sent: OutboundMail[] = [];
  async send(mail: OutboundMail) {
    this.sent.push(clone(mail));
    const providerId = `memory-${this.sent.length}`;
    return { providerId, messageId: `${providerId}@memory.amazonses.com` };
  }
}

export class MemoryWorkQueue implements WorkQueue {
  readonly messages: Record<string, unknown>[] = [];
  async send(message: Record<string, unknown>) {
    this.messages.push(clone(message));
  }
}
