/**
 * Mail intake (admins): every inbound mail and its recorded outcome, newest first, filtered by
 * outcome; refreshes itself every 15 s while visible. A failed mail can be replayed and a
 * quarantined one released, after a confirmation that then shows the new outcome.
 */
import { type FormEvent, useCallback, useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { OUTCOMES } from '../../../../shared/domain/mail/types';
import { listInboundMail, releaseInboundMail, replayInboundMail } from '../../api/endpoints';
import type { InboundMail, MailOutcome } from '../../api/types';
import { Alert } from '../../components/Alert';
import { FormActions, SelectField, optionsOf } from '../../components/Form';
import { Modal } from '../../components/Modal';
import { RefreshToolbar } from '../../components/RefreshToolbar';
import { RelativeTime } from '../../components/RelativeTime';
import { PagedTable } from '../../components/Table';
import { TicketNumber } from '../../components/TicketNumber';
import { usePageTitle } from '../../components/usePageTitle';
import { usePagedList } from '../../components/usePagedList';
import { usePolling } from '../../components/usePolling';
import { useI18n } from '../../i18n';
import { REFRESH_MS } from '../agent/queues';
import { AdminProblem } from './shared';
import '../../styles/agent.css';
import '../../styles/routing.css';
import '../../styles/mail.css';

const isOutcome = (v: string | null): v is MailOutcome => v !== null && (OUTCOMES as readonly string[]).includes(v);

type Action = { kind: 'replay' | 'release'; mail: InboundMail };

export default function MailIntakePage() {
  const { t, number } = useI18n();
  const [params, setParams] = useSearchParams();
  const outcomeParam = params.get('outcome');
  const outcome = isOutcome(outcomeParam) ? outcomeParam : null;
  const [action, setAction] = useState<Action | null>(null);
  const [loadedAt, setLoadedAt] = useState(() => Date.now());
  const filterId = useId();
  usePageTitle(t('intake.title'));

  const list = usePagedList<InboundMail>(outcome ?? 'all', async (cursor, signal) => {
    const page = await listInboundMail({ outcome: outcome ?? undefined, limit: 25, cursor }, signal);
    setLoadedAt(Date.now());
    return page;
  });
  // the first page again (the newest mail is what changes)
  usePolling(list.reload, REFRESH_MS);
  const closeAction = useCallback(() => setAction(null), []);

  const setOutcome = (v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set('outcome', v);
    else next.delete('outcome');
    setParams(next);
  };

  return (
    <div className="page page--wide">
      <div className="page__head">
        <h1>{t('intake.title')}</h1>
        <RefreshToolbar loadedAt={loadedAt} refreshing={list.loading} onRefresh={list.reload} testId="intake-updated" />
      </div>
      <p className="muted">{t('intake.intro')}</p>

      <form className="filter-bar" aria-label={t('filters.label')} onSubmit={(e) => e.preventDefault()}>
        <SelectField
          inline
          id={filterId}
          label={t('intake.outcome')}
          value={outcome ?? ''}
          onChange={setOutcome}
          placeholder={t('filters.all')}
          options={optionsOf(OUTCOMES, (o) => t(`outcome.${o}`))}
        />
      </form>

      <PagedTable
        list={list}
        count={list.items.length}
        empty={t('intake.none')}
        showing={(count) => t('intake.showing', { count })}
        variant="table--intake"
        caption={t('intake.caption', { outcome: outcome ? t(`outcome.${outcome}`) : t('filters.all') })}
        columns={[
          t('intake.received'),
          t('intake.from'),
          t('intake.subject'),
          t('intake.outcome'),
          t('intake.reason'),
          t('intake.case'),
          t('intake.flags'),
          t('intake.duplicates'),
        ]}
        actionsLabel={t('agent.actions')}
      >
        {list.items.map((m) => (
          <tr key={m.id} data-testid="intake-row" data-intake-id={m.id} data-outcome={m.outcome}>
            <td>
              <RelativeTime iso={m.receivedAt} now={loadedAt} />
            </td>
            <td>
              <bdi dir="ltr">{m.from ?? t('intake.unknownSender')}</bdi>
            </td>
            <td dir="auto">{m.subject || t('intake.noSubject')}</td>
            <td>
              <OutcomeBadge outcome={m.outcome} />
            </td>
            <td className="intake-reason" dir="auto">
              {m.reason}
            </td>
            <td>
              {m.caseId ? (
                <Link to={`/agent/cases/${m.caseId}`}>
                  <TicketNumber value={m.ticketNumber ?? m.caseId.slice(0, 8)} />
                </Link>
              ) : (
                t('change.none')
              )}
            </td>
            <td>
              {m.flags.length ? (
                <ul className="intake-flags">
                  {m.flags.map((f) => (
                    <li key={f} dir="auto">
                      {f}
                    </li>
                  ))}
                </ul>
              ) : (
                t('change.none')
              )}
            </td>
            <td className="count">{number(m.duplicates)}</td>
            <td>
              {m.outcome === 'failed' && <MailButton label={t('intake.replay')} mail={m} onClick={() => setAction({ kind: 'replay', mail: m })} />}
              {m.outcome === 'quarantined' && <MailButton label={t('intake.release')} mail={m} onClick={() => setAction({ kind: 'release', mail: m })} />}
            </td>
          </tr>
        ))}
      </PagedTable>

      <Modal
        open={action !== null}
        title={action?.kind === 'replay' ? t('intake.replayTitle') : t('intake.releaseTitle')}
        onClose={closeAction}
        testId="intake-dialog"
      >
        {action && <ConfirmAction key={action.mail.id} action={action} onClose={closeAction} onDone={list.reload} />}
      </Modal>
    </div>
  );
}

export function OutcomeBadge({ outcome }: { outcome: InboundMail['outcome'] }) {
  const { t } = useI18n();
  return (
    <span className={`badge badge--outcome-${outcome}`} data-testid="intake-outcome">
      {t(`outcome.${outcome}`)}
    </span>
  );
}

function useMailName() {
  const { t } = useI18n();
  return (m: InboundMail) => t('intake.mailOf', { subject: m.subject || t('intake.noSubject'), from: m.from ?? t('intake.unknownSender') });
}

/** A row button; screen readers hear which mail it acts on. */
function MailButton({ label, mail, onClick }: { label: string; mail: InboundMail; onClick: () => void }) {
  const name = useMailName();
  return (
    <button type="button" className="button button--small" onClick={onClick}>
      {label}
      <span className="visually-hidden"> {name(mail)}</span>
    </button>
  );
}

/** Asks first; then runs the action and shows the mail's new outcome (or why it did not work). */
function ConfirmAction({ action, onClose, onDone }: { action: Action; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const name = useMailName();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<InboundMail | null>(null);
  const replay = action.kind === 'replay';

  const run = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      setResult(await (replay ? replayInboundMail(action.mail.id) : releaseInboundMail(action.mail.id)));
      onDone();
    } catch (err) {
      setError(err);
      onDone(); // the list shows the mail as it is now
    } finally {
      setBusy(false);
    }
  };

  if (result)
    return (
      <div className="form" data-testid="intake-result">
        <Alert tone={result.outcome === 'failed' ? 'warning' : 'success'}>
          <p className="alert__title">{t('intake.result', { outcome: t(`outcome.${result.outcome}`) })}</p>
          {result.reason && <p className="alert__detail">{result.reason}</p>}
          {result.caseId && (
            <p className="alert__detail">
              {t('intake.case')}:{' '}
              <Link to={`/agent/cases/${result.caseId}`}>
                <TicketNumber value={result.ticketNumber ?? result.caseId.slice(0, 8)} />
              </Link>
            </p>
          )}
        </Alert>
        <FormActions busy={false} onClose={onClose} />
      </div>
    );

  return (
    <form className="form" onSubmit={run}>
      {error !== null && <AdminProblem error={error} />}
      <p>{t(replay ? 'intake.replayText' : 'intake.releaseText', { mail: name(action.mail) })}</p>
      <FormActions submit={replay ? t('intake.confirmReplay') : t('intake.confirmRelease')} busy={busy} onClose={onClose} />
    </form>
  );
}
