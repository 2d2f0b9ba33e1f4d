/**
 * The case (ticket) aggregate: fields, state and status reason, allowed transitions and the
 * timeline entries each change produces. Pure: time, ids and the ticket number are passed in.
 */
import { type FieldIssue, DomainError, invalidTransition, validationError } from './errors';

export const CASE_STATES = ['active', 'resolved', 'cancelled'] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const ACTIVE_STATUSES = ['new', 'in_progress', 'on_hold', 'waiting_for_details', 'researching'] as const;
export const RESOLVED_STATUSES = ['problem_solved', 'information_provided'] as const;
export const CANCELLED_STATUSES = ['cancelled', 'merged'] as const;
export const CASE_STATUSES = [...ACTIVE_STATUSES, ...RESOLVED_STATUSES, ...CANCELLED_STATUSES] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export type ActiveStatus = (typeof ACTIVE_STATUSES)[number];
export type ResolutionType = (typeof RESOLVED_STATUSES)[number];

export const ORIGINS = ['phone', 'email', 'web', 'chat', 'facebook', 'twitter', 'whatsapp', 'telegram'] as const;
export type Origin = (typeof ORIGINS)[number];
export const CASE_TYPES = ['question', 'problem', 'request'] as const;
export type CaseType = (typeof CASE_TYPES)[number];
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export function stateOfStatus(status: CaseStatus): CaseState {
  if ((ACTIVE_STATUSES as readonly string[]).includes(status)) return 'active';
  if ((RESOLVED_STATUSES as readonly string[]).includes(status)) return 'resolved';
  return 'cancelled';
}

export interface Resolution {
  type: ResolutionType;
  text: string;
  minutesSpent: number;
  resolvedBy: string;
  resolvedAt: string;
}

export interface Case {
  id: string;
  ticketNumber: string;
  title: string;
  description: string;
  customerId: string;
  subjectId: string | null;
  productId: string | null;
  origin: Origin;
  caseType: CaseType;
  priority: Priority;
  state: CaseState;
  status: CaseStatus;
  ownerId: string | null;
  queueId: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  resolution: Resolution | null;
  /** labels set by routing rules (and later by agents) */
  tags: string[];
  /** when routing last decided this case's queue, and the case version it evaluated */
  routedAt: string | null;
  routedVersion: number | null;
  /** SLA stages already acted on (`first_response:warning`, `resolve:breach`): each acts once */
  slaMarks: string[];
  version: number;
}

/** Every field of a case, in the order the API presents them. */
export const CASE_FIELDS = [
  'id', 'ticketNumber', 'title', 'description', 'customerId', 'subjectId', 'productId', 'origin', 'caseType',
  'priority', 'state', 'status', 'ownerId', 'queueId', 'createdBy', 'createdAt', 'updatedAt', 'firstResponseAt',
  'resolvedAt', 'resolution', 'tags', 'routedAt', 'routedVersion', 'slaMarks', 'version',
] as const satisfies readonly (keyof Case)[];

export type ActorKind = 'customer' | 'staff' | 'system';
export interface Actor {
  sub: string;
  kind: ActorKind;
  email?: string;
}

export type TimelineKind =
  | 'created'
  | 'message'
  | 'note'
  | 'status_change'
  | 'assignment'
  | 'field_change'
  | 'resolution'
  | 'reactivation'
  | 'cancellation'
  | 'routing'
  | 'bounce'
  | 'sla';

/** A stored attachment of a mail on the timeline. */
export interface MailAttachment {
  name: string | null;
  contentType: string;
  size: number;
  blobKey: string | null;
  inline: boolean;
  contentId: string | null;
  /** can run code on the reader's machine: shown with a warning */
  dangerous: boolean;
  /** refused (too large, refused type): listed, not stored */
  refused: string | null;
}

/** What a timeline entry that came or went by e-mail keeps of the mail. */
export interface MailMeta {
  direction: 'in' | 'out';
  intakeId?: string;
  messageId?: string | null;
  from?: string | null;
  to?: string[];
  subject?: string;
  /** earlier replies quoted in the mail: kept, shown collapsed */
  quoted?: string | null;
  /** the HTML part, sanitised before it was stored */
  html?: string | null;
  attachments?: MailAttachment[];
}

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface TimelineEntry {
  id: string;
  caseId: string;
  kind: TimelineKind;
  at: string;
  actor: Actor;
  /** internal entries are never shown to customers */
  visibility: 'public' | 'internal';
  body?: string;
  changes?: FieldChange[];
  mail?: MailMeta;
  /** an SLA warning or breach: which clock, the deadline, and the actions taken */
  sla?: SlaStageMeta;
}

