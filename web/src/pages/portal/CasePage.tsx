import { getConfig } from '../../config';
import { useState } from 'react';
import { useLocation, useParams } from 'react-router';
import { addMessage, reactivateCase } from '../../api/endpoints';
import { isApiError } from '../../api/errors';
import type { Case } from '../../api/types';
import { useSession } from '../../auth/session';
import { Alert, ConflictBanner, ErrorAlert } from '../../components/Alert';
import { StatusBadge } from '../../components/Badges';
import { Composer } from '../../components/Composer';
import { DateTime } from '../../components/DateTime';
import { Loading } from '../../components/Loading';
import { NotFound } from '../../components/NotFound';
import { TicketNumber } from '../../components/TicketNumber';
import { Timeline } from '../../components/Timeline';
import { useCase } from '../../components/useCase';
import { usePageTitle } from '../../components/usePageTitle';
import { type MessageKey, useI18n } from '../../i18n';

/** Customers may reopen a resolved case for this many days (the API's REOPEN_WINDOW_DAYS, via config.json). */
const reopenWindowDays = () => getConfig().reopenWindowDays ?? 7;

export function reopenDeadline(c: Case): Date | null {
  if (c.state !== 'resolved' || !c.resolvedAt) return null;
  return new Date(Date.parse(c.resolvedAt) + reopenWindowDays() * 86_400_000);
}

export default function CasePage() {
  const { id = '' } = useParams();
  return <CustomerCase key={id} id={id} />;
}

function CustomerCase({ id }: { id: string }) {
  const { t, dateTime } = useI18n();
  const session = useSession();
  const location = useLocation();
  const justCreated = (location.state as { created?: boolean } | null)?.created === true;
  const res = useCase(id);
  const [reply, setReply] = useState('');
  const [replyBusy, setReplyBusy] = useState(false);
  const [replyError, setReplyError] = useState<unknown>(null);
  const [reopenBusy, setReopenBusy] = useState(false);
  const [reopenError, setReopenError] = useState<unknown>(null);
  const [notice, setNotice] = useState<MessageKey | null>(null);
  usePageTitle(res.data?.value.title ?? t('portal.case'));

  if (res.loading) return <Loading />;
  if (!res.data) {
    if (isApiError(res.loadError) && (res.loadError.status === 404 || res.loadError.status === 403))
      return <NotFound what="case" backTo="/portal" backLabel={t('notFound.backToMyCases')} />;
    return <ErrorAlert error={res.loadError} />;
  }
  const c = res.data.value;
  const deadline = reopenDeadline(c);
  const canReopen = deadline !== null && deadline.getTime() > Date.now();

  const sendReply = async () => {
    setReplyBusy(true);
    setReplyError(null);
    setNotice(null);
    // appending a message loses nothing another change made: no If-Match, so no false conflict
    const r = await res.mutate(() => addMessage(c.id, reply.trim()));
    setReplyBusy(false);
    if (r.ok) {
      setReply('');
      setNotice('portal.replySent');
    } else setReplyError(r.error);
  };

  const reopen = async () => {
    setReopenBusy(true);
    setReopenError(null);
    setNotice(null);
    const r = await res.mutate((v) => reactivateCase(c.id, undefined, v));
    setReopenBusy(false);
    if (r.ok) setNotice('portal.reopened');
    else if (!r.conflict) setReopenError(r.error);
  };

  return (
    <div className="page page--narrow case-page">
      <header className="case-header">
        <h1 dir="auto">{c.title}</h1>
        <dl className="case-header__meta">
          <div>
            <dt>{t('field.ticketNumber')}</dt>
            <dd>
              <TicketNumber value={c.ticketNumber} testId="ticket-number" />
            </dd>
          </div>
          <div>
            <dt>{t('field.status')}</dt>
            <dd data-testid="case-status">
              <StatusBadge state={c.state} status={c.status} />
            </dd>
          </div>
          <div>
            <dt>{t('field.createdAt')}</dt>
            <dd>
              <DateTime iso={c.createdAt} />
            </dd>
          </div>
          <div>
            <dt>{t('field.updatedAt')}</dt>
            <dd>
              <DateTime iso={c.updatedAt} />
            </dd>
          </div>
        </dl>
      </header>

      {justCreated && !notice && (
        <Alert tone="success">
          {t('portal.created')} <TicketNumber value={c.ticketNumber} />
        </Alert>
      )}
      {res.conflict && <ConflictBanner onDismiss={res.dismissConflict} />}
      {notice && <Alert tone="success">{t(notice)}</Alert>}

      {c.state === 'resolved' && c.resolution && (
        <section className="card resolution" aria-labelledby="resolution-heading">
          <h2 id="resolution-heading">{t('case.resolution')}</h2>
          <p className="resolution__type">
            {t(`status.${c.resolution.type}`)} · <DateTime iso={c.resolution.resolvedAt} />
          </p>
          <p className="resolution__text" dir="auto">
            {c.resolution.text}
          </p>
          {canReopen && deadline && (
            <div className="resolution__reopen">
              <p className="muted">{t('portal.reopenUntil', { date: dateTime(deadline.toISOString()), days: reopenWindowDays() })}</p>
              {reopenError !== null && <ErrorAlert error={reopenError} />}
              <button type="button" className="button" onClick={reopen} disabled={reopenBusy}>
                {t('portal.reopen')}
              </button>
            </div>
          )}
          {!canReopen && <p className="muted">{t('portal.reopenExpired')}</p>}
        </section>
      )}
      {c.state === 'cancelled' && <Alert tone="info">{t('portal.cancelledNote')}</Alert>}

      <section aria-labelledby="conversation-heading" className="conversation">
        <h2 id="conversation-heading">{t('case.conversation')}</h2>
        <Timeline entries={res.timeline} audience="customer" meSub={session?.me.sub ?? ''} />
      </section>

      <section aria-labelledby="reply-heading" className="reply">
        <h2 id="reply-heading">{t('portal.replyHeading')}</h2>
        {c.state === 'active' ? (
          <Composer
            label={t('portal.replyLabel')}
            submitLabel={t('case.sendReply')}
            value={reply}
            onChange={setReply}
            onSubmit={sendReply}
            busy={replyBusy}
            error={replyError}
          />
        ) : (
          <p className="muted">{c.state === 'resolved' && canReopen ? t('portal.replyClosedReopen') : t('portal.replyClosed')}</p>
        )}
      </section>
    </div>
  );
}
