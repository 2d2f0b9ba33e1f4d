import type { ReactNode } from 'react';
import { CASE_STATUSES, CASE_TYPES, ORIGINS, PRIORITIES } from '../../../shared/domain/case';
import { useDirectory } from '../api/cache';
import type { TimelineEntry } from '../api/types';
import { useSession } from '../auth/session';
import { type MessageKey, isMessageKey, useI18n } from '../i18n';
import { DateTime } from './DateTime';
import { Attachments, MailHeader, QuotedText } from './MailDetails';

export type Audience = 'customer' | 'staff';

/** What a customer sees of the (already public-only) timeline. */
export const CUSTOMER_KINDS: ReadonlySet<TimelineEntry['kind']> = new Set([
  'created',
  'message',
  'resolution',
  'reactivation',
  'cancellation',
  'status_change',
]);

const oneOf = <T extends string>(list: readonly T[], v: unknown): v is T => typeof v === 'string' && (list as readonly string[]).includes(v);

/** A short form of an id, for owners and queues until there are lists to name them. */
export const shortId = (id: string) => id.slice(0, 8);

export function useOwnerLabel(meSub: string | undefined) {
  const { t } = useI18n();
  const { agents } = useDirectory(Boolean(useSession()?.staff));
  return (ownerId: string | null | undefined) =>
    !ownerId
      ? t('owner.unassigned')
      : ownerId === meSub
        ? t('owner.me')
        : (agents.get(ownerId) ?? t('owner.other', { id: shortId(ownerId) }));
}

/** A queue's name for staff; a short id until the names are loaded. */
export function useQueueLabel() {
  const { queues } = useDirectory(Boolean(useSession()?.staff));
  return (queueId: string) => queues.get(queueId) ?? shortId(queueId);
}

/** Display text of one changed value, translated where it is an enum. */
export function useChangeValue(meSub: string | undefined, names?: { subject?: (id: string) => string | null; product?: (id: string) => string | null }) {
  const { t } = useI18n();
  const owner = useOwnerLabel(meSub);
  const queue = useQueueLabel();
  return (field: string, v: unknown): string => {
    if (v === null || v === undefined || v === '') return t('change.none');
    if (field === 'status' && oneOf(CASE_STATUSES, v)) return t(`status.${v}`);
    if (field === 'priority' && oneOf(PRIORITIES, v)) return t(`priority.${v}`);
    if (field === 'origin' && oneOf(ORIGINS, v)) return t(`origin.${v}`);
    if (field === 'caseType' && oneOf(CASE_TYPES, v)) return t(`caseType.${v}`);
    if (field === 'ownerId') return owner(String(v));
    if (field === 'subjectId') return names?.subject?.(String(v)) ?? shortId(String(v));
    if (field === 'productId') return names?.product?.(String(v)) ?? shortId(String(v));
    if (field === 'queueId') return queue(String(v));
    return typeof v === 'string' ? v : JSON.stringify(v);
  };
}

function fieldLabel(t: (k: MessageKey) => string, field: string) {
  const key = `field.${field}`;
  return isMessageKey(key) ? t(key) : field;
}

const SLA_ACTIONS = ['timeline', 'notify_owner', 'notify_queue_managers', 'raise_priority', 'move_to_escalation_queue', 'reassign'] as const;
const SLA_KPIS = ['first_response', 'resolve', 'next_response'] as const;

/**
 * An SLA warning or breach (internal): which clock and its deadline, what was done and who was
 * told, in the reader's language; the sentence the system recorded (English) kept underneath.
 */
function SlaStage({ entry, meSub }: { entry: TimelineEntry; meSub: string }) {
  const { t } = useI18n();
  const owner = useOwnerLabel(meSub);
  const sla = entry.sla!;
  const name = oneOf(SLA_KPIS, sla.kpi) ? t(`sla.kpi.${sla.kpi}`) : sla.kpi;
  const kpi = sla.cycle > 0 ? t('sla.kpiCycle', { kpi: name, cycle: sla.cycle }) : name;
  const actions = sla.actions.map((a) => (oneOf(SLA_ACTIONS, a) ? t(`slaAction.${a}`) : a));
  const notify = sla.notify ?? [];
  return (
    <div className="timeline__sla" data-testid="timeline-sla" data-stage={sla.stage}>
      <p className="timeline__body">
        {t(sla.stage === 'breach' ? 'timeline.sla.breachText' : 'timeline.sla.warningText', { kpi })}
        {sla.deadline && (
          <>
            {' '}
            {t('timeline.sla.deadline')} <DateTime iso={sla.deadline} />
          </>
        )}
      </p>
      {actions.length > 0 && <p className="timeline__note">{t('timeline.sla.actions', { actions: actions.join(t('common.listSeparator')) })}</p>}
      {notify.length > 0 && <p className="timeline__note">{t('timeline.sla.notified', { people: notify.map((id) => `\u2068${owner(id)}\u2069`).join(t('common.listSeparator')) })}</p>}
      {entry.body && (
        <details className="timeline__recorded">
          <summary>{t('timeline.sla.recorded')}</summary>
          <p lang="en" dir="ltr">
            {entry.body}
          </p>
        </details>
      )}
    </div>
  );
}

