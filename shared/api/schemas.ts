/**
 * Request and response schemas (zod). The same objects validate requests in the handlers and
 * generate the OpenAPI document (ids via zod's `.meta`), so the contract cannot drift.
 */
import * as z from 'zod';
import {
  ACTIVE_STATUSES,
  CASE_STATES,
  CASE_STATUSES,
  CASE_TYPES,
  ORIGINS,
  PRIORITIES,
  RESOLVED_STATUSES,
} from '../domain/case';
import { CUSTOMER_KINDS, LANGUAGES, TIERS } from '../domain/customer';
import { OUTCOMES } from '../domain/mail/types';
import { TEMPLATE_NAMES } from '../ports/mail';
import { ROLES } from '../domain/principal';
import { PRESENCES, SKILL_LEVEL_MAX, SKILL_LEVEL_MIN, STRATEGIES } from '../domain/routing/assignment';

export const Id = z.uuid({ error: 'must be a UUID' }).meta({ description: 'A UUID' });
const text = (max: number) => z.string().trim().min(1, { error: 'must not be blank' }).max(max);
const nullableId = Id.nullable();

export const CaseState = z.enum(CASE_STATES);
export const CaseStatus = z.enum(CASE_STATUSES);
export const Priority = z.enum(PRIORITIES);
export const Origin = z.enum(ORIGINS);
export const CaseType = z.enum(CASE_TYPES);

export const CreateCaseBody = z
  .strictObject({
    title: text(200),
    description: text(32_000),
    customerId: Id.optional().meta({ description: 'Required for agents; customers open cases for themselves' }),
    subjectId: nullableId.optional(),
    productId: nullableId.optional(),
    origin: Origin.optional(),
    caseType: CaseType.optional(),
    priority: Priority.optional(),
    ownerId: nullableId.optional(),
    queueId: nullableId.optional(),
  })
  .meta({ id: 'CreateCase' });

export const PatchCaseBody = z
  .strictObject({
    title: text(200).optional(),
    description: text(32_000).optional(),
    subjectId: nullableId.optional(),
    productId: nullableId.optional(),
    origin: Origin.optional(),
    caseType: CaseType.optional(),
    priority: Priority.optional(),
    status: z.enum(ACTIVE_STATUSES).optional().meta({ description: 'Active status reasons only; use the actions to resolve or cancel' }),
    ownerId: nullableId.optional(),
    queueId: nullableId.optional(),
  })
  .meta({ id: 'PatchCase' });

export const MessageBody = z.strictObject({ body: text(32_000) }).meta({ id: 'MessageBody' });

export const ResolveBody = z
  .strictObject({
    resolutionType: z.enum(RESOLVED_STATUSES),
    text: text(4_000),
    minutesSpent: z.number().int().min(0).max(525_600),
  })
  .meta({ id: 'ResolveCase' });

export const ReasonBody = z.strictObject({ reason: text(2_000).optional() }).meta({ id: 'Reason' });

export const CaseQuery = z.strictObject({
  state: CaseState.optional(),
  status: CaseStatus.optional(),
  priority: Priority.optional(),
  ownerId: Id.optional(),
  queueId: Id.optional(),
  customerId: Id.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});

export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(2048).optional(),
});

export const Resolution = z
  .object({
    type: z.enum(RESOLVED_STATUSES),
    text: z.string(),
    minutesSpent: z.number().int(),
    resolvedBy: z.string(),
    resolvedAt: z.iso.datetime(),
  })
  .meta({ id: 'Resolution' });

