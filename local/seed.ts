/**
 * Demo data for the local runtime, written through the same use cases the API uses: accounts,
 * contacts, staff, queues, subjects, products and about 50 cases in every state, spread over
 * the last few weeks. Deterministic (seeded PRNG), so screenshots and demos repeat.
 */
import { randomUUID } from 'node:crypto';
import type { Caller } from '../shared/app/caller';
import * as cases from '../shared/app/cases';
import { addProduct, addSubject } from '../shared/app/catalog';
import { createCustomer } from '../shared/app/customers';
import { addAgent, addQueue } from '../shared/app/directory';
import { addCalendar, replacePolicies } from '../shared/app/sla';
import type { Deps } from '../shared/app/deps';
import type { CaseStatus, CaseType, Priority } from '../shared/domain/case';
import type { Role } from '../shared/domain/principal';
import type { AssignmentStrategy, RoutingRule } from '../shared/domain/routing';
import type { SlaPolicy } from '../shared/domain/sla';
import { mulberry32 } from '../shared/prng';
import { type LocalIdentity, type LocalUser, hashPassword } from './auth';

export const DEMO_PASSWORD = 'demo';

/** Demo staff: presence starts offline (nobody has signed in yet); capacity, skills and teams as a small team would set them. */
const STAFF: { email: string; name: string; groups: Role[]; capacity: number; skills: Record<string, number>; teams: string[] }[] = [
  { email: 'agent1@example.com', name: 'Sara Ahmadi', groups: ['agent'], capacity: 12, skills: { hardware: 4, software: 3, persian: 5 }, teams: ['IT'] },
  { email: 'agent2@example.com', name: 'Tom Becker', groups: ['agent'], capacity: 10, skills: { training: 4, software: 2 }, teams: ['Education'] },
  { email: 'manager@example.com', name: 'Mina Karimi', groups: ['manager', 'agent'], capacity: 8, skills: { vip: 5, billing: 3, persian: 5 }, teams: ['VIP', 'IT'] },
  { email: 'admin@example.com', name: 'Alex Admin', groups: ['admin'], capacity: 0, skills: {}, teams: [] },
];

const ACCOUNTS = [
  { name: 'Contoso Ltd', tier: 'vip' },
  { name: 'Fabrikam Inc', tier: 'premium' },
  { name: 'Parsian Trading Co', tier: 'standard' },
  { name: 'Northwind Traders', tier: 'standard' },
] as const;

const CONTACTS = [
  { email: 'customer1@example.com', name: 'Chris Customer', account: 0, language: 'en' },
  { email: 'customer2@example.com', name: 'Dana Doe', account: 1, language: 'en' },
  { email: 'reza.tehrani@example.com', name: 'رضا تهرانی', account: 2, language: 'fa' },
  { email: 'leila.moradi@example.com', name: 'لیلا مرادی', account: 2, language: 'fa' },
  { email: 'ann.lee@example.com', name: 'Ann Lee', account: 0, language: 'en' },
  { email: 'omar.haddad@example.com', name: 'Omar Haddad', account: 3, language: 'en' },
  { email: 'julia.nowak@example.com', name: 'Julia Nowak', account: 1, language: 'en' },
  { email: 'sam.taylor@example.com', name: 'Sam Taylor', account: null, language: 'en' },
] as const;

const SUBJECTS: [string, string | null][] = [
  ['Hardware', null],
  ['Laptops', 'Hardware'],
  ['Printers', 'Hardware'],
  ['Software', null],
  ['Installation', 'Software'],
  ['Licensing', 'Software'],
  ['Training', null],
  ['Courses', 'Training'],
  ['Billing', null],
];

const PRODUCTS = [
  { name: 'ProBook 450 laptop', code: 'PB-450', family: 'Laptops' },
  { name: 'LaserJet M404 printer', code: 'LJ-M404', family: 'Printers' },
  { name: 'Office Suite 2026', code: 'OFS-26', family: 'Software' },
  { name: 'Accounting Cloud', code: 'ACC-CLD', family: 'Software' },
  { name: 'Onboarding course', code: 'TRN-ONB', family: 'Training' },
  { name: 'Support contract Gold', code: 'SUP-GLD', family: 'Services' },
];