export interface SlaStageMeta {
  kpi: string;
  cycle: number;
  stage: 'warning' | 'breach';
  deadline: string | null;
  actions: string[];
  /** who is to be told by mail (agent ids); the mail goes through the outbound queue */
  notify: string[];
}

/** Fields a customer may give; everything else on a case is internal. */
export const CUSTOMER_CREATE_FIELDS = ['title', 'description', 'subjectId', 'productId', 'caseType'] as const;
export const CUSTOMER_PATCH_FIELDS = ['title', 'description'] as const;
/** Changes to these fields are internal timeline entries. */
const INTERNAL_FIELDS = new Set(['ownerId', 'queueId', 'priority', 'status', 'origin', 'slaMarks']);

export interface NewCaseInput {
  title: string;
  description: string;
  customerId: string;
  subjectId?: string | null;
  productId?: string | null;
  origin?: Origin;
  caseType?: CaseType;
  priority?: Priority;
  ownerId?: string | null;
  queueId?: string | null;
}

export interface Stamp {
  now: string;
  newId: () => string;
}

export function createCase(
  input: NewCaseInput,
  ids: { id: string; ticketNumber: string },
  actor: Actor,
  stamp: Stamp,
): { case: Case; entries: TimelineEntry[] } {
  const c: Case = {
    id: ids.id,
    ticketNumber: ids.ticketNumber,
    title: input.title,
    description: input.description,
    customerId: input.customerId,
    subjectId: input.subjectId ?? null,
    productId: input.productId ?? null,
    origin: input.origin ?? (actor.kind === 'customer' ? 'web' : 'phone'),
    caseType: input.caseType ?? 'question',
    priority: input.priority ?? 'normal',
    state: 'active',
    status: 'new',
    ownerId: input.ownerId ?? null,
    queueId: input.queueId ?? null,
    createdBy: actor.sub,
    createdAt: stamp.now,
    updatedAt: stamp.now,
    firstResponseAt: null,
    resolvedAt: null,
    resolution: null,
    tags: [],
    routedAt: null,
    routedVersion: null,
    slaMarks: [],
    version: 1,
  };
  const entries: TimelineEntry[] = [
    entry(c.id, 'created', actor, stamp, 'public', { body: c.description }),
  ];
  if (c.ownerId || c.queueId)
    entries.push(
      entry(c.id, 'assignment', actor, stamp, 'internal', {
        changes: [
          ...(c.ownerId ? [{ field: 'ownerId', from: null, to: c.ownerId }] : []),
          ...(c.queueId ? [{ field: 'queueId', from: null, to: c.queueId }] : []),
        ],
      }),
    );
  return { case: c, entries };
}

export interface CasePatch {
  title?: string;
  description?: string;
  subjectId?: string | null;
  productId?: string | null;
  origin?: Origin;
  caseType?: CaseType;
  priority?: Priority;
  status?: CaseStatus;
  ownerId?: string | null;
  queueId?: string | null;
}

export interface CaseChange {
  case: Case;
  entries: TimelineEntry[];
  changed: boolean;
}

function requireActive(c: Case, action: string) {
  if (c.state !== 'active')
    throw invalidTransition(`A ${c.state} case cannot be ${action}; reactivate it first.`, {
      currentState: c.state,
      currentStatus: c.status,
    });
}

export function patchCase(c: Case, patch: CasePatch, actor: Actor, stamp: Stamp): CaseChange {
  requireActive(c, 'edited');
  if (patch.status !== undefined && stateOfStatus(patch.status) !== 'active') {
    throw new DomainError(
      'invalid-transition',
      `Status '${patch.status}' belongs to the ${stateOfStatus(patch.status)} state; use the resolve or cancel action.`,
      [{ path: 'status', code: 'invalid_transition', message: 'only active status reasons can be set directly' }],
    );
  }
  const next: Case = { ...c };
  const fieldChanges: FieldChange[] = [];
  const assignment: FieldChange[] = [];
  let statusChange: FieldChange | undefined;
  for (const [field, value] of Object.entries(patch) as [keyof CasePatch, unknown][]) {
    if (value === undefined) continue;
    const before = c[field];
    if (before === value) continue;
    (next as unknown as Record<string, unknown>)[field] = value;
    const change = { field, from: before, to: value };
    if (field === 'ownerId' || field === 'queueId') assignment.push(change);
    else if (field === 'status') statusChange = change;
    else fieldChanges.push(change);
  }
  if (!fieldChanges.length && !assignment.length && !statusChange) return { case: c, entries: [], changed: false };
  next.updatedAt = stamp.now;
  next.version = c.version + 1;
  const entries: TimelineEntry[] = [];
  if (statusChange) entries.push(entry(c.id, 'status_change', actor, stamp, 'public', { changes: [statusChange] }));
  if (assignment.length) entries.push(entry(c.id, 'assignment', actor, stamp, 'internal', { changes: assignment }));
  if (fieldChanges.length) {
    const internal = fieldChanges.some((f) => INTERNAL_FIELDS.has(f.field));
    entries.push(entry(c.id, 'field_change', actor, stamp, internal ? 'internal' : 'public', { changes: fieldChanges }));
  }
  return { case: next, entries, changed: true };
}