export const CaseSchema = z
  .object({
    id: Id,
    ticketNumber: z.string().meta({ example: 'CAS-01001-K7F2Q9' }),
    title: z.string(),
    description: z.string(),
    customerId: Id,
    subjectId: nullableId,
    productId: nullableId,
    origin: Origin,
    caseType: CaseType,
    priority: Priority,
    state: CaseState,
    status: CaseStatus,
    ownerId: z.string().nullable(),
    queueId: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    firstResponseAt: z.iso.datetime().nullable(),
    resolvedAt: z.iso.datetime().nullable(),
    resolution: Resolution.nullable(),
    tags: z.array(z.string()),
    routedAt: z.iso.datetime().nullable().meta({ description: 'When routing last decided the queue' }),
    routedVersion: z.number().int().nullable(),
    slaMarks: z.array(z.string()).meta({ description: 'SLA stages already acted on (internal; empty for customers)' }),
    version: z.number().int().meta({ description: 'Also sent as the ETag; send it back in If-Match' }),
  })
  .meta({ id: 'Case' });

export const TimelineEntrySchema = z
  .object({
    id: z.string(),
    caseId: Id,
    kind: z.enum(['created', 'message', 'note', 'status_change', 'assignment', 'field_change', 'resolution', 'reactivation', 'cancellation', 'routing', 'bounce', 'sla']),
    at: z.iso.datetime(),
    actor: z.object({ sub: z.string(), kind: z.enum(['customer', 'staff', 'system']), email: z.string().optional() }),
    visibility: z.enum(['public', 'internal']),
    body: z.string().optional(),
    changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })).optional(),
    mail: z
      .object({
        direction: z.enum(['in', 'out']),
        intakeId: z.string().optional(),
        messageId: z.string().nullable().optional(),
        from: z.string().nullable().optional(),
        to: z.array(z.string()).optional(),
        subject: z.string().optional(),
        quoted: z.string().nullable().optional().meta({ description: 'Earlier replies quoted in the mail, to show collapsed' }),
        html: z.string().nullable().optional().meta({ description: 'The HTML part, sanitised before storage' }),
        attachments: z
          .array(
            z.object({
              name: z.string().nullable(),
              contentType: z.string(),
              size: z.number().int(),
              blobKey: z.string().nullable(),
              inline: z.boolean(),
              contentId: z.string().nullable(),
              dangerous: z.boolean(),
              refused: z.string().nullable(),
            }),
          )
          .optional(),
      })
      .optional()
      .meta({ description: 'Set on entries that came or went by e-mail' }),
    sla: z
      .object({
        kpi: z.string(),
        cycle: z.number().int(),
        stage: z.enum(['warning', 'breach']),
        deadline: z.iso.datetime().nullable(),
        actions: z.array(z.string()),
        notify: z.array(z.string()),
      })
      .optional()
      .meta({ description: 'Set on SLA warning and breach entries (internal)' }),
  })
  .meta({ id: 'TimelineEntry' });

const email = z.email({ error: 'must be an e-mail address' }).max(254);
const phone = z.string().trim().regex(/^\+?[0-9 ()\-.]{5,32}$/, { error: 'must be a phone number' });

export const CreateCustomerBody = z
  .strictObject({
    kind: z.enum(CUSTOMER_KINDS),
    name: text(200),
    email: email.optional(),
    phone: phone.optional(),
    tier: z.enum(TIERS).optional(),
    language: z.enum(LANGUAGES).optional(),
    accountId: Id.optional().meta({ description: 'Contacts only: the account (organisation) they belong to' }),
  })
  .meta({ id: 'CreateCustomer' });

export const PatchCustomerBody = z
  .strictObject({
    name: text(200).optional(),
    email: email.nullable().optional(),
    phone: phone.nullable().optional(),
    tier: z.enum(TIERS).optional(),
    language: z.enum(LANGUAGES).optional(),
    accountId: Id.nullable().optional(),
  })
  .meta({ id: 'PatchCustomer' });

export const CustomerQuery = z.strictObject({
  kind: z.enum(CUSTOMER_KINDS).optional(),
  accountId: Id.optional(),
  email: email.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(2048).optional(),
});