export function Timeline({
  entries,
  audience,
  meSub,
  emptyText,
  names,
}: {
  entries: TimelineEntry[];
  audience: Audience;
  meSub: string;
  emptyText?: string;
  names?: Parameters<typeof useChangeValue>[1];
}) {
  const { t } = useI18n();
  const value = useChangeValue(meSub, names);
  const shown = audience === 'customer' ? entries.filter((e) => e.visibility === 'public' && CUSTOMER_KINDS.has(e.kind)) : entries;
  if (!shown.length) return <p className="muted">{emptyText ?? t('timeline.empty')}</p>;

  const actorName = (e: TimelineEntry) => {
    if (e.actor.sub === meSub) return t('actor.you');
    if (e.actor.kind === 'system') return t('actor.system');
    if (audience === 'customer') return e.actor.kind === 'staff' ? t('actor.support') : t('actor.customer');
    return e.actor.email ?? (e.actor.kind === 'staff' ? t('actor.staff') : t('actor.customer'));
  };

  return (
    <ol className="timeline">
      {shown.map((e) => {
        const internal = e.visibility === 'internal';
        const changes = (e.changes ?? []).filter((c) => !(e.kind === 'resolution' || e.kind === 'reactivation' || e.kind === 'cancellation') || c.field !== 'status');
        let body: ReactNode = null;
        if (e.kind === 'sla' && e.sla) body = <SlaStage entry={e} meSub={meSub} />;
        else if (e.body) body = <p className="timeline__body" dir="auto">{e.body}</p>;
        return (
          <li
            key={e.id}
            className={`timeline__entry timeline__entry--${e.kind} ${internal ? 'timeline__entry--internal' : 'timeline__entry--public'} ${
              e.actor.kind === 'customer' ? 'timeline__entry--from-customer' : ''
            }`}
            data-testid="timeline-entry"
            data-kind={e.kind}
            data-visibility={e.visibility}
          >
            <div className="timeline__meta">
              {internal && <span className="tag tag--internal">{e.kind === 'note' ? t('timeline.internalNote') : t('timeline.internal')}</span>}
              {e.kind === 'sla' && e.sla ? (
                <span className={`tag timeline__sla-tag timeline__sla-tag--${e.sla.stage}`}>
                  <span aria-hidden="true" className="timeline__sla-icon">
                    {e.sla.stage === 'breach' ? '✖' : '⚠'}
                  </span>{' '}
                  {t(e.sla.stage === 'breach' ? 'timeline.sla.breach' : 'timeline.sla.warning')}
                </span>
              ) : (
                e.kind !== 'note' && <span className="timeline__kind">{t(`kind.${e.kind}`)}</span>
              )}
              <span className="timeline__actor">{actorName(e)}</span>
              <span className="timeline__time">
                <DateTime iso={e.at} />
              </span>
            </div>
            {e.mail && <MailHeader mail={e.mail} />}
            {body}
            {e.mail?.quoted && <QuotedText text={e.mail.quoted} />}
            {e.mail?.attachments && e.mail.attachments.length > 0 && <Attachments items={e.mail.attachments} caseId={e.caseId} entryId={e.id} />}
            {changes.length > 0 && (
              <ul className="timeline__changes">
                {changes.map((c) => (
                  <li key={c.field}>
                    {t('change.line', { field: fieldLabel(t, c.field), from: value(c.field, c.from), to: value(c.field, c.to) })}
                  </li>
                ))}
              </ul>
            )}
            {e.kind === 'resolution' && e.changes?.[0] && oneOf(CASE_STATUSES, e.changes[0].to) && (
              <p className="timeline__note">{t('timeline.resolvedAs', { type: t(`status.${e.changes[0].to}`) })}</p>
            )}
          </li>
        );
      })}
    </ol>
  );
}
