/**
 * Every HTTP route, once: which function serves it, whether it needs a token, and its schemas.
 * The CDK stack, the local gateway and the OpenAPI document are all generated from this list.
 */
import type { z } from 'zod';
import * as s from './schemas';

export type FunctionName = 'meta' | 'cases' | 'customers' | 'catalog' | 'routing' | 'mail' | 'sla';

export interface RouteSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  fn: FunctionName;
  auth: 'jwt' | 'none';
  summary: string;
  tag: string;
  roles?: string;
  body?: z.ZodType;
  query?: z.ZodType;
  response?: { status: number; schema?: z.ZodType; etag?: boolean; contentType?: string };
  ifMatch?: 'required' | 'optional';
}

const casePage = s.pageOf(s.CaseSchema, 'CasePage');
const timelinePage = s.pageOf(s.TimelineEntrySchema, 'TimelinePage');
const customerPage = s.pageOf(s.CustomerSchema, 'CustomerPage');
const productPage = s.pageOf(s.ProductSchema, 'ProductPage');
const caseResponse = { status: 200, schema: s.CaseSchema, etag: true };
const agentResponse = { status: 200, schema: s.AgentSchema, etag: true };
const queueResponse = { status: 200, schema: s.QueueSchema, etag: true };

export const ROUTES: RouteSpec[] = [
  { method: 'GET', path: '/health', fn: 'meta', auth: 'none', tag: 'meta', summary: 'Liveness', response: { status: 200, schema: s.HealthSchema } },
  { method: 'GET', path: '/openapi.json', fn: 'meta', auth: 'none', tag: 'meta', summary: 'This OpenAPI 3.1 document', response: { status: 200, contentType: 'application/json' } },
  { method: 'GET', path: '/docs', fn: 'meta', auth: 'none', tag: 'meta', summary: 'API reference page', response: { status: 200, contentType: 'text/html' } },
  { method: 'GET', path: '/me', fn: 'meta', auth: 'jwt', tag: 'meta', summary: 'Who am I, and my roles', response: { status: 200, schema: s.MeSchema } },

  { method: 'POST', path: '/cases', fn: 'cases', auth: 'jwt', tag: 'cases', summary: 'Open a case (customers for themselves; agents name customerId)', body: s.CreateCaseBody, response: { status: 201, schema: s.CaseSchema, etag: true } },
  { method: 'GET', path: '/cases', fn: 'cases', auth: 'jwt', tag: 'cases', summary: 'List cases, newest first (customers: their own)', query: s.CaseQuery, response: { status: 200, schema: casePage } },
  { method: 'GET', path: '/cases/by-ticket/{ticketNumber}', fn: 'cases', auth: 'jwt', tag: 'cases', summary: 'Find a case by its ticket number', response: caseResponse },
  { method: 'GET', path: '/cases/{id}', fn: 'cases', auth: 'jwt', tag: 'cases', summary: 'Read a case', response: caseResponse },
  { method: 'PATCH', path: '/cases/{id}', fn: 'cases', auth: 'jwt', tag: 'cases', summary: 'Change case fields (If-Match required; customers: title and description only)', body: s.PatchCaseBody, ifMatch: 'required', response: caseResponse },
  { method: 'POST', path: '/cases/{id}/messages', fn: 'cases', auth: 'jwt', tag: 'cases', summary: 'Add a public message to the conversation', body: s.MessageBody, ifMatch: 'optional', response: { status: 201, schema: s.CaseSchema, etag: true } },
  { method: 'POST', path: '/cases/{id}/notes', fn: 'cases', auth: 'jwt', tag: 'cases', roles: 'agent, manager, admin', summary: 'Add an internal note', body: s.MessageBody, ifMatch: 'optional', response: { status: 201, schema: s.CaseSchema, etag: true } },
  { method: 'POST', path: '/cases/{id}/assign', fn: 'cases', auth: 'jwt', tag: 'cases', roles: 'agent, manager, admin', summary: 'Hand the case to an agent and/or a queue, with a reason', body: s.AssignBody, ifMatch: 'optional', response: caseResponse },
  { method: 'POST', path: '/cases/{id}/route', fn: 'routing', auth: 'jwt', tag: 'routing', roles: 'agent, manager, admin', summary: 'Run routing again for this case now', ifMatch: 'optional', response: caseResponse },
  { method: 'GET', path: '/me/cases', fn: 'cases', auth: 'jwt', tag: 'cases', summary: 'My cases: owned by me (staff) or opened by me (customers), newest first', query: s.MyCasesQuery, response: { status: 200, schema: casePage } },
  { method: 'GET', path: '/cases/{id}/attachments/{entryId}/{index}', fn: 'cases', auth: 'jwt', tag: 'cases', summary: 'A short-lived download link for an attachment of a timeline entry (customers: public entries of their cases)', response: { status: 200, schema: s.AttachmentLinkSchema } },
  { method: 'GET', path: '/cases/{id}/timeline', fn: 'cases', auth: 'jwt', tag: 'cases', summary: 'The case timeline in time order (customers: public entries only)', query: s.PageQuery, response: { status: 200, schema: timelinePage } },
  { method: 'POST', path: '/cases/{id}/resolve', fn: 'cases', auth: 'jwt', tag: 'cases', roles: 'agent, manager, admin', summary: 'Resolve with a resolution', body: s.ResolveBody, ifMatch: 'optional', response: caseResponse },
  { method: 'POST', path: '/cases/{id}/reactivate', fn: 'cases', auth: 'jwt', tag: 'cases', summary: 'Reopen a resolved or cancelled case (customers: within the reopen window)', body: s.ReasonBody, ifMatch: 'optional', response: caseResponse },
  { method: 'POST', path: '/cases/{id}/cancel', fn: 'cases', auth: 'jwt', tag: 'cases', summary: 'Close without resolution', body: s.ReasonBody, ifMatch: 'optional', response: caseResponse },

  { method: 'GET', path: '/customers', fn: 'customers', auth: 'jwt', tag: 'customers', roles: 'agent, manager, admin', summary: 'List contacts or accounts by name, by account, or find by e-mail', query: s.CustomerQuery, response: { status: 200, schema: customerPage } },
  { method: 'POST', path: '/customers', fn: 'customers', auth: 'jwt', tag: 'customers', roles: 'agent, manager, admin', summary: 'Create an account or a contact', body: s.CreateCustomerBody, response: { status: 201, schema: s.CustomerSchema, etag: true } },
  { method: 'GET', path: '/customers/{id}', fn: 'customers', auth: 'jwt', tag: 'customers', summary: 'Read a customer (customers: only themselves)', response: { status: 200, schema: s.CustomerSchema, etag: true } },
  { method: 'PATCH', path: '/customers/{id}', fn: 'customers', auth: 'jwt', tag: 'customers', summary: 'Change a customer (If-Match required; customers: own name, phone, language)', body: s.PatchCustomerBody, ifMatch: 'required', response: { status: 200, schema: s.CustomerSchema, etag: true } },

  { method: 'GET', path: '/subjects', fn: 'catalog', auth: 'jwt', tag: 'catalog', summary: 'The subject tree, flat, with parent ids and paths', response: { status: 200, schema: s.pageOf(s.SubjectSchema, 'SubjectList') } },
  { method: 'POST', path: '/subjects', fn: 'catalog', auth: 'jwt', tag: 'catalog', roles: 'admin', summary: 'Add a subject', body: s.CreateSubjectBody, response: { status: 201, schema: s.SubjectSchema } },
  { method: 'GET', path: '/products', fn: 'catalog', auth: 'jwt', tag: 'catalog', summary: 'The product catalogue', query: s.PageQuery, response: { status: 200, schema: productPage } },
  { method: 'POST', path: '/products', fn: 'catalog', auth: 'jwt', tag: 'catalog', roles: 'admin', summary: 'Add a product', body: s.CreateProductBody, response: { status: 201, schema: s.ProductSchema } },

  { method: 'GET', path: '/routing/rules', fn: 'routing', auth: 'jwt', tag: 'routing', roles: 'manager, admin', summary: 'The routing rule set, in evaluation order', response: { status: 200, schema: s.RuleSetSchema, etag: true } },
  { method: 'PUT', path: '/routing/rules', fn: 'routing', auth: 'jwt', tag: 'routing', roles: 'admin', summary: 'Replace the rule set (validated in full; If-Match required, "0" for the first save)', body: s.PutRuleSetBody, ifMatch: 'required', response: { status: 200, schema: s.RuleSetSchema, etag: true } },
  { method: 'GET', path: '/agents', fn: 'routing', auth: 'jwt', tag: 'directory', roles: 'agent, manager, admin', summary: 'Staff members by name, with presence, capacity, open cases, skills and teams', response: { status: 200, schema: s.pageOf(s.AgentSchema, 'AgentList') } },
  { method: 'POST', path: '/agents', fn: 'routing', auth: 'jwt', tag: 'directory', roles: 'admin', summary: 'Add a staff member to the directory (id = their identity-provider subject)', body: s.CreateAgentBody, response: { status: 201, schema: s.AgentSchema, etag: true } },
  { method: 'GET', path: '/agents/{id}', fn: 'routing', auth: 'jwt', tag: 'directory', roles: 'agent, manager, admin', summary: 'Read a staff member', response: agentResponse },
  { method: 'PATCH', path: '/agents/{id}', fn: 'routing', auth: 'jwt', tag: 'directory', roles: 'admin (presence: managers too)', summary: 'Change capacity, skills, teams, roles or presence (If-Match required)', body: s.PatchAgentBody, ifMatch: 'required', response: agentResponse },
  { method: 'PUT', path: '/me/presence', fn: 'routing', auth: 'jwt', tag: 'directory', roles: 'agent, manager, admin', summary: 'Set my presence (going offline may return my cases to their queues, by configuration)', body: s.PresenceBody, response: agentResponse },
  { method: 'GET', path: '/queues', fn: 'routing', auth: 'jwt', tag: 'directory', roles: 'agent, manager, admin', summary: 'Queues by name; `counts=true` adds live counts', query: s.QueueListQuery, response: { status: 200, schema: s.pageOf(s.QueueSchema, 'QueueList') } },
  { method: 'POST', path: '/queues', fn: 'routing', auth: 'jwt', tag: 'directory', roles: 'admin', summary: 'Create a queue (members must be known agents)', body: s.CreateQueueBody, response: { status: 201, schema: s.QueueSchema, etag: true } },
  { method: 'GET', path: '/queues/{id}', fn: 'routing', auth: 'jwt', tag: 'directory', roles: 'agent, manager, admin', summary: 'Read a queue with its live counts', response: queueResponse },
  { method: 'PATCH', path: '/queues/{id}', fn: 'routing', auth: 'jwt', tag: 'directory', roles: 'admin', summary: 'Change a queue (If-Match required); taking the default or escalation role moves it from the queue that had it', body: s.PatchQueueBody, ifMatch: 'required', response: queueResponse },
  { method: 'DELETE', path: '/queues/{id}', fn: 'routing', auth: 'jwt', tag: 'directory', roles: 'admin', summary: 'Delete a queue that has no active cases, no role and no rule sending cases to it (If-Match required)', ifMatch: 'required', response: { status: 204 } },
  { method: 'GET', path: '/queues/{id}/cases', fn: 'routing', auth: 'jwt', tag: 'routing', roles: 'agent, manager, admin', summary: 'Cases of a queue: waiting (pick order), in progress, or all', query: s.QueueCasesQuery, response: { status: 200, schema: casePage } },
  { method: 'POST', path: '/queues/{id}/pick', fn: 'routing', auth: 'jwt', tag: 'routing', roles: 'agent, manager, admin', summary: 'Take the most urgent, oldest unassigned case of a queue (atomic: never handed out twice)', response: { status: 200, schema: s.CaseSchema, etag: true } },
  { method: 'POST', path: '/routing/test', fn: 'routing', auth: 'jwt', tag: 'routing', roles: 'agent, manager, admin', summary: 'Dry run: which rule fires for a case and why; changes nothing', body: s.DryRunBody, response: { status: 200, schema: s.DryRunSchema } },

  { method: 'GET', path: '/mail/inbound', fn: 'mail', auth: 'jwt', tag: 'mail', roles: 'admin', summary: 'The intake monitor: every inbound mail and its outcome, newest first', query: s.IntakeQuery, response: { status: 200, schema: s.pageOf(s.IntakeSchema, 'InboundMailPage') } },
  { method: 'GET', path: '/mail/inbound/{id}', fn: 'mail', auth: 'jwt', tag: 'mail', roles: 'admin', summary: 'One inbound mail and its outcome', response: { status: 200, schema: s.IntakeSchema } },
  { method: 'POST', path: '/mail/inbound/{id}/replay', fn: 'mail', auth: 'jwt', tag: 'mail', roles: 'admin', summary: 'Process a failed mail again (the raw mail is kept)', response: { status: 200, schema: s.IntakeSchema } },
  { method: 'POST', path: '/mail/inbound/{id}/release', fn: 'mail', auth: 'jwt', tag: 'mail', roles: 'admin', summary: 'Release a quarantined mail: process it as if the verdict had passed', response: { status: 200, schema: s.IntakeSchema } },
  { method: 'GET', path: '/mail/templates', fn: 'mail', auth: 'jwt', tag: 'mail', roles: 'manager, admin', summary: 'Mail templates per name and language (built-in defaults have version 0)', response: { status: 200, schema: s.pageOf(s.TemplateSchema, 'MailTemplateList') } },
  { method: 'PUT', path: '/mail/templates/{name}/{language}', fn: 'mail', auth: 'jwt', tag: 'mail', roles: 'admin', summary: 'Replace a mail template (If-Match required, "0" to replace a default)', body: s.PutTemplateBody, ifMatch: 'required', response: { status: 200, schema: s.TemplateSchema, etag: true } },

  { method: 'GET', path: '/sla/calendars', fn: 'sla', auth: 'jwt', tag: 'sla', roles: 'agent, manager, admin', summary: 'Business-hours calendars', response: { status: 200, schema: s.pageOf(s.CalendarSchema, 'CalendarList') } },
  { method: 'POST', path: '/sla/calendars', fn: 'sla', auth: 'jwt', tag: 'sla', roles: 'admin', summary: 'Add a calendar (validated in full: zone, intervals, holidays)', body: s.CalendarBody, response: { status: 201, schema: s.CalendarSchema, etag: true } },
  { method: 'GET', path: '/sla/calendars/{id}', fn: 'sla', auth: 'jwt', tag: 'sla', roles: 'agent, manager, admin', summary: 'Read a calendar', response: { status: 200, schema: s.CalendarSchema, etag: true } },
  { method: 'PUT', path: '/sla/calendars/{id}', fn: 'sla', auth: 'jwt', tag: 'sla', roles: 'admin', summary: 'Replace a calendar (If-Match required)', body: s.CalendarBody, ifMatch: 'required', response: { status: 200, schema: s.CalendarSchema, etag: true } },
  { method: 'DELETE', path: '/sla/calendars/{id}', fn: 'sla', auth: 'jwt', tag: 'sla', roles: 'admin', summary: 'Delete a calendar no policy uses (If-Match required)', ifMatch: 'required', response: { status: 204 } },
  { method: 'GET', path: '/sla/policies', fn: 'sla', auth: 'jwt', tag: 'sla', roles: 'manager, admin', summary: 'The SLA policies in evaluation order, with warnings', response: { status: 200, schema: s.SlaPoliciesSchema, etag: true } },
  { method: 'PUT', path: '/sla/policies', fn: 'sla', auth: 'jwt', tag: 'sla', roles: 'admin', summary: 'Replace the SLA policies (validated in full; If-Match required, "0" for the first save)', body: s.PutSlaPoliciesBody, ifMatch: 'required', response: { status: 200, schema: s.SlaPoliciesSchema, etag: true } },
  { method: 'GET', path: '/cases/{id}/sla', fn: 'sla', auth: 'jwt', tag: 'sla', roles: 'agent, manager, admin', summary: 'Where each SLA clock of the case stands: deadlines, warnings, paused time and a ledger explaining them', response: { status: 200, schema: s.CaseSlaSchema } },
  { method: 'GET', path: '/sla/at-risk', fn: 'sla', auth: 'jwt', tag: 'sla', roles: 'agent, manager, admin', summary: "At risk: a queue's open SLA clocks due within the window or already breached, soonest first", query: s.AtRiskQuery, response: { status: 200, schema: s.AtRiskListSchema } },
  { method: 'GET', path: '/sla/at-risk/counts', fn: 'sla', auth: 'jwt', tag: 'sla', roles: 'agent, manager, admin', summary: 'At risk per queue: clocks breached, past their warning, or due within the window', query: s.AtRiskCountsQuery, response: { status: 200, schema: s.AtRiskCountsSchema } },
  { method: 'GET', path: '/sla/measures', fn: 'sla', auth: 'jwt', tag: 'sla', roles: 'manager, admin', summary: 'SLA met and breached counts per day, queue, agent or priority (for reporting)', query: s.SlaMeasuresQuery, response: { status: 200, schema: s.SlaMeasuresSchema } },
];

export const routeKey = (r: Pick<RouteSpec, 'method' | 'path'>) => `${r.method} ${r.path}`;
