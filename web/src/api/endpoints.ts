/** One typed function per API route the web app uses. Later issues add theirs here. */
import { type ApiResponse, type Query, api, versionFromEtag } from './client';
import type {
  Agent,
  AgentPatch,
  AssignInput,
  AtRiskCounts,
  AtRiskList,
  CalendarInput,
  Case,
  CasePatch,
  CaseSla,
  CaseQuery,
  CreateAgentInput,
  CreateCaseInput,
  CreateQueueInput,
  Customer,
  DryRunCase,
  DryRunResult,
  InboundMail,
  KpiName,
  Language,
  MailOutcome,
  MailTemplate,
  Me,
  MeasureDimension,
  Page,
  Presence,
  Product,
  QueuePatch,
  QueueView,
  QueueWithCounts,
  ResolveInput,
  RuleSetDoc,
  SlaCalendar,
  SlaMeasures,
  SlaPoliciesDoc,
  Subject,
  TemplateName,
  TemplateText,
  TimelineEntry,
  Versioned,
} from './types';

const versioned = (res: ApiResponse<Case>): Versioned<Case> => ({
  value: res.data,
  version: versionFromEtag(res.etag) ?? res.data.version,
});
const enc = encodeURIComponent;

export const getMe = async (signal?: AbortSignal) => (await api.get<Me>('/me', { signal })).data;

export const listCases = async (q: CaseQuery, signal?: AbortSignal) =>
  (await api.get<Page<Case>>('/cases', { query: q as Query, signal })).data;

export const getCase = async (id: string, signal?: AbortSignal) => versioned(await api.get<Case>(`/cases/${enc(id)}`, { signal }));

export const createCase = async (input: CreateCaseInput) => versioned(await api.post<Case>('/cases', input));

export const patchCase = async (id: string, patch: CasePatch, version: number) =>
  versioned(await api.patch<Case>(`/cases/${enc(id)}`, patch, { ifMatch: version }));

/** Messages and notes append: sent without If-Match (a concurrent change cannot be overwritten by them). */
export const addMessage = async (id: string, body: string, version?: number) =>
  versioned(await api.post<Case>(`/cases/${enc(id)}/messages`, { body }, { ifMatch: version }));

export const addNote = async (id: string, body: string, version?: number) =>
  versioned(await api.post<Case>(`/cases/${enc(id)}/notes`, { body }, { ifMatch: version }));

export const resolveCase = async (id: string, input: ResolveInput, version?: number) =>
  versioned(await api.post<Case>(`/cases/${enc(id)}/resolve`, input, { ifMatch: version }));

export const reactivateCase = async (id: string, reason: string | undefined, version?: number) =>
  versioned(await api.post<Case>(`/cases/${enc(id)}/reactivate`, reason ? { reason } : {}, { ifMatch: version }));

export const cancelCase = async (id: string, reason: string | undefined, version?: number) =>
  versioned(await api.post<Case>(`/cases/${enc(id)}/cancel`, reason ? { reason } : {}, { ifMatch: version }));

export const getTimelinePage = async (id: string, cursor?: string, signal?: AbortSignal) =>
  (await api.get<Page<TimelineEntry>>(`/cases/${enc(id)}/timeline`, { query: { limit: 100, cursor }, signal })).data;