/**
 * Hands a case to an agent and/or a queue, with an optional reason kept in the (internal)
 * assignment entry. Only for active cases; nothing changes when both are already so.
 */
export function assignCase(c: Case, to: { ownerId?: string | null; queueId?: string | null }, reason: string | undefined, actor: Actor, stamp: Stamp): CaseChange {
  const change = patchCase(c, to, actor, stamp);
  if (!change.changed || !reason) return change;
  return { ...change, entries: change.entries.map((e) => (e.kind === 'assignment' ? { ...e, body: reason } : e)) };
}

export function addMessage(c: Case, body: string, actor: Actor, stamp: Stamp): CaseChange {
  requireActive(c, 'replied to');
  const next: Case = { ...c, updatedAt: stamp.now, version: c.version + 1 };
  if (actor.kind === 'staff' && !c.firstResponseAt) next.firstResponseAt = stamp.now;
  return { case: next, entries: [entry(c.id, 'message', actor, stamp, 'public', { body })], changed: true };
}

/** A message that arrived (or left) by e-mail: a public message carrying what the mail adds. */
export function addMailMessage(c: Case, body: string, mail: MailMeta, actor: Actor, stamp: Stamp): CaseChange {
  const change = addMessage(c, body, actor, stamp);
  return { ...change, entries: change.entries.map((e) => ({ ...e, mail })) };
}

/** A bounce of a mail we sent, recorded on the case for staff (any state). */
export function recordBounce(c: Case, text: string, mail: MailMeta, stamp: Stamp): CaseChange {
  const next: Case = { ...c, updatedAt: stamp.now, version: c.version + 1 };
  const actor: Actor = { sub: 'mail', kind: 'system' };
  return { case: next, entries: [{ ...entry(c.id, 'bounce', actor, stamp, 'internal', { body: text }), mail }], changed: true };
}

/** Internal notes are allowed in any state: agents document closed work too. */
export function addNote(c: Case, body: string, actor: Actor, stamp: Stamp): CaseChange {
  const next: Case = { ...c, updatedAt: stamp.now, version: c.version + 1 };
  return { case: next, entries: [entry(c.id, 'note', actor, stamp, 'internal', { body })], changed: true };
}

export interface ResolveInput {
  resolutionType: ResolutionType;
  text: string;
  minutesSpent: number;
}

export function resolveCase(c: Case, input: ResolveInput, actor: Actor, stamp: Stamp): CaseChange {
  requireActive(c, 'resolved');
  const resolution: Resolution = {
    type: input.resolutionType,
    text: input.text,
    minutesSpent: input.minutesSpent,
    resolvedBy: actor.sub,
    resolvedAt: stamp.now,
  };
  const next: Case = {
    ...c,
    state: 'resolved',
    status: input.resolutionType,
    resolution,
    resolvedAt: stamp.now,
    updatedAt: stamp.now,
    version: c.version + 1,
  };
  return {
    case: next,
    entries: [
      entry(c.id, 'resolution', actor, stamp, 'public', {
        body: input.text,
        changes: [{ field: 'status', from: c.status, to: next.status }],
      }),
    ],
    changed: true,
  };
}

export function cancelCase(c: Case, reason: string | undefined, actor: Actor, stamp: Stamp): CaseChange {
  requireActive(c, 'cancelled');
  const next: Case = { ...c, state: 'cancelled', status: 'cancelled', updatedAt: stamp.now, version: c.version + 1 };
  return {
    case: next,
    entries: [
      entry(c.id, 'cancellation', actor, stamp, 'public', {
        ...(reason ? { body: reason } : {}),
        changes: [{ field: 'status', from: c.status, to: 'cancelled' }],
      }),
    ],
    changed: true,
  };
}

