import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { useParams } from 'react-router';
import { ACTIVE_STATUSES, PRIORITIES, RESOLVED_STATUSES } from '../../../../shared/domain/case';
import { cachedProducts, cachedSubjects, subjectPathName } from '../../api/cache';
import { addMessage, addNote, assignCase, cancelCase, patchCase, reactivateCase, rerouteCase, resolveCase } from '../../api/endpoints';
import { isApiError } from '../../api/errors';
import type { ActiveStatus, AssignInput, Case, Priority, Product, ResolutionType, Subject, Versioned } from '../../api/types';
import { useSession } from '../../auth/session';
import { Alert, ConflictBanner, ErrorAlert, useFieldError } from '../../components/Alert';
import { PriorityBadge, StatusBadge } from '../../components/Badges';
import { Composer } from '../../components/Composer';
import { FormActions, SelectField, optionsOf } from '../../components/Form';
import { DateTime } from '../../components/DateTime';
import { Loading } from '../../components/Loading';
import { Modal } from '../../components/Modal';
import { NotFound } from '../../components/NotFound';
import { TicketNumber } from '../../components/TicketNumber';
import { Timeline, useOwnerLabel, useQueueLabel } from '../../components/Timeline';
import { type MutationResult, useCase } from '../../components/useCase';
import { usePageTitle } from '../../components/usePageTitle';
import { type MessageKey, useI18n } from '../../i18n';
import { CustomerPanel } from './CustomerPanel';
import { ReassignForm } from './ReassignDialog';
import { SlaCard } from './SlaCard';
import '../../styles/agent.css';

export default function AgentCasePage() {
  const { id = '' } = useParams();
  return <AgentCase key={id} id={id} />;
}

type DialogName = 'resolve' | 'cancel' | 'reactivate' | 'reassign';

interface Op {
  busy: boolean;
  error: unknown;
}
const idle: Op = { busy: false, error: null };

