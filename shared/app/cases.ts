/**
 * Case use cases. Each loads what it needs through the ports, asks the domain for the change and
 * writes it in one conditional transaction. Customers only ever see their own cases: any other
 * id is "not found", so ids cannot be probed.
 */
import {
  type Actor,
  type Case,
  type CaseChange,
  type CasePatch,
  CUSTOMER_CREATE_FIELDS,
  CUSTOMER_PATCH_FIELDS,
  type NewCaseInput,
  type ResolveInput,
  type Stamp,
  type TimelineEntry,
  addMessage,
  addNote,
  assignCase,
  assertAllowedFields,
  cancelCase,
  createCase,
  patchCase,
  reactivateCase,
  resolveCase,
  visibleTo,
} from '../domain/case';
import { isDomainError, notFound, preconditionFailed, validationError } from '../domain/errors';
import { formatTicketNumber, serialFromCounter } from '../domain/ticket-number';
import type { CaseQuery, Page, Reference } from '../ports';
import { type Caller, requireStaff } from './caller';
import { type Deps, stamp } from './deps';


function referencesOf(input: Partial<NewCaseInput>): Reference[] {
  const refs: Reference[] = [];
  if (input.customerId) refs.push({ field: 'customerId', kind: 'customer', id: input.customerId });
  if (input.subjectId) refs.push({ field: 'subjectId', kind: 'subject', id: input.subjectId });
  if (input.productId) refs.push({ field: 'productId', kind: 'product', id: input.productId });
  if (input.ownerId) refs.push({ field: 'ownerId', kind: 'agent', id: input.ownerId });
  if (input.queueId) refs.push({ field: 'queueId', kind: 'queue', id: input.queueId });
  return refs;
}

export async function openCase(deps: Deps, caller: Caller, body: Partial<NewCaseInput>): Promise<Case> {
  let input: NewCaseInput;
  if (caller.customerId) {
    assertAllowedFields(body, CUSTOMER_CREATE_FIELDS, 'customers');
    input = { ...(body as NewCaseInput), customerId: caller.customerId };
  } else {
    if (!body.customerId)
      throw validationError('Name the customer this case is for.', [
        { path: 'customerId', code: 'required', message: 'required when an agent opens a case' },
      ]);
    input = body as NewCaseInput;
  }
  // a customer's own record was just read to identify them: no need to check it again
  const refs = referencesOf(input).filter((r) => !(caller.customerId && r.field === 'customerId'));
  return newCase(deps, input, caller.actor, refs);
}

/**
 * Numbers and writes a new case (one write). Every channel comes through here: the API above,
 * and mail; `decorate` lets a channel add to the creation entries (what the mail carried).
 */
export async function newCase(
  deps: Deps,
  input: NewCaseInput,
  actor: Actor,
  refs: Reference[] = referencesOf(input),
  decorate: (entries: TimelineEntry[]) => TimelineEntry[] = (e) => e,
): Promise<Case> {
  const serial = serialFromCounter(deps.config.ticketFormat, await deps.counter.next());
  const ticketNumber = formatTicketNumber(deps.config.ticketFormat, serial, deps.ids.bytes(deps.config.ticketFormat.randomLength));
  const { case: c, entries } = createCase(input, { id: deps.ids.id(), ticketNumber }, actor, stamp(deps));
  await deps.cases.create(c, decorate(entries), refs);
  return c;
}

function ensureVisible(caller: Caller, c: Case | undefined): Case {
  if (!c || (caller.customerId && c.customerId !== caller.customerId)) throw notFound('Case');
  return c;
}

export async function readCase(deps: Deps, caller: Caller, id: string) {
  return ensureVisible(caller, await deps.cases.get(id));
}

export async function readCaseByTicket(deps: Deps, caller: Caller, ticketNumber: string) {
  return ensureVisible(caller, await deps.cases.getByTicket(ticketNumber));
}

export async function listCases(deps: Deps, caller: Caller, q: CaseQuery): Promise<Page<Case>> {
  if (caller.customerId) {
    if (q.customerId && q.customerId !== caller.customerId) return { items: [], nextCursor: null };
    return deps.cases.list({ ...q, customerId: caller.customerId, ownerId: undefined, queueId: undefined });
  }
  return deps.cases.list(q);
}

export async function readTimeline(deps: Deps, caller: Caller, id: string, page: { limit: number; cursor?: string }) {
  await readCase(deps, caller, id);
  const out = await deps.cases.timeline(id, { publicOnly: Boolean(caller.customerId), ...page });
  return { ...out, items: visibleTo(out.items, caller.actor.kind) };
}

/**
 * Load, check the caller's If-Match, apply a domain change and save it conditionally on the
 * version read. Without If-Match a lost race is retried on fresh state (the domain re-checks the
 * transition); with If-Match it is the caller's 412.
 */
