/**
 * Mail we send: an agent's public message goes to the customer (threaded, the ticket token in the
 * subject, Reply-To the support address), and a new case gets an acknowledgement in the contact's
 * language. Each send happens at most once per message (a marker claimed before sending), and
 * automatic mails respect the noise verdict of the mail that caused them and a per-recipient
 * hourly limit, so two auto-responders cannot ping-pong through us.
 */
import type { Case } from '../domain/case';
import { LANGUAGES, type Language } from '../domain/customer';
import { DomainError, forbidden, validationError } from '../domain/errors';
import { AUTO_REPLY_HEADERS } from '../domain/mail/noise';
import { KPI_LABEL } from '../domain/sla/actions';
import type { KpiName } from '../domain/sla/kpi';
import { DEFAULT_TEMPLATES, type TemplateText, render, unknownVariables } from '../domain/mail/templates';
import { isAdmin } from '../domain/principal';
import { TEMPLATE_NAMES, type MailTemplate, type TemplateName } from '../ports/mail';
import { type Caller, requireAdmin } from './caller';
import type { MailDeps } from './mail-deps';
import { wholeTimeline } from './timeline';

export type OutboundRequest =
  | { kind: 'reply'; caseId: string; entryId: string; body: string }
  | { kind: 'ack'; caseId: string }
  /** an unknown sender told politely that we only take mail from customers */
  | { kind: 'refusal'; intakeId: string; to: string; language: Language }
  /** staff told of an SLA warning or breach (the `sla` timeline entry names whom) */
  | { kind: 'sla_alert'; caseId: string; entryId: string };

export type OutboundResult = { sent: true; messageId: string } | { sent: false; reason: string };

/** A send that started this long ago and never finished is presumed lost and may be retried. */
const STALE_SEND_SECONDS = 120;

async function template(deps: MailDeps, name: TemplateName, language: Language): Promise<TemplateText> {
  const stored = await deps.mail.getTemplate(name, language);
  return stored ?? DEFAULT_TEMPLATES[name][language] ?? DEFAULT_TEMPLATES[name].en;
}

const angle = (id: string) => `<${id.replace(/^<|>$/g, '')}>`;

export async function sendOutbound(deps: MailDeps, req: OutboundRequest): Promise<OutboundResult> {
  if (req.kind === 'refusal') return sendRefusal(deps, req);
  if (req.kind === 'sla_alert') return sendSlaAlert(deps, req);
  const c = await deps.cases.get(req.caseId);
  if (!c) return { sent: false, reason: 'case not found' };
  const contact = await deps.customers.get(c.customerId);
  const to = contact?.email;
  if (!contact || !to) return { sent: false, reason: 'the contact has no e-mail address' };
  if (contact.emailBounce) return { sent: false, reason: `mail to ${to} bounced permanently on ${contact.emailBounce.at}` };

  let headers: Record<string, string> = {};
  let text: TemplateText;
  const values = { ticketNumber: c.ticketNumber, title: c.title, contactName: contact.name, portalUrl: deps.mailConfig.portalUrl ?? '' };
  if (req.kind === 'ack') {
    const why = await ackBlocker(deps, c);
    if (why) return { sent: false, reason: why };
    if (!(await deps.mail.takeAutoReplySlot(to, deps.clock.now(), deps.mailConfig.autoReplyLimitPerHour)))
      return { sent: false, reason: `more than ${deps.mailConfig.autoReplyLimitPerHour} automatic mails to ${to} this hour` };
    text = render(await template(deps, 'acknowledgement', contact.language), values);
    headers = { ...AUTO_REPLY_HEADERS };
  } else text = render(await template(deps, 'reply', contact.language), { ...values, body: req.body });

  const thread = await deps.mail.threadMessageIds(c.id, 10);
  if (thread.length) headers = { ...headers, 'In-Reply-To': angle(thread.at(-1)!), References: thread.map(angle).join(' ') };

  const key = req.kind === 'ack' ? `ack#${c.id}` : `reply#${req.entryId}`;
  return sendOnce(deps, key, to, text, headers, c.id);
}

/** Claims the send, sends, and links the provider's message id to the case's thread. */
async function sendOnce(deps: MailDeps, key: string, to: string, text: TemplateText, headers: Record<string, string>, caseId: string | null): Promise<OutboundResult> {
  if (!(await deps.mail.claimOutbound(key, deps.clock.now(), STALE_SEND_SECONDS))) return { sent: false, reason: 'already sent' };
  const from = deps.mailConfig.supportAddresses[0]!;
  try {
    const out = await deps.mailer.send({ from: `${deps.mailConfig.fromName} <${from}>`, to: [to], replyTo: [from], subject: text.subject, text: text.text, headers });
    await deps.mail.completeOutbound(key, out.providerId);
    if (caseId) {
      await deps.mail.linkMessageId(out.messageId, caseId);
      if (out.providerId !== out.messageId) await deps.mail.linkMessageId(out.providerId, caseId);
    }
    return { sent: true, messageId: out.messageId };
  } catch (e) {
    await deps.mail.releaseOutbound(key);
    throw e;
  }
}