export const CustomerSchema = z
  .object({
    id: Id,
    kind: z.enum(CUSTOMER_KINDS),
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    tier: z.enum(TIERS),
    language: z.enum(LANGUAGES),
    accountId: Id.nullable(),
    emailBounce: z
      .object({ at: z.iso.datetime(), status: z.string().nullable(), diagnostic: z.string().nullable() })
      .nullable()
      .optional()
      .meta({ description: 'Mail to this address bounced permanently: no mail is sent to it until it changes or the customer writes from it again' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.number().int(),
  })
  .meta({ id: 'Customer' });

export const CreateSubjectBody = z
  .strictObject({ name: text(120), parentId: Id.nullable().optional(), description: text(2000).optional() })
  .meta({ id: 'CreateSubject' });
export const SubjectSchema = z
  .object({
    id: Id,
    name: z.string(),
    parentId: Id.nullable(),
    path: z.array(Id),
    description: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Subject' });

export const CreateProductBody = z
  .strictObject({
    name: text(200),
    code: z.string().trim().regex(/^[A-Za-z0-9._-]{1,40}$/, { error: 'letters, digits, dot, dash or underscore; at most 40' }),
    family: text(120).optional(),
    description: text(2000).optional(),
  })
  .meta({ id: 'CreateProduct' });
export const ProductSchema = z
  .object({
    id: Id,
    name: z.string(),
    code: z.string(),
    family: z.string().nullable(),
    description: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Product' });

export const MeSchema = z
  .object({
    sub: z.string(),
    email: z.string(),
    roles: z.array(z.enum(ROLES)),
    customerId: Id.nullable().meta({ description: 'The contact record of a customer user' }),
  })
  .meta({ id: 'Me' });

export const HealthSchema = z.object({ status: z.literal('ok'), time: z.iso.datetime() }).meta({ id: 'Health' });

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string(), code: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export const pageOf = <T extends z.ZodType>(item: T, id: string) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() }).meta({ id });

const Presence = z.enum(PRESENCES).meta({ id: 'Presence', description: 'Only `available` agents with free capacity receive automatic assignments' });
const Strategy = z
  .enum(STRATEGIES)
  .meta({ id: 'AssignmentStrategy', description: '`manual`: agents pick; `round_robin`; `least_loaded` (open cases against capacity); `skills` (best skill match, then least loaded)' });
const SkillName = z.string().trim().min(1).max(64);
const Skills = z
  .record(SkillName, z.number().int().min(SKILL_LEVEL_MIN).max(SKILL_LEVEL_MAX))
  .refine((r) => Object.keys(r).length <= 50, { error: 'at most 50 skills' })
  .meta({ description: `Skill name -> level ${SKILL_LEVEL_MIN}..${SKILL_LEVEL_MAX}` });
const Teams = z.array(text(64)).max(20);
const Capacity = z.number().int().min(0).max(1000).meta({ description: 'Most open cases automatic assignment gives this agent' });
const StaffRole = z.enum(['agent', 'manager', 'admin']);

export const AgentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    roles: z.array(z.string()),
    presence: Presence,
    presenceChangedAt: z.iso.datetime().nullable(),
    capacity: z.number().int(),
    openCases: z.number().int().meta({ description: 'Active cases this agent owns (kept by every case write)' }),
    skills: z.record(z.string(), z.number().int()),
    teams: z.array(z.string()),
    version: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Agent', description: 'A staff member; `id` is their identity-provider subject' });

export const CreateAgentBody = z
  .strictObject({
    id: Id.meta({ description: "The person's subject (`sub`) at the identity provider" }),
    name: text(200),
    email: z.email({ error: 'must be an e-mail address' }).max(320),
    roles: z.array(StaffRole).min(1).max(3).default(['agent']),
    capacity: Capacity.default(5),
    skills: Skills.default({}),
    teams: Teams.default([]),
    presence: Presence.default('offline'),
  })
  .meta({ id: 'CreateAgent' });

export const PatchAgentBody = z
  .strictObject({
    name: text(200).optional(),
    email: z.email({ error: 'must be an e-mail address' }).max(320).optional(),
    roles: z.array(StaffRole).min(1).max(3).optional(),
    capacity: Capacity.optional(),
    skills: Skills.optional(),
    teams: Teams.optional(),
    presence: Presence.optional(),
  })
  .meta({ id: 'PatchAgent' });

export const PresenceBody = z.strictObject({ presence: Presence }).meta({ id: 'SetPresence' });

export const QueueCountsSchema = z
  .object({
    waiting: z.number().int().meta({ description: 'Active cases in the queue that nobody owns' }),
    inProgress: z.number().int().meta({ description: 'Active cases in the queue that an agent owns' }),
    oldestWaitingAt: z.iso.datetime().nullable().meta({ description: 'When the oldest waiting case was created' }),
  })
  .meta({ id: 'QueueCounts' });

export const QueueSchema = z
  .object({
    id: Id,
    name: z.string(),
    description: z.string().nullable(),
    role: z.enum(['default', 'escalation']).nullable().meta({ description: 'The default queue (unmatched cases) or the escalation queue' }),
    strategy: Strategy,
    members: z.array(z.string()).meta({ description: 'Agent ids, in round-robin order' }),
    requiredSkills: z.record(z.string(), z.number().int()),
    lastAssignedAgentId: z.string().nullable(),
    version: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    counts: QueueCountsSchema.optional().meta({ description: 'With `?counts=true`, and always on GET /queues/{id}' }),
  })
  .meta({ id: 'Queue' });

const QueueRole = z.enum(['default', 'escalation']).nullable().meta({ description: 'Taking a role moves it from the queue that had it' });
export const CreateQueueBody = z
  .strictObject({
    name: text(200),
    description: z.string().trim().max(2000).nullable().optional(),
    role: QueueRole.optional(),
    strategy: Strategy.default('manual'),
    members: z.array(Id).max(500).default([]),
    requiredSkills: Skills.default({}),
  })
  .meta({ id: 'CreateQueue' });

export const PatchQueueBody = z
  .strictObject({
    name: text(200).optional(),
    description: z.string().trim().max(2000).nullable().optional(),
    role: QueueRole.optional(),
    strategy: Strategy.optional(),
    members: z.array(Id).max(500).optional(),
    requiredSkills: Skills.optional(),
  })
  .meta({ id: 'PatchQueue' });

export const QueueListQuery = z.strictObject({
  counts: z.enum(['true', 'false']).optional().meta({ description: 'Add live counts (waiting, in progress, oldest waiting) to each queue' }),
});

export const QUEUE_VIEWS = ['waiting', 'in_progress', 'all'] as const;
export const QueueCasesQuery = z.strictObject({
  view: z
    .enum(QUEUE_VIEWS)
    .default('waiting')
    .meta({ description: '`waiting`: unowned active cases in pick order; `in_progress`: owned active cases, most urgent then oldest; `all`: every case ever in the queue, newest first' }),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});

const ruleList = z
  .array(z.unknown())
  .max(1000)
  .meta({
    description:
      'Routing rules: { id, name, description?, enabled, order, conditions, actions: { queueId?, priority?, tags?, agentId?, skills? } }. Conditions nest { all: [...] }, { any: [...] }, { not: ... } over leaves { field, op, value } (fields: caseType, priority, origin, customerTier, language, subject, product, title, description, title_or_description, tags, custom.<key>). Checked in full on save; every problem is reported with its path.',
  });

export const PutRuleSetBody = z.strictObject({ rules: ruleList }).meta({ id: 'PutRuleSet' });
export const RuleSetSchema = z
  .object({ rules: z.array(z.unknown()), version: z.number().int(), updatedAt: z.string().nullable(), updatedBy: z.string().nullable() })
  .meta({ id: 'RuleSet' });

export const DryRunBody = z
  .strictObject({
    case: z.strictObject({
      caseId: Id.optional().meta({ description: 'Route a stored case; the other fields override its values' }),
      title: z.string().max(200).optional(),
      description: z.string().max(32_000).optional(),
      caseType: CaseType.optional(),
      priority: Priority.optional(),
      origin: Origin.optional(),
      subjectId: Id.nullable().optional(),
      productId: Id.nullable().optional(),
      customerId: Id.optional(),
      customerTier: z.enum(TIERS).optional(),
      language: z.enum(LANGUAGES).optional(),
    }),
    rules: ruleList.optional().meta({ description: 'A draft rule set to test instead of the saved one (managers, admins)' }),
  })
  .meta({ id: 'RoutingTest' });

export const DryRunSchema = z
  .object({
    matched: z.unknown().nullable(),
    skipped: z.array(z.object({ ruleId: z.string(), ruleName: z.string(), error: z.string() })),
    evaluated: z.number().int(),
    trace: z.array(z.unknown()),
    decision: z.object({
      queueId: z.string().nullable(),
      queueName: z.string().nullable(),
      priority: Priority.nullable(),
      tags: z.array(z.string()),
      agentId: z.string().nullable().meta({ description: 'The agent the rule names (they get the case when available with room)' }),
      agentName: z.string().nullable(),
      skills: z.record(z.string(), z.number().int()).meta({ description: 'Skill levels the rule asks of the agent' }),
      ruleId: z.string().nullable(),
      defaultQueue: z.boolean(),
      text: z.string(),
    }),
  })
  .meta({ id: 'RoutingTestResult' });

export const AssignBody = z
  .strictObject({
    ownerId: Id.nullable().optional().meta({ description: 'An agent (their id), or null to unassign' }),
    queueId: Id.nullable().optional(),
    reason: z.string().trim().min(1).max(2000).optional(),
  })
  .meta({ id: 'AssignCase' });

export const MyCasesQuery = z.strictObject({
  state: CaseState.optional(),
  status: CaseStatus.optional(),
  priority: Priority.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});

// ---------------------------------------------------------------------------------------------
// E-mail channel

export const IntakeSchema = z
  .object({
    id: z.string(),
    deliveryId: z.string(),
    messageId: z.string().nullable(),
    blobKey: z.string(),
    receivedAt: z.iso.datetime(),
    from: z.string().nullable(),
    subject: z.string(),
    size: z.number().int(),
    outcome: z.enum([...OUTCOMES, 'processing']),
    reason: z.string(),
    caseId: z.string().nullable(),
    ticketNumber: z.string().nullable(),
    autoReply: z.string().meta({ description: '`allowed`, or why no automatic reply may answer this mail' }),
    flags: z.array(z.string()),
    attempts: z.number().int(),
    duplicates: z.number().int().meta({ description: 'Deliveries of the same mail after the first (recorded, not processed)' }),
    released: z.boolean(),
    receipt: z
      .object({ recipients: z.array(z.string()).optional(), spamVerdict: z.string().optional(), virusVerdict: z.string().optional(), dmarcVerdict: z.string().optional(), dmarcPolicy: z.string().optional() })
      .nullable()
      .meta({ description: "The receiving system's verdicts and envelope recipients (SES notification)" }),
    updatedAt: z.iso.datetime(),
    version: z.number().int(),
  })
  .meta({ id: 'InboundMail', description: 'One inbound mail and its recorded outcome' });

export const IntakeQuery = z.strictObject({
  outcome: z.enum(OUTCOMES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional(),
});

export const IntakeId = z.string().regex(/^[0-9a-f]{32}$/, { error: 'must be a mail record id' });

export const TemplateSchema = z
  .object({
    name: z.enum(TEMPLATE_NAMES),
    language: z.enum(LANGUAGES),
    subject: z.string(),
    text: z.string(),
    version: z.number().int().meta({ description: '0 while the built-in default is in use' }),
    updatedAt: z.iso.datetime().nullable(),
    updatedBy: z.string().nullable(),
  })
  .meta({ id: 'MailTemplate' });

export const PutTemplateBody = z
  .strictObject({
    subject: text(300),
    text: text(20_000),
  })
  .meta({ id: 'PutMailTemplate', description: 'Placeholders: {{ticketNumber}}, {{title}}, {{contactName}}, {{body}}, {{portalUrl}}' });

export const TemplateName = z.enum(TEMPLATE_NAMES);
export const TemplateLanguage = z.enum(LANGUAGES);

export const AttachmentLinkSchema = z
  .object({
    url: z.string().meta({ description: 'A short-lived link (5 minutes) that downloads the file; no credentials needed' }),
    name: z.string(),
    contentType: z.string(),
    size: z.number().int(),
    dangerous: z.boolean().meta({ description: 'May run code when opened: served as application/octet-stream' }),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'AttachmentLink' });

export const AttachmentIndex = z.coerce.number().int().min(0).max(49);
export const EntryId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, { error: 'must be a timeline entry id' });

// ---------------------------------------------------------------------------------------------
// SLA

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, { error: "must be 'HH:MM'" });
const Interval = z.object({ start: HHMM, end: HHMM });
const Week = z.object({ mon: z.array(Interval), tue: z.array(Interval), wed: z.array(Interval), thu: z.array(Interval), fri: z.array(Interval), sat: z.array(Interval), sun: z.array(Interval) });
const Holiday = z.object({ date: z.string(), name: z.string() });

export const CalendarSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    timeZone: z.string().meta({ description: 'IANA time zone, e.g. Asia/Tehran' }),
    week: Week,
    holidays: z.array(Holiday),
    version: z.number().int(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Calendar', description: 'Weekly working hours (several intervals a day allowed) in a time zone, minus holidays' });

export const CalendarBody = z
  .strictObject({
    name: text(120),
    timeZone: z.string().min(1).max(64),
    week: z.unknown().meta({ description: '{ mon: [{ start: "09:00", end: "17:00" }], ..., sun: [] } — checked in full, every problem with its path' }),
    holidays: z.unknown().meta({ description: '[{ date: "YYYY-MM-DD", name }] (local dates)' }),
  })
  .meta({ id: 'CalendarBody' });

export const SlaPoliciesSchema = z
  .object({
    policies: z.array(z.unknown()),
    version: z.number().int(),
    updatedAt: z.iso.datetime().nullable(),
    updatedBy: z.string().nullable(),
    warnings: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })).meta({ description: 'Saved, but suspicious: e.g. a policy that can never apply' }),
  })
  .meta({ id: 'SlaPolicies' });

export const PutSlaPoliciesBody = z
  .strictObject({
    policies: z
      .array(z.unknown())
      .max(200)
      .meta({
        description:
          'Ordered SLA policies: { id, name, enabled, order, appliesWhen (a routing condition, or null for every case), kpis: { first_response?, resolve?, next_response?: { targetMinutes: { low, normal, high, urgent }, warnAtPercent, calendarId (null = 24x7), pauseStatuses } }, onWarning: [actions], onBreach: [actions] }; actions: timeline, notify_owner, notify_queue_managers, raise_priority, move_to_escalation_queue, reassign { agentId }.',
      }),
  })
  .meta({ id: 'PutSlaPolicies' });

const KpiStateSchema = z.object({
  kpi: z.enum(['first_response', 'resolve', 'next_response']),
  status: z.enum(['in_progress', 'nearing_noncompliance', 'succeeded', 'noncompliant', 'paused', 'cancelled']),
  priority: Priority,
  targetMinutes: z.number(),
  elapsedMs: z.number(),
  pausedMs: z.number(),
  remainingMs: z.number(),
  warningAt: z.iso.datetime().nullable(),
  failureAt: z.iso.datetime().nullable(),
  achievedAt: z.iso.datetime().nullable(),
  calendar: z.object({ id: z.string(), name: z.string(), timeZone: z.string() }),
  /** 0 for first_response and resolve; next_response counts exchanges from 1 */
  cycle: z.number().int(),
  startedAt: z.iso.datetime(),
  explanation: z.array(z.string()),
  facts: z
    .array(z.object({ code: z.string(), values: z.record(z.string(), z.union([z.string(), z.number(), z.null()])) }))
    .meta({ description: 'The explanation as structured facts (code + values) for translated screens' }),
  ledger: z.array(z.object({ from: z.iso.datetime(), to: z.iso.datetime(), kind: z.enum(['working', 'outside_hours', 'holiday', 'paused']), countedMs: z.number() })),
});

export const CaseSlaSchema = z
  .object({
    caseId: z.string(),
    policyId: z.string().nullable(),
    policyName: z.string().nullable(),
    computedAt: z.iso.datetime(),
    kpis: z.array(KpiStateSchema),
    timer: z
      .object({ generation: z.number().int(), wakeAt: z.iso.datetime() })
      .nullable()
      .meta({ description: 'The timer watching this case: when it next wakes to check and act (null: nothing to watch)' }),
    marks: z.array(z.string()).meta({ description: 'SLA stages already acted on, as kpi:stage (e.g. first_response:warning)' }),
  })
  .meta({ id: 'CaseSla', description: 'Where each SLA clock of a case stands, and why' });

export const CalendarId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'must be a calendar id' });