/**
 * Reactivate a resolved or cancelled case (a merged case stays closed). Customers may reopen only
 * their resolved cases, and only within `customerWindowDays` of the resolution.
 */
export function reactivateCase(
  c: Case,
  reason: string | undefined,
  actor: Actor,
  stamp: Stamp,
  customerWindowDays: number,
): CaseChange {
  if (c.state === 'active') throw invalidTransition('The case is already active.', { currentState: c.state, currentStatus: c.status });
  if (c.status === 'merged')
    throw invalidTransition('A merged case cannot be reactivated; work on the case it was merged into.', {
      currentState: c.state,
      currentStatus: c.status,
    });
  if (actor.kind === 'customer') {
    if (c.state !== 'resolved') throw invalidTransition('Only a resolved case can be reopened by the customer.');
    const limit = Date.parse(c.resolvedAt ?? c.updatedAt) + customerWindowDays * 86_400_000;
    if (Date.parse(stamp.now) > limit)
      throw invalidTransition(
        `This case was resolved more than ${customerWindowDays} days ago and can no longer be reopened; please open a new case.`,
        { reopenWindowDays: customerWindowDays },
      );
  }
  const next: Case = {
    ...c,
    state: 'active',
    status: 'in_progress',
    resolution: null,
    resolvedAt: null,
    updatedAt: stamp.now,
    version: c.version + 1,
  };
  return {
    case: next,
    entries: [
      entry(c.id, 'reactivation', actor, stamp, 'public', {
        ...(reason ? { body: reason } : {}),
        changes: [{ field: 'status', from: c.status, to: 'in_progress' }],
      }),
    ],
    changed: true,
  };
}

export interface RoutingOutcome {
  queueId: string | null;
  /** an agent chosen by the queue's strategy (only for a case nobody owns) */
  ownerId?: string | null;
  priority: Priority | null;
  tags: string[];
  /** the explanation written to the timeline */
  text: string;
}

/**
 * Applies a routing decision: queue, priority and tags as the rule said, and an internal timeline
 * entry saying which rule fired and why. Records the version it evaluated, so a redelivered
 * message for the same change is recognised and ignored.
 */
export function applyRouting(c: Case, outcome: RoutingOutcome, stamp: Stamp): CaseChange {
  const next: Case = {
    ...c,
    queueId: outcome.queueId ?? c.queueId,
    ownerId: c.ownerId ?? outcome.ownerId ?? null,
    priority: outcome.priority ?? c.priority,
    tags: [...new Set([...c.tags, ...outcome.tags])],
    routedAt: stamp.now,
    routedVersion: c.version,
    updatedAt: stamp.now,
    version: c.version + 1,
  };
  const changes: FieldChange[] = [];
  if (next.queueId !== c.queueId) changes.push({ field: 'queueId', from: c.queueId, to: next.queueId });
  if (next.ownerId !== c.ownerId) changes.push({ field: 'ownerId', from: c.ownerId, to: next.ownerId });
  if (next.priority !== c.priority) changes.push({ field: 'priority', from: c.priority, to: next.priority });
  if (next.tags.length !== c.tags.length) changes.push({ field: 'tags', from: c.tags, to: next.tags });
  const actor: Actor = { sub: 'routing', kind: 'system' };
  return { case: next, entries: [entry(c.id, 'routing', actor, stamp, 'internal', { body: outcome.text, changes })], changed: true };
}

/** Customers get the public part of the timeline only. */
export const visibleTo = (entries: TimelineEntry[], kind: ActorKind) =>
  kind === 'customer' ? entries.filter((e) => e.visibility === 'public') : entries;

function entry(
  caseId: string,
  kind: TimelineKind,
  actor: Actor,
  stamp: Stamp,
  visibility: 'public' | 'internal',
  extra: { body?: string; changes?: FieldChange[] },
): TimelineEntry {
  return { id: stamp.newId(), caseId, kind, at: stamp.now, actor, visibility, ...extra };
}

/** Reject a patch that names fields the caller may not set, listing each one. */
export function assertAllowedFields(given: object, allowed: readonly string[], who: string) {
  const issues: FieldIssue[] = Object.keys(given)
    .filter((k) => !allowed.includes(k))
    .map((k) => ({ path: k, code: 'forbidden_field', message: `${who} cannot set '${k}'` }));
  if (issues.length) throw new DomainError('forbidden-fields', `Some fields cannot be set by ${who}.`, issues);
}

export const assertNonEmpty = (value: string, path: string) => {
  if (!value.trim()) throw validationError('Invalid request.', [{ path, code: 'too_small', message: 'must not be blank' }]);
};