/** The whole timeline, page after page (capped, so a runaway cursor cannot loop forever). */
export async function getTimeline(id: string, signal?: AbortSignal, maxPages = 50): Promise<TimelineEntry[]> {
  const all: TimelineEntry[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = await getTimelinePage(id, cursor, signal);
    all.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return all;
}

export const getCustomer = async (id: string, signal?: AbortSignal) =>
  (await api.get<Customer>(`/customers/${enc(id)}`, { signal })).data;

export const listCustomers = async (q: { accountId?: string; kind?: string; email?: string; limit?: number; cursor?: string }, signal?: AbortSignal) =>
  (await api.get<Page<Customer>>('/customers', { query: q, signal })).data;

export const listSubjects = async (signal?: AbortSignal) => (await api.get<Page<Subject>>('/subjects', { signal })).data.items;

export const listProducts = async (signal?: AbortSignal) =>
  (await api.get<Page<Product>>('/products', { query: { limit: 100 }, signal })).data.items;

export interface DirectoryEntry {
  id: string;
  name: string;
}
/** Staff only: the people and queues cases are assigned to. */
export const listAgents = async (signal?: AbortSignal) => (await api.get<Page<Agent>>('/agents', { signal })).data.items;
export const listQueues = async (signal?: AbortSignal) => (await api.get<Page<QueueWithCounts>>('/queues', { signal })).data.items;

// ---------------------------------------------------------------------------------------------
// Routing: agents, queues, rules

/** Anything the API versions (agents, queues, rule sets), with the version for If-Match. */
const withVersion = <T extends { version: number }>(res: ApiResponse<T>): Versioned<T> => ({
  value: res.data,
  version: versionFromEtag(res.etag) ?? res.data.version,
});

export const getAgent = async (id: string, signal?: AbortSignal) => withVersion(await api.get<Agent>(`/agents/${enc(id)}`, { signal }));
export const createAgent = async (input: CreateAgentInput) => withVersion(await api.post<Agent>('/agents', input));
export const patchAgent = async (id: string, patch: AgentPatch, version: number) =>
  withVersion(await api.patch<Agent>(`/agents/${enc(id)}`, patch, { ifMatch: version }));
/** The caller's own presence; 404 when the caller is not in the staff directory. */
export const setMyPresence = async (presence: Presence) => withVersion(await api.put<Agent>('/me/presence', { presence }));

/** Queues with their live counts (waiting, in progress, oldest waiting). */
export const listQueuesWithCounts = async (signal?: AbortSignal) =>
  (await api.get<Page<QueueWithCounts>>('/queues', { query: { counts: 'true' }, signal })).data.items;
export const getQueue = async (id: string, signal?: AbortSignal) => withVersion(await api.get<QueueWithCounts>(`/queues/${enc(id)}`, { signal }));
export const createQueue = async (input: CreateQueueInput) => withVersion(await api.post<QueueWithCounts>('/queues', input));
export const patchQueue = async (id: string, patch: QueuePatch, version: number) =>
  withVersion(await api.patch<QueueWithCounts>(`/queues/${enc(id)}`, patch, { ifMatch: version }));
export const deleteQueue = async (id: string, version: number) => {
  await api.delete(`/queues/${enc(id)}`, { ifMatch: version });
};
export const listQueueCases = async (id: string, q: { view: QueueView; limit?: number; cursor?: string }, signal?: AbortSignal) =>
  (await api.get<Page<Case>>(`/queues/${enc(id)}/cases`, { query: q, signal })).data;
/** Take the most urgent, oldest waiting case of the queue (404 when none is waiting). */
export const pickFromQueue = async (id: string) => versioned(await api.post<Case>(`/queues/${enc(id)}/pick`));

export const assignCase = async (id: string, input: AssignInput, version?: number) =>
  versioned(await api.post<Case>(`/cases/${enc(id)}/assign`, input, { ifMatch: version }));
export const rerouteCase = async (id: string, version?: number) => versioned(await api.post<Case>(`/cases/${enc(id)}/route`, undefined, { ifMatch: version }));

export const getRuleSet = async (signal?: AbortSignal) => withVersion(await api.get<RuleSetDoc>('/routing/rules', { signal }));
/** Replace the rule set; `version` 0 for the very first save. */
export const putRuleSet = async (rules: unknown[], version: number) => withVersion(await api.put<RuleSetDoc>('/routing/rules', { rules }, { ifMatch: version }));
export const dryRunRouting = async (input: { case: DryRunCase; rules?: unknown[] }) => (await api.post<DryRunResult>('/routing/test', input)).data;

// ---------------------------------------------------------------------------------------------
// E-mail channel: the intake monitor (admins) and the mail templates (managers read, admins edit)

export const listInboundMail = async (q: { outcome?: MailOutcome; limit?: number; cursor?: string }, signal?: AbortSignal) =>
  (await api.get<Page<InboundMail>>('/mail/inbound', { query: q, signal })).data;
/** Process a failed mail again; 409 when it is not failed (any more). */
export const replayInboundMail = async (id: string) => (await api.post<InboundMail>(`/mail/inbound/${enc(id)}/replay`)).data;
/** Let a quarantined mail through; 409 when it is not quarantined (any more). */
export const releaseInboundMail = async (id: string) => (await api.post<InboundMail>(`/mail/inbound/${enc(id)}/release`)).data;

export const listMailTemplates = async (signal?: AbortSignal) => (await api.get<Page<MailTemplate>>('/mail/templates', { signal })).data.items;
/** Replace a template; `version` 0 replaces the built-in default. */
export const putMailTemplate = async (name: TemplateName, language: Language, body: TemplateText, version: number) =>
  withVersion(await api.put<MailTemplate>(`/mail/templates/${enc(name)}/${enc(language)}`, body, { ifMatch: version }));

export interface AttachmentLink {
  url: string;
  name: string;
  contentType: string;
  size: number;
  dangerous: boolean;
  expiresAt: string;
}
/** A short-lived download link for an attachment of a timeline entry. */
export const attachmentLink = async (caseId: string, entryId: string, index: number) =>
  (await api.get<AttachmentLink>(`/cases/${enc(caseId)}/attachments/${enc(entryId)}/${index}`)).data;

// ---------------------------------------------------------------------------------------------
// SLA: where a case's clocks stand (staff), calendars (admins edit) and policies (managers read, admins edit)

export const getCaseSla = async (id: string, signal?: AbortSignal) => (await api.get<CaseSla>(`/cases/${enc(id)}/sla`, { signal })).data;

export const listCalendars = async (signal?: AbortSignal) => (await api.get<Page<SlaCalendar>>('/sla/calendars', { signal })).data.items;
export const getCalendar = async (id: string, signal?: AbortSignal) => withVersion(await api.get<SlaCalendar>(`/sla/calendars/${enc(id)}`, { signal }));
export const createCalendar = async (input: CalendarInput) => withVersion(await api.post<SlaCalendar>('/sla/calendars', input));
export const putCalendar = async (id: string, input: CalendarInput, version: number) =>
  withVersion(await api.put<SlaCalendar>(`/sla/calendars/${enc(id)}`, input, { ifMatch: version }));
/** 409 while a policy uses the calendar. */
export const deleteCalendar = async (id: string, version: number) => {
  await api.delete(`/sla/calendars/${enc(id)}`, { ifMatch: version });
};

export const getSlaPolicies = async (signal?: AbortSignal) => withVersion(await api.get<SlaPoliciesDoc>('/sla/policies', { signal }));
/** Replace the policies; `version` 0 for the very first save. */
export const putSlaPolicies = async (policies: unknown[], version: number) =>
  withVersion(await api.put<SlaPoliciesDoc>('/sla/policies', { policies }, { ifMatch: version }));

/** A queue's open SLA clocks due within `withinMinutes` or already breached, soonest first; `queueId` 'none' for cases in no queue. */
export const listAtRisk = async (q: { queueId: string; withinMinutes: number; limit?: number; cursor?: string }, signal?: AbortSignal) =>
  (await api.get<AtRiskList>('/sla/at-risk', { query: q, signal })).data;

/** Per queue (and no queue): how many open clocks are breached, past their warning, or due within the window. */
export const getAtRiskCounts = async (withinMinutes: number, signal?: AbortSignal) =>
  (await api.get<AtRiskCounts>('/sla/at-risk/counts', { query: { withinMinutes }, signal })).data;

/** Met and breached counts (managers, admins); `from`/`to` are UTC days, at most 92 days apart (400 at `to` otherwise). */
export const getSlaMeasures = async (q: { from: string; to: string; by: MeasureDimension; kpi?: KpiName }, signal?: AbortSignal) =>
  (await api.get<SlaMeasures>('/sla/measures', { query: q, signal })).data;