export const AtRiskItemSchema = z
  .object({
    caseId: z.string(),
    ticketNumber: z.string(),
    title: z.string(),
    kpi: z.enum(['first_response', 'resolve', 'next_response']),
    cycle: z.number().int(),
    priority: Priority,
    queueId: z.string().nullable(),
    ownerId: z.string().nullable(),
    warningAt: z.iso.datetime().nullable(),
    failureAt: z.iso.datetime(),
    risk: z.enum(['breached', 'warning', 'upcoming']).meta({ description: 'breached: past the failure time; warning: past the warning time; upcoming: due within the window' }),
    remainingMs: z.number().meta({ description: 'Until the failure time; negative once breached' }),
  })
  .meta({ id: 'AtRiskItem' });

export const AtRiskListSchema = z
  .object({ items: z.array(AtRiskItemSchema), nextCursor: z.string().nullable(), asOf: z.iso.datetime(), withinMinutes: z.number().int() })
  .meta({ id: 'AtRiskList', description: 'Open SLA clocks of a queue due within the window (or already breached), soonest first' });

export const AtRiskQuery = z.strictObject({
  queueId: z.string().min(1).max(64).meta({ description: "A queue id, or 'none' for cases in no queue" }),
  withinMinutes: z.coerce.number().int().min(0).max(60 * 24 * 31).default(240),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(2000).optional(),
});