async function mutate(
  deps: Deps,
  caller: Caller,
  id: string,
  ifMatch: number | undefined,
  change: (c: Case, s: Stamp) => CaseChange,
  refs: Reference[] = [],
): Promise<Case> {
  for (let attempt = 0; ; attempt++) {
    const current = ensureVisible(caller, await deps.cases.get(id));
    if (ifMatch !== undefined && current.version !== ifMatch) throw preconditionFailed(current.version);
    const result = change(current, stamp(deps));
    if (!result.changed) return current;
    try {
      await deps.cases.save(result.case, result.entries, current, refs);
      return result.case;
    } catch (e) {
      const retry = ifMatch === undefined && attempt < 3 && isDomainError(e) && e.kind === 'precondition-failed';
      if (!retry) throw e;
    }
  }
}

export async function updateCase(deps: Deps, caller: Caller, id: string, patch: CasePatch, ifMatch: number) {
  if (caller.customerId) assertAllowedFields(patch, CUSTOMER_PATCH_FIELDS, 'customers');
  const refs = referencesOf(patch);
  return mutate(deps, caller, id, ifMatch, (c, s) => patchCase(c, patch, caller.actor, s), refs);
}

export const postMessage = (deps: Deps, caller: Caller, id: string, body: string, ifMatch?: number) =>
  mutate(deps, caller, id, ifMatch, (c, s) => addMessage(c, body, caller.actor, s));

export function postNote(deps: Deps, caller: Caller, id: string, body: string, ifMatch?: number) {
  requireStaff(caller);
  return mutate(deps, caller, id, ifMatch, (c, s) => addNote(c, body, caller.actor, s));
}

export function resolve(deps: Deps, caller: Caller, id: string, input: ResolveInput, ifMatch?: number) {
  requireStaff(caller);
  return mutate(deps, caller, id, ifMatch, (c, s) => resolveCase(c, input, caller.actor, s));
}

export const reactivate = (deps: Deps, caller: Caller, id: string, reason?: string, ifMatch?: number) =>
  mutate(deps, caller, id, ifMatch, (c, s) =>
    reactivateCase(c, reason, caller.actor, s, deps.config.reopenWindowDays),
  );

export const cancel = (deps: Deps, caller: Caller, id: string, reason?: string, ifMatch?: number) =>
  mutate(deps, caller, id, ifMatch, (c, s) => cancelCase(c, reason, caller.actor, s));


export function assign(
  deps: Deps,
  caller: Caller,
  id: string,
  to: { ownerId?: string | null; queueId?: string | null },
  reason?: string,
  ifMatch?: number,
) {
  requireStaff(caller);
  if (to.ownerId === undefined && to.queueId === undefined)
    throw validationError('Name an agent, a queue, or both.', [{ path: 'ownerId', code: 'required', message: 'give ownerId and/or queueId' }]);
  return mutate(deps, caller, id, ifMatch, (c, s) => assignCase(c, to, reason, caller.actor, s), referencesOf(to));
}

/** My cases: for staff the cases they own, for customers the cases they opened. */
export function myCases(deps: Deps, caller: Caller, q: Omit<CaseQuery, 'ownerId' | 'customerId' | 'queueId'>) {
  if (caller.customerId) return deps.cases.list({ ...q, customerId: caller.customerId });
  return deps.cases.list({ ...q, ownerId: caller.principal.sub });
}

/** How long a download link works. */
export const DOWNLOAD_LINK_SECONDS = 300;

/**
 * A short-lived download link for an attachment of a timeline entry the caller may see (a
 * customer: only public entries of their own cases). Always a download, never shown inline;
 * unsafe types are handed out as generic binary so no browser runs them.
 */
export async function attachmentLink(deps: Deps, caller: Caller, caseId: string, entryId: string, index: number) {
  await readCase(deps, caller, caseId);
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const out = await deps.cases.timeline(caseId, { publicOnly: Boolean(caller.customerId), limit: 100, cursor });
    const entry = visibleTo(out.items, caller.actor.kind).find((e) => e.id === entryId);
    if (entry) {
      const a = entry.mail?.attachments?.[index];
      if (!a?.blobKey) throw notFound('Attachment');
      const filename = a.name ?? `attachment-${index + 1}`;
      const contentType = a.dangerous ? 'application/octet-stream' : a.contentType;
      const url = await deps.blobs.downloadUrl(a.blobKey, { filename, contentType, expiresInSeconds: DOWNLOAD_LINK_SECONDS });
      return { url, name: filename, contentType: a.contentType, size: a.size, dangerous: a.dangerous, expiresAt: new Date(deps.clock.now().getTime() + DOWNLOAD_LINK_SECONDS * 1000).toISOString() };
    }
    if (!out.nextCursor) break;
    cursor = out.nextCursor;
  }
  throw notFound('Attachment');
}