async function sendRefusal(deps: MailDeps, req: Extract<OutboundRequest, { kind: 'refusal' }>): Promise<OutboundResult> {
  if (!(await deps.mail.takeAutoReplySlot(req.to, deps.clock.now(), deps.mailConfig.autoReplyLimitPerHour)))
    return { sent: false, reason: `more than ${deps.mailConfig.autoReplyLimitPerHour} automatic mails to ${req.to} this hour` };
  const text = render(await template(deps, 'refusal', req.language), { portalUrl: deps.mailConfig.portalUrl ?? '' });
  return sendOnce(deps, `refusal#${req.intakeId}`, req.to, text, { ...AUTO_REPLY_HEADERS }, null);
}

/**
 * An SLA warning or breach told to the staff its entry names, one mail each (each at most once).
 * Internal mail in English, not threaded into the customer's conversation.
 */
async function sendSlaAlert(deps: MailDeps, req: Extract<OutboundRequest, { kind: 'sla_alert' }>): Promise<OutboundResult> {
  const c = await deps.cases.get(req.caseId);
  if (!c) return { sent: false, reason: 'case not found' };
  const entry = (await wholeTimeline(deps, c.id)).find((e) => e.id === req.entryId);
  if (!entry?.sla) return { sent: false, reason: 'SLA entry not found' };
  const { sla } = entry;
  const what = sla.stage === 'warning' ? 'is nearing its deadline' : 'missed its deadline';
  const link = deps.mailConfig.portalUrl ? `${deps.mailConfig.portalUrl.replace(/\/$/, '')}/cases/${c.id}` : null;
  const text: TemplateText = {
    subject: `[SLA ${sla.stage === 'warning' ? 'warning' : 'breach'}] ${c.title} [${c.ticketNumber}]`,
    text: [
      `The ${KPI_LABEL[sla.kpi as KpiName]?.toLowerCase() ?? sla.kpi}${sla.cycle ? ` (exchange ${sla.cycle})` : ''} of case ${c.ticketNumber} ${what}${sla.deadline ? `: ${sla.deadline}` : ''}.`,
      `Priority: ${c.priority}. Status: ${c.status}.`,
      link ? `Open the case: ${link}` : `Case id: ${c.id}`,
    ].join('\n\n'),
  };
  let sent = 0;
  const reasons: string[] = [];
  for (const agentId of sla.notify) {
    const agent = await deps.directory.getAgent(agentId);
    if (!agent?.email) {
      reasons.push(`${agentId}: not in the directory`);
      continue;
    }
    const out = await sendOnce(deps, `sla#${entry.id}#${agentId}`, agent.email, text, { ...AUTO_REPLY_HEADERS }, null);
    if (out.sent) sent++;
    else reasons.push(`${agent.email}: ${out.reason}`);
  }
  return sent ? { sent: true, messageId: `${sent} mail(s)` } : { sent: false, reason: reasons.join('; ') || 'nobody to tell' };
}

/**
 * Why a new case gets no acknowledgement: a mail-born case whose mail was automatic, a list mail
 * or from a system sender (its intake record says so).
 */
async function ackBlocker(deps: MailDeps, c: Case): Promise<string | null> {
  if (c.origin !== 'email') return null;
  const first = (await deps.cases.timeline(c.id, { publicOnly: false, limit: 1 })).items[0];
  const intakeId = first?.mail?.intakeId;
  if (!intakeId) return null;
  const intake = await deps.mail.getIntake(intakeId);
  return intake && intake.autoReply !== 'allowed' ? `the mail that opened the case must not be answered automatically (${intake.autoReply})` : null;
}

// ---------------------------------------------------------------------------------------------
// Templates (admins)

export async function listTemplates(deps: MailDeps, caller: Caller): Promise<MailTemplate[]> {
  if (!isAdmin(caller.principal) && !caller.principal.roles.includes('manager')) throw forbidden('Only managers and admins may read mail templates.');
  const out: MailTemplate[] = [];
  for (const name of TEMPLATE_NAMES)
    for (const language of LANGUAGES) {
      const stored = await deps.mail.getTemplate(name, language);
      out.push(stored ?? { name, language, ...DEFAULT_TEMPLATES[name][language], version: 0, updatedAt: null, updatedBy: null });
    }
  return out;
}

export async function saveTemplate(deps: MailDeps, caller: Caller, name: TemplateName, language: Language, body: TemplateText, ifMatch: number) {
  requireAdmin(caller);
  const issues = (['subject', 'text'] as const).flatMap((path) =>
    unknownVariables({ subject: path === 'subject' ? body.subject : '', text: path === 'text' ? body.text : '' }).map((v) => ({
      path,
      code: 'unknown_placeholder',
      message: `{{${v}}} is not a placeholder; use ticketNumber, title, contactName, body, portalUrl`,
    })),
  );
  if (issues.length) throw validationError('The template uses placeholders that do not exist.', issues);
  const current = await deps.mail.getTemplate(name, language);
  if ((current?.version ?? 0) !== ifMatch) throw new DomainError('precondition-failed', 'The template was changed by someone else since you read it. Reload it and apply your change again.', [], { currentVersion: current?.version ?? 0 });
  return deps.mail.putTemplate({ name, language, subject: body.subject, text: body.text, version: ifMatch, updatedAt: deps.clock.now().toISOString(), updatedBy: caller.principal.sub }, ifMatch);
}