export const AtRiskCountsSchema = z
  .object({
    asOf: z.iso.datetime(),
    withinMinutes: z.number().int(),
    queues: z.array(z.object({ queueId: z.string().nullable(), breached: z.number().int(), warning: z.number().int(), upcoming: z.number().int() })),
  })
  .meta({ id: 'AtRiskCounts', description: 'Per queue: open SLA clocks breached, past their warning, or due within the window' });

export const AtRiskCountsQuery = z.strictObject({ withinMinutes: z.coerce.number().int().min(0).max(60 * 24 * 31).default(240) });

export const SLA_MEASURE_DIMENSIONS = ['day', 'queue', 'agent', 'priority'] as const;

export const SlaMeasuresQuery = z.strictObject({
  from: z.iso.date().meta({ description: 'First UTC day, YYYY-MM-DD' }),
  to: z.iso.date().meta({ description: 'Last UTC day, YYYY-MM-DD (at most 92 days after from)' }),
  by: z.enum(SLA_MEASURE_DIMENSIONS).default('day'),
  kpi: z.enum(['first_response', 'resolve', 'next_response']).optional(),
});

export const SlaMeasuresSchema = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    by: z.enum(SLA_MEASURE_DIMENSIONS),
    rows: z.array(
      z.object({
        key: z.string().nullable().meta({ description: 'The day, queue id, agent id or priority (null: no queue / no owner)' }),
        kpi: z.enum(['first_response', 'resolve', 'next_response']),
        met: z.number().int(),
        breached: z.number().int(),
        total: z.number().int(),
        metPercent: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: 'SlaMeasures', description: 'SLA met and breached counts (by outcome day, UTC) grouped by one dimension and KPI' });