/** Members are STAFF indexes. */
const QUEUES: { name: string; description: string; role?: 'default' | 'escalation'; strategy: AssignmentStrategy; members: number[]; requiredSkills?: Record<string, number> }[] = [
  { name: 'General', description: 'Default queue for new cases', role: 'default', strategy: 'manual', members: [0, 1, 2] },
  { name: 'IT support', description: 'Technical problems', strategy: 'least_loaded', members: [0, 2] },
  { name: 'Education', description: 'Training and course questions', strategy: 'round_robin', members: [1, 0] },
  { name: 'VIP', description: 'VIP customers', strategy: 'skills', members: [2, 0], requiredSkills: { vip: 3 } },
  { name: 'Escalations', description: 'Cases at risk of breaching their SLA', role: 'escalation', strategy: 'manual', members: [2] },
];

const PROBLEMS: { title: string; description: string; subject: string; product: number | null; type: CaseType }[] = [
  { title: 'Laptop does not turn on', description: 'Since this morning the laptop shows no light when I press the power button.', subject: 'Laptops', product: 0, type: 'problem' },
  { title: 'Printer jams on every page', description: 'The printer jams after printing half a page. I cleaned the rollers already.', subject: 'Printers', product: 1, type: 'problem' },
  { title: 'How do I install the new version?', description: 'Where can I download the 2026 installer and do I need to uninstall first?', subject: 'Installation', product: 2, type: 'question' },
  { title: 'License key rejected', description: 'The license key from our invoice is rejected with error LK-22.', subject: 'Licensing', product: 2, type: 'problem' },
  { title: 'Invoice shows the wrong amount', description: 'Our October invoice charges 12 seats; we have 10.', subject: 'Billing', product: 5, type: 'request' },
  { title: 'Enrol two colleagues in the onboarding course', description: 'Please add two new colleagues to next month\'s session.', subject: 'Courses', product: 4, type: 'request' },
  { title: 'Cloud accounting export fails', description: 'Exporting the ledger to CSV stops at 80% with a timeout.', subject: 'Software', product: 3, type: 'problem' },
  { title: 'چاپگر کاغذ را نمی‌کشد', description: 'از دیروز چاپگر کاغذ را از سینی نمی‌کشد و خطای E3 نشان می‌دهد.', subject: 'Printers', product: 1, type: 'problem' },
  { title: 'درخواست آموزش نرم‌افزار حسابداری', description: 'برای سه نفر از همکاران دوره آموزشی می‌خواهیم.', subject: 'Training', product: 3, type: 'request' },
  { title: 'Battery drains overnight', description: 'The laptop battery is empty every morning even when shut down.', subject: 'Laptops', product: 0, type: 'problem' },
];

const REPLIES = [
  'Thank you for reporting this. Could you send us the serial number?',
  'We have reproduced the issue and are working on it.',
  'Please try the steps in the attached guide and tell us if it helps.',
];


/** Tehran office hours: Saturday to Wednesday with a lunch break, Thursday mornings, Friday off; a few official holidays. */
const OFFICE_DAY = [
  { start: '08:00', end: '12:00' },
  { start: '13:00', end: '17:00' },
];
const TEHRAN_OFFICE = {
  name: 'Tehran office',
  timeZone: 'Asia/Tehran',
  week: { sat: OFFICE_DAY, sun: OFFICE_DAY, mon: OFFICE_DAY, tue: OFFICE_DAY, wed: OFFICE_DAY, thu: [{ start: '08:00', end: '12:00' }], fri: [] },
  holidays: [
    ...['2026-03-21', '2026-03-22', '2026-03-23', '2026-03-24'].map((date) => ({ date, name: 'Nowruz 1405' })),
    { date: '2026-04-01', name: 'Islamic Republic Day' },
    { date: '2026-04-02', name: 'Sizdah Bedar (Nature Day)' },
    { date: '2026-06-04', name: 'Demise of Imam Khomeini' },
    { date: '2026-06-05', name: 'Revolt of Khordad 15' },
    { date: '2027-02-11', name: 'Revolution Day' },
    ...['2027-03-21', '2027-03-22', '2027-03-23', '2027-03-24'].map((date) => ({ date, name: 'Nowruz 1406' })),
  ],
};

export interface SeedResult {
  users: Omit<LocalUser, 'passwordHash'>[];
  cases: number;
}