function AgentCase({ id }: { id: string }) {
  const { t } = useI18n();
  const session = useSession();
  const me = session!.me;
  const res = useCase(id);
  const owner = useOwnerLabel(me.sub);
  const queue = useQueueLabel();
  const ids = { status: useId(), priority: useId(), resType: useId(), resText: useId(), resMinutes: useId(), cancelReason: useId(), reactReason: useId() };

  // everything typed lives here, so a 412 and the reload after it never clear it
  const [reply, setReply] = useState('');
  const [note, setNote] = useState('');
  const [statusDraft, setStatusDraft] = useState<ActiveStatus | null>(null);
  const [priorityDraft, setPriorityDraft] = useState<Priority | null>(null);
  const [resolution, setResolution] = useState<{ type: ResolutionType; text: string; minutes: string }>({ type: 'problem_solved', text: '', minutes: '' });
  const [cancelReason, setCancelReason] = useState('');
  const [reactivateReason, setReactivateReason] = useState('');
  const [dialog, setDialog] = useState<DialogName | null>(null);
  const [ops, setOps] = useState<Record<string, Op>>({});
  const [notice, setNotice] = useState<MessageKey | null>(null);
  const [subjects, setSubjects] = useState<Subject[]>([]);
  const [products, setProducts] = useState<Product[]>([]);
  const closeDialog = useCallback(() => setDialog(null), []);

  useEffect(() => {
    cachedSubjects().then(setSubjects, () => {});
    cachedProducts().then(setProducts, () => {});
  }, []);

  usePageTitle(res.data ? `${res.data.value.ticketNumber} · ${res.data.value.title}` : t('agent.case'));
  const op = (name: string) => ops[name] ?? idle;
  const dialogFieldError = useFieldError(op('dialog').error);

  if (res.loading) return <Loading />;
  if (!res.data) {
    if (isApiError(res.loadError) && res.loadError.status === 404) return <NotFound what="case" backTo="/agent" backLabel={t('notFound.backToCases')} />;
    return <ErrorAlert error={res.loadError} />;
  }
  const c = res.data.value;
  const active = c.state === 'active';

  /** run a change; returns true on success. On 412 the page shows the banner and reloads. */
  const run = async (name: string, change: (version: number) => Promise<Versioned<Case>>, success?: MessageKey): Promise<boolean> => {
    setOps((o) => ({ ...o, [name]: { busy: true, error: null } }));
    setNotice(null);
    const r: MutationResult = await res.mutate(change);
    setOps((o) => ({ ...o, [name]: { busy: false, error: r.ok ? null : r.error } }));
    if (r.ok && success) setNotice(success);
    return r.ok;
  };

  const settingsChanged = (statusDraft !== null && statusDraft !== c.status) || (priorityDraft !== null && priorityDraft !== c.priority);
  const saveSettings = async (e: FormEvent) => {
    e.preventDefault();
    if (!settingsChanged) return;
    const patch = {
      ...(statusDraft !== null && statusDraft !== c.status ? { status: statusDraft } : {}),
      ...(priorityDraft !== null && priorityDraft !== c.priority ? { priority: priorityDraft } : {}),
    };
    if (await run('settings', (v) => patchCase(c.id, patch, v), 'agent.saved')) {
      setStatusDraft(null);
      setPriorityDraft(null);
    }
  };

  const submitDialog = async (e: FormEvent) => {
    e.preventDefault();
    let ok = false;
    if (dialog === 'resolve') {
      const minutes = Number.parseInt(resolution.minutes, 10);
      ok = await run(
        'dialog',
        (v) => resolveCase(c.id, { resolutionType: resolution.type, text: resolution.text.trim(), minutesSpent: Number.isFinite(minutes) ? minutes : 0 }, v),
        'agent.resolvedNotice',
      );
      if (ok) setResolution({ type: 'problem_solved', text: '', minutes: '' });
    } else if (dialog === 'cancel') {
      ok = await run('dialog', (v) => cancelCase(c.id, cancelReason.trim() || undefined, v), 'agent.cancelledNotice');
      if (ok) setCancelReason('');
    } else if (dialog === 'reactivate') {
      ok = await run('dialog', (v) => reactivateCase(c.id, reactivateReason.trim() || undefined, v), 'agent.reactivatedNotice');
      if (ok) setReactivateReason('');
    }
    if (ok) setDialog(null);
  };

  const openDialog = (name: DialogName) => {
    setOps((o) => ({ ...o, dialog: idle }));
    setDialog(name);
  };

  const dialogError = op('dialog').error;
  const dialogProblem =
    dialogError === null ? null : isApiError(dialogError) && (dialogError.status === 412 || dialogError.status === 428) ? <ConflictBanner testId="dialog-conflict" /> : <ErrorAlert error={dialogError} />;
  const settingsError = op('settings').error;
  const names = {
    subject: (sid: string) => subjectPathName(subjects, sid),
    product: (pid: string) => products.find((p) => p.id === pid)?.name ?? null,
  };
  const isConflictError = (e: unknown) => isApiError(e) && (e.status === 412 || e.status === 428);

  return (
    <div className="page page--wide">
      <div className="case-layout">
        <div className="case-layout__main">
          <header className="case-header">
            <p className="case-header__ticket">
              <TicketNumber value={c.ticketNumber} testId="ticket-number" />
            </p>
            <h1 dir="auto">{c.title}</h1>
            <dl className="case-header__meta">
              <div>
                <dt>{t('field.status')}</dt>
                <dd data-testid="case-status">
                  <StatusBadge state={c.state} status={c.status} />
                </dd>
              </div>
              <div>
                <dt>{t('field.priority')}</dt>
                <dd>
                  <PriorityBadge priority={c.priority} />
                </dd>
              </div>
              <div>
                <dt>{t('field.ownerId')}</dt>
                <dd data-testid="case-owner">{owner(c.ownerId)}</dd>
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

          {res.conflict && <ConflictBanner onDismiss={res.dismissConflict} />}
          {notice && (
            <Alert tone="success" onDismiss={() => setNotice(null)}>
              {t(notice)}
            </Alert>
          )}

          <section className="card actions" aria-labelledby="actions-heading">
            <h2 id="actions-heading">{t('agent.actions')}</h2>
            {active && (
              <form className="settings-form" onSubmit={saveSettings}>
                <SelectField
                  inline
                  id={ids.status}
                  label={t('field.status')}
                  value={statusDraft ?? c.status}
                  onChange={(v) => setStatusDraft(v as ActiveStatus)}
                  options={optionsOf(ACTIVE_STATUSES, (s) => t(`status.${s}`))}
                />
                <SelectField
                  inline
                  id={ids.priority}
                  label={t('field.priority')}
                  value={priorityDraft ?? c.priority}
                  onChange={(v) => setPriorityDraft(v as Priority)}
                  options={optionsOf(PRIORITIES, (p) => t(`priority.${p}`))}
                />
                <button type="submit" className="button button--primary" disabled={!settingsChanged || op('settings').busy}>
                  {t('agent.saveChanges')}
                </button>
              </form>
            )}
            {settingsError !== null && !isConflictError(settingsError) && <ErrorAlert error={settingsError} />}
            {op('assign').error !== null && !isConflictError(op('assign').error) && <ErrorAlert error={op('assign').error} />}
            {op('route').error !== null && !isConflictError(op('route').error) && <ErrorAlert error={op('route').error} />}
            <div className="actions__buttons">
              {active && c.ownerId !== me.sub && (
                <button
                  type="button"
                  className="button"
                  disabled={op('assign').busy}
                  onClick={() => run('assign', (v) => patchCase(c.id, { ownerId: me.sub }, v), 'agent.assignedNotice')}
                >
                  {t('agent.assignToMe')}
                </button>
              )}
              {active && (
                <button type="button" className="button" onClick={() => openDialog('reassign')}>
                  {t('agent.reassign')}
                </button>
              )}
              {active && (
                <button
                  type="button"
                  className="button"
                  disabled={op('route').busy}
                  onClick={() => run('route', (v) => rerouteCase(c.id, v), 'agent.reroutedNotice')}
                >
                  {op('route').busy ? t('common.sending') : t('agent.reroute')}
                </button>
              )}
              {active && (
                <button type="button" className="button" onClick={() => openDialog('resolve')}>
                  {t('agent.resolve')}
                </button>
              )}
              {active && (
                <button type="button" className="button button--danger" onClick={() => openDialog('cancel')}>
                  {t('agent.cancelCase')}
                </button>
              )}
              {!active && c.status !== 'merged' && (
                <button type="button" className="button" onClick={() => openDialog('reactivate')}>
                  {t('agent.reactivate')}
                </button>
              )}
            </div>
          </section>

          {c.state === 'resolved' && c.resolution && (
            <section className="card resolution" aria-labelledby="resolution-heading">
              <h2 id="resolution-heading">{t('case.resolution')}</h2>
              <p className="resolution__type">
                {t(`status.${c.resolution.type}`)} · <DateTime iso={c.resolution.resolvedAt} /> · {owner(c.resolution.resolvedBy)} ·{' '}
                {t('agent.minutesSpent', { minutes: c.resolution.minutesSpent })}
              </p>
              <p className="resolution__text" dir="auto">
                {c.resolution.text}
              </p>
            </section>
          )}

          <section aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">{t('agent.timeline')}</h2>
            <Timeline entries={res.timeline} audience="staff" meSub={me.sub} names={names} />
          </section>

          <section aria-labelledby="respond-heading" className="respond">
            <h2 id="respond-heading">{t('agent.respond')}</h2>
            <Composer
              label={t('agent.replyLabel')}
              hint={active ? t('agent.replyHint') : t('agent.replyClosed')}
              submitLabel={t('case.sendReply')}
              value={reply}
              onChange={setReply}
              onSubmit={async () => {
                if (await run('reply', () => addMessage(c.id, reply.trim()), 'agent.replySent')) setReply('');
              }}
              busy={op('reply').busy}
              error={op('reply').error}
              disabled={!active}
            />
            <Composer
              variant="internal"
              label={t('agent.noteLabel')}
              hint={t('agent.noteHint')}
              submitLabel={t('agent.addNote')}
              value={note}
              onChange={setNote}
              onSubmit={async () => {
                if (await run('note', () => addNote(c.id, note.trim()), 'agent.noteAdded')) setNote('');
              }}
              busy={op('note').busy}
              error={op('note').error}
            />
          </section>
        </div>

        <aside className="case-layout__aside" aria-label={t('agent.sidePanel')}>
          <section className="card" aria-labelledby="details-heading">
            <h2 id="details-heading">{t('agent.details')}</h2>
            <dl className="details">
              <div>
                <dt>{t('field.origin')}</dt>
                <dd>{t(`origin.${c.origin}`)}</dd>
              </div>
              <div>
                <dt>{t('field.caseType')}</dt>
                <dd>{t(`caseType.${c.caseType}`)}</dd>
              </div>
              <div>
                <dt>{t('field.subjectId')}</dt>
                <dd>{subjectPathName(subjects, c.subjectId) ?? t('change.none')}</dd>
              </div>
              <div>
                <dt>{t('field.productId')}</dt>
                <dd>{names.product(c.productId ?? '') ?? t('change.none')}</dd>
              </div>
              <div>
                <dt>{t('field.queueId')}</dt>
                <dd>{c.queueId ? queue(c.queueId) : t('change.none')}</dd>
              </div>
              <div>
                <dt>{t('field.firstResponseAt')}</dt>
                <dd>{c.firstResponseAt ? <DateTime iso={c.firstResponseAt} /> : t('change.none')}</dd>
              </div>
            </dl>
          </section>
          <SlaCard caseId={c.id} version={res.data.version} />
          <CustomerPanel customerId={c.customerId} currentCaseId={c.id} />
        </aside>
      </div>

      <Modal open={dialog === 'resolve'} title={t('agent.resolveTitle')} onClose={closeDialog} testId="resolve-dialog">
        <form className="form" onSubmit={submitDialog}>
          {dialogProblem}
          <SelectField
            id={ids.resType}
            label={t('agent.resolutionType')}
            value={resolution.type}
            onChange={(v) => setResolution((r) => ({ ...r, type: v as ResolutionType }))}
            options={optionsOf(RESOLVED_STATUSES, (s) => t(`status.${s}`))}
          />
          <div className="field">
            <label htmlFor={ids.resText} className="field__label">
              {t('agent.resolutionText')}
            </label>
            <textarea
              id={ids.resText}
              dir="auto" className="input textarea"
              rows={4}
              required
              maxLength={4000}
              value={resolution.text}
              onChange={(e) => setResolution((r) => ({ ...r, text: e.target.value }))}
            />
            {dialogFieldError('text') && <p className="field__error">{dialogFieldError('text')}</p>}
          </div>
          <div className="field">
            <label htmlFor={ids.resMinutes} className="field__label">
              {t('agent.minutes')}
            </label>
            <input
              id={ids.resMinutes}
              className="input input--short"
              type="number"
              inputMode="numeric"
              min={0}
              max={525600}
              step={1}
              required
              value={resolution.minutes}
              onChange={(e) => setResolution((r) => ({ ...r, minutes: e.target.value }))}
            />
            {dialogFieldError('minutesSpent') && <p className="field__error">{dialogFieldError('minutesSpent')}</p>}
          </div>
          <FormActions submit={t('agent.saveResolution')} busy={op('dialog').busy} onClose={closeDialog} />
        </form>
      </Modal>

      <Modal open={dialog === 'reassign'} title={t('reassign.title')} onClose={closeDialog} testId="reassign-dialog">
        <ReassignForm
          value={c}
          busy={op('dialog').busy}
          problem={dialogProblem}
          error={dialogError}
          onClose={closeDialog}
          onSubmit={async (input: AssignInput) => {
            if (await run('dialog', (v) => assignCase(c.id, input, v), 'agent.reassignedNotice')) setDialog(null);
          }}
        />
      </Modal>

      <Modal open={dialog === 'cancel'} title={t('agent.cancelTitle')} onClose={closeDialog} testId="cancel-dialog">
        <form className="form" onSubmit={submitDialog}>
          {dialogProblem}
          <p className="muted">{t('agent.cancelText')}</p>
          <div className="field">
            <label htmlFor={ids.cancelReason} className="field__label">
              {t('agent.reasonOptional')}
            </label>
            <textarea
              id={ids.cancelReason}
              dir="auto" className="input textarea"
              rows={3}
              maxLength={2000}
              value={cancelReason}
              onChange={(e) => setCancelReason(e.target.value)}
            />
          </div>
          <FormActions submit={t('agent.confirmCancel')} busy={op('dialog').busy} onClose={closeDialog} danger />
        </form>
      </Modal>

      <Modal open={dialog === 'reactivate'} title={t('agent.reactivateTitle')} onClose={closeDialog} testId="reactivate-dialog">
        <form className="form" onSubmit={submitDialog}>
          {dialogProblem}
          <div className="field">
            <label htmlFor={ids.reactReason} className="field__label">
              {t('agent.reasonOptional')}
            </label>
            <textarea
              id={ids.reactReason}
              dir="auto" className="input textarea"
              rows={3}
              maxLength={2000}
              value={reactivateReason}
              onChange={(e) => setReactivateReason(e.target.value)}
            />
          </div>
          <FormActions submit={t('agent.confirmReactivate')} busy={op('dialog').busy} onClose={closeDialog} />
        </form>
      </Modal>
    </div>
  );
}
