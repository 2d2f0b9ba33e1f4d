/** Case routes: parse (zod) -> one use case -> result. */
import { defaultDeps } from '../shared/adapters/aws/deps';
import * as uc from '../shared/app/cases';
import { AssignBody, AttachmentIndex, EntryId, Id, CaseQuery, CreateCaseBody, MyCasesQuery, MessageBody, PageQuery, PatchCaseBody, ReasonBody, ResolveBody } from '../shared/api/schemas';
import { normaliseTicketNumber } from '../shared/domain/ticket-number';
import { notFound } from '../shared/domain/errors';
import { type Route, httpApi } from '../shared/http/api';
import { ifMatch, parseBody, parseQuery, pathParam } from '../shared/http/request';
import type { Case } from '../shared/domain/case';
import type { Caller } from '../shared/app/caller';

const one = (c: Case, status = 200) => ({ status, body: c, version: c.version });

/** SLA marks are internal: a customer's view of a case never carries them. */
const shown = async (caller: () => Promise<Caller>, c: Case): Promise<Case> => ((await caller()).customerId ? { ...c, slaMarks: [] } : c);
const shownPage = async <T extends { items: Case[] }>(caller: () => Promise<Caller>, page: T): Promise<T> =>
  (await caller()).customerId ? { ...page, items: page.items.map((c) => ({ ...c, slaMarks: [] })) } : page;

export const routes: Record<string, Route> = {
  'POST /cases': async ({ event, deps, caller }) => {
    const body = parseBody(event, CreateCaseBody);
    const c = await shown(caller, await uc.openCase(deps, await caller(), body));
    return { ...one(c, 201), headers: { location: `/cases/${c.id}` } };
  },
  'GET /cases': async ({ event, deps, caller }) => ({
    status: 200,
    body: await shownPage(caller, await uc.listCases(deps, await caller(), parseQuery(event, CaseQuery))),
  }),
  'GET /cases/by-ticket/{ticketNumber}': async ({ event, deps, caller }) => {
    const ticket = normaliseTicketNumber(event.pathParameters?.ticketNumber ?? '');
    if (!ticket) throw notFound('Case');
    return one(await shown(caller, await uc.readCaseByTicket(deps, await caller(), ticket)));
  },
  'GET /cases/{id}': async ({ event, deps, caller }) => one(await shown(caller, await uc.readCase(deps, await caller(), pathParam(event, 'id', Id)))),
  'PATCH /cases/{id}': async ({ event, deps, caller }) => {
    const id = pathParam(event, 'id', Id);
    const version = ifMatch(event, true)!;
    return one(await shown(caller, await uc.updateCase(deps, await caller(), id, parseBody(event, PatchCaseBody), version)));
  },
  'POST /cases/{id}/messages': async ({ event, deps, caller }) => {
    const id = pathParam(event, 'id', Id);
    const { body } = parseBody(event, MessageBody);
    return one(await shown(caller, await uc.postMessage(deps, await caller(), id, body, ifMatch(event, false))), 201);
  },
  'POST /cases/{id}/notes': async ({ event, deps, caller }) => {
    const id = pathParam(event, 'id', Id);
    const { body } = parseBody(event, MessageBody);
    return one(await shown(caller, await uc.postNote(deps, await caller(), id, body, ifMatch(event, false))), 201);
  },
  'GET /cases/{id}/attachments/{entryId}/{index}': async ({ event, deps, caller }) => ({
    status: 200,
    body: await uc.attachmentLink(deps, await caller(), pathParam(event, 'id', Id), pathParam(event, 'entryId', EntryId), pathParam(event, 'index', AttachmentIndex)),
  }),
  'GET /cases/{id}/timeline': async ({ event, deps, caller }) => ({
    status: 200,
    body: await uc.readTimeline(deps, await caller(), pathParam(event, 'id', Id), parseQuery(event, PageQuery)),
  }),
  'POST /cases/{id}/resolve': async ({ event, deps, caller }) => {
    const id = pathParam(event, 'id', Id);
    return one(await shown(caller, await uc.resolve(deps, await caller(), id, parseBody(event, ResolveBody), ifMatch(event, false))));
  },
  'POST /cases/{id}/reactivate': async ({ event, deps, caller }) => {
    const id = pathParam(event, 'id', Id);
    const { reason } = parseBody(event, ReasonBody, true);
    return one(await shown(caller, await uc.reactivate(deps, await caller(), id, reason, ifMatch(event, false))));
  },
  'POST /cases/{id}/assign': async ({ event, deps, caller }) => {
    const id = pathParam(event, 'id', Id);
    const { reason, ...to } = parseBody(event, AssignBody);
    return one(await shown(caller, await uc.assign(deps, await caller(), id, to, reason, ifMatch(event, false))));
  },
  'GET /me/cases': async ({ event, deps, caller }) => ({
    status: 200,
    body: await shownPage(caller, await uc.myCases(deps, await caller(), parseQuery(event, MyCasesQuery))),
  }),
  'POST /cases/{id}/cancel': async ({ event, deps, caller }) => {
    const id = pathParam(event, 'id', Id);
    const { reason } = parseBody(event, ReasonBody, true);
    return one(await shown(caller, await uc.cancel(deps, await caller(), id, reason, ifMatch(event, false))));
  },
};

export const handler = httpApi(routes, defaultDeps);