export async function seedDemo(base: Deps, identity: LocalIdentity, opts: { cases?: number; now?: Date } = {}): Promise<SeedResult> {
  const rand = mulberry32(20261125);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const realNow = opts.now ?? new Date();
  let clockNow = realNow;
  const deps: Deps = { ...base, clock: { now: () => clockNow } };
  const passwordHash = hashPassword(DEMO_PASSWORD);

  const users: LocalUser[] = STAFF.map((s) => ({ sub: randomUUID(), email: s.email, name: s.name, groups: s.groups, passwordHash }));
  const admin: Caller = { principal: { sub: users[3]!.sub, email: users[3]!.email, roles: ['admin'] }, actor: { sub: users[3]!.sub, kind: 'staff', email: users[3]!.email }, customerId: null };
  const staffCaller = (u: LocalUser): Caller => ({ principal: { sub: u.sub, email: u.email, roles: u.groups }, actor: { sub: u.sub, kind: 'staff', email: u.email }, customerId: null });
  for (const [i, u] of users.entries()) {
    const s = STAFF[i]!;
    await addAgent(deps, admin, { id: u.sub, email: u.email, name: u.name, roles: u.groups, capacity: s.capacity, skills: s.skills, teams: s.teams, presence: 'offline' });
  }
  const queueIds: string[] = [];
  for (const q of QUEUES) {
    const created = await addQueue(deps, admin, {
      name: q.name,
      description: q.description,
      role: q.role ?? null,
      strategy: q.strategy,
      members: q.members.map((m) => users[m]!.sub),
      requiredSkills: q.requiredSkills ?? {},
    });
    queueIds.push(created.id);
  }

  const subjectIds = new Map<string, string>();
  for (const [name, parent] of SUBJECTS) {
    const s = await addSubject(deps, admin, { name, parentId: parent ? subjectIds.get(parent)! : null });
    subjectIds.set(name, s.id);
  }
  const productIds: string[] = [];
  for (const p of PRODUCTS) productIds.push((await addProduct(deps, admin, p)).id);

  // the routing the seeds describe: technical problems to IT, training to education, VIPs to their agents
  const rules: RoutingRule[] = [
    { id: 'vip', name: 'VIP customers', enabled: true, order: 10, conditions: { field: 'customerTier', op: 'eq', value: 'vip' }, actions: { queueId: queueIds[3]!, priority: 'high' } },
    { id: 'training', name: 'Training questions', enabled: true, order: 20, conditions: { any: [{ field: 'subject', op: 'within', value: subjectIds.get('Training')! }, { field: 'title_or_description', op: 'contains_any_word', value: ['course', 'training', 'آموزش', 'دوره'] }] }, actions: { queueId: queueIds[2]! } },
    { id: 'technical', name: 'Technical problems', enabled: true, order: 30, conditions: { all: [{ field: 'caseType', op: 'eq', value: 'problem' }, { any: [{ field: 'subject', op: 'within', value: subjectIds.get('Hardware')! }, { field: 'subject', op: 'within', value: subjectIds.get('Software')! }] }] }, actions: { queueId: queueIds[1]! } },
    { id: 'printer-fire', name: 'Printer emergencies', enabled: true, order: 40, conditions: { field: 'title_or_description', op: 'contains_any_word', value: ['fire', 'smoke', 'دود'] }, actions: { priority: 'urgent', tags: ['safety'] } },
  ];
  await deps.routing.saveRuleSet(rules, 0, users[3]!.sub, realNow.toISOString());

  // SLA: the Tehran office's hours; VIPs get a 24x7 first response, everyone else office hours
  const tehran = await addCalendar(deps, admin, TEHRAN_OFFICE);
  const hours = (urgent: number, high: number, normal: number, low: number) => ({ urgent: urgent * 60, high: high * 60, normal: normal * 60, low: low * 60 });
  const workingDays = (urgent: number, high: number, normal: number, low: number) => hours(urgent * 8, high * 8, normal * 8, low * 8);
  const pauseStatuses: CaseStatus[] = ['on_hold', 'waiting_for_details'];
  const policies: SlaPolicy[] = [
    {
      id: 'vip',
      name: 'VIP',
      enabled: true,
      order: 10,
      appliesWhen: { field: 'customerTier', op: 'eq', value: 'vip' },
      kpis: {
        first_response: { targetMinutes: hours(1, 2, 4, 8), warnAtPercent: 75, calendarId: null, pauseStatuses },
        resolve: { targetMinutes: hours(8, 24, 48, 96), warnAtPercent: 75, calendarId: tehran.id, pauseStatuses },
      },
      onWarning: [{ type: 'timeline' }, { type: 'notify_owner' }],
      onBreach: [{ type: 'timeline' }, { type: 'notify_queue_managers' }, { type: 'move_to_escalation_queue' }],
    },
    {
      id: 'standard',
      name: 'Standard',
      enabled: true,
      order: 20,
      appliesWhen: null,
      kpis: {
        first_response: { targetMinutes: hours(4, 8, 16, 24), warnAtPercent: 80, calendarId: tehran.id, pauseStatuses },
        resolve: { targetMinutes: workingDays(2, 3, 5, 10), warnAtPercent: 80, calendarId: tehran.id, pauseStatuses },
      },
      onWarning: [{ type: 'timeline' }],
      onBreach: [{ type: 'timeline' }, { type: 'notify_owner' }],
    },
  ];
  await replacePolicies(deps, admin, policies, 0);

  const accountIds: string[] = [];
  for (const a of ACCOUNTS) accountIds.push((await createCustomer(deps, admin, { kind: 'account', name: a.name, tier: a.tier })).id);
  const contacts: { id: string; email: string; tier: string; user?: LocalUser }[] = [];
  for (const c of CONTACTS) {
    const created = await createCustomer(deps, admin, {
      kind: 'contact',
      name: c.name,
      email: c.email,
      language: c.language,
      tier: c.account === null ? 'standard' : ACCOUNTS[c.account]!.tier,
      ...(c.account === null ? {} : { accountId: accountIds[c.account]! }),
    });
    const isDemoLogin = c.email.startsWith('customer');
    const user: LocalUser | undefined = isDemoLogin ? { sub: randomUUID(), email: c.email, name: c.name, groups: ['customer'], passwordHash } : undefined;
    if (user) users.push(user);
    contacts.push({ id: created.id, email: c.email, tier: created.tier, user });
  }
  identity.setUsers(users);

  const agents = users.filter((u) => u.groups.includes('agent'));
  const total = opts.cases ?? 50;
  const priorities: Priority[] = ['low', 'normal', 'normal', 'normal', 'high', 'urgent'];
  for (let i = 0; i < total; i++) {
    // spread creation over the last 30 days, oldest first
    clockNow = new Date(realNow.getTime() - (total - i) * (30 * 86_400_000) / total);
    const contact = i < 6 ? contacts[i % 2]! : pick(contacts);
    const problem = PROBLEMS[i % PROBLEMS.length]!;
    const agent = pick(agents);
    const caller = staffCaller(agent);
    const owned = rand() < 0.7;
    const c = await cases.openCase(deps, caller, {
      title: problem.title,
      description: problem.description,
      customerId: contact.id,
      subjectId: subjectIds.get(problem.subject)!,
      productId: problem.product === null ? null : productIds[problem.product]!,
      caseType: problem.type,
      priority: contact.tier === 'vip' ? 'high' : pick(priorities),
      origin: pick(['phone', 'email', 'web', 'chat'] as const),
      queueId: contact.tier === 'vip' ? queueIds[3]! : problem.subject === 'Courses' || problem.subject === 'Training' ? queueIds[2]! : queueIds[rand() < 0.5 ? 0 : 1]!,
      ...(owned ? { ownerId: agent.sub } : {}),
    });
    const step = () => {
      clockNow = new Date(clockNow.getTime() + Math.floor(rand() * 6 + 1) * 3_600_000);
      if (clockNow > realNow) clockNow = realNow;
    };
    const roll = rand();
    if (!owned || roll < 0.25) continue; // new, untouched
    step();
    await cases.postMessage(deps, caller, c.id, pick(REPLIES));
    await cases.updateCase(deps, caller, c.id, { status: 'in_progress' }, c.version + 1);
    if (rand() < 0.4) await cases.postNote(deps, caller, c.id, 'Checked the customer\'s contract: covered by support.');
    if (roll < 0.45) continue; // in progress
    if (roll < 0.55) {
      const cur = await cases.readCase(deps, caller, c.id);
      await cases.updateCase(deps, caller, c.id, { status: 'waiting_for_details' }, cur.version);
      continue;
    }
    step();
    if (roll < 0.92) await cases.resolve(deps, caller, c.id, { resolutionType: problem.type === 'question' ? 'information_provided' : 'problem_solved', text: 'Fixed and confirmed with the customer.', minutesSpent: Math.floor(rand() * 120) + 10 });
    else await cases.cancel(deps, caller, c.id, 'Duplicate request, handled by phone.');
  }
  return { users: identity.listUsers(), cases: total };
}
