/**
 * The reassign form (inside the case page's Modal): hand the case to another agent and/or queue
 * with a reason. Agents are listed fresh each time, with their presence and load, so the choice
 * is made on what is true now. What is typed lives here and survives a 412 reload of the case.
 */
import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import { listAgents, listQueues } from '../../api/endpoints';
import type { Agent, AssignInput, Case, QueueWithCounts } from '../../api/types';
import { Alert, ErrorAlert } from '../../components/Alert';
import { PresenceBadge } from '../../components/Badges';
import { FieldMessages, useFieldMessages } from '../../components/FieldMessages';
import { Loading } from '../../components/Loading';
import { useI18n } from '../../i18n';
import '../../styles/routing.css';

export function ReassignForm({
  value,
  busy,
  problem,
  error,
  onSubmit,
  onClose,
}: {
  value: Case;
  busy: boolean;
  /** the conflict banner or error alert of the last attempt */
  problem: ReactNode;
  error: unknown;
  onSubmit: (input: AssignInput) => void;
  onClose: () => void;
}) {
  const { t, collator } = useI18n();
  const ids = { agent: useId(), queue: useId(), reason: useId() };
  const [agents, setAgents] = useState<Agent[] | null>(null);
  const [queues, setQueues] = useState<QueueWithCounts[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [ownerId, setOwnerId] = useState(value.ownerId ?? '');
  const [queueId, setQueueId] = useState(value.queueId ?? '');
  const [reason, setReason] = useState('');
  const [unchanged, setUnchanged] = useState(false);
  const fieldMessages = useFieldMessages(error);

  useEffect(() => {
    const ac = new AbortController();
    Promise.all([listAgents(ac.signal), listQueues(ac.signal)])
      .then(([a, q]) => {
        setAgents([...a].sort((x, y) => collator.compare(x.name, y.name)));
        setQueues([...q].sort((x, y) => collator.compare(x.name, y.name)));
      })
      .catch((e) => !ac.signal.aborted && setLoadError(e));
    return () => ac.abort();
  }, [collator]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const input: AssignInput = {};
    if (ownerId !== (value.ownerId ?? '')) input.ownerId = ownerId || null;
    if (queueId !== (value.queueId ?? '')) input.queueId = queueId || null;
    if (input.ownerId === undefined && input.queueId === undefined) {
      setUnchanged(true);
      return;
    }
    setUnchanged(false);
    if (reason.trim()) input.reason = reason.trim();
    onSubmit(input);
  };

  if (loadError !== null) return <ErrorAlert error={loadError} />;
  if (!agents || !queues) return <Loading />;
  const chosen = agents.find((a) => a.id === ownerId);
  const ownerErrors = fieldMessages('ownerId');
  const queueErrors = fieldMessages('queueId');
  const reasonErrors = fieldMessages('reason');

  return (
    <form className="form" onSubmit={submit} noValidate>
      {problem}
      {unchanged && <Alert tone="info">{t('reassign.unchanged')}</Alert>}
      <div className="field">
        <label htmlFor={ids.agent} className="field__label">
          {t('reassign.agent')}
        </label>
        <select
          id={ids.agent}
          className="input select"
          value={ownerId}
          aria-describedby={`${ids.agent}-load${ownerErrors.length ? ` ${ids.agent}-errors` : ''}`}
          aria-invalid={ownerErrors.length > 0 || undefined}
          onChange={(e) => setOwnerId(e.target.value)}
        >
          <option value="">{t('owner.unassigned')}</option>
          {agents.map((a) => (
            <option key={a.id} value={a.id}>
              {t('reassign.agentOption', {
                name: a.name,
                presence: t(`presence.${a.presence}`),
                open: a.openCases,
                capacity: a.capacity,
              })}
            </option>
          ))}
        </select>
        <p className="field__hint" id={`${ids.agent}-load`} data-testid="reassign-agent-load">
          {chosen ? (
            <>
              <PresenceBadge presence={chosen.presence} /> {t('reassign.load', { open: chosen.openCases, capacity: chosen.capacity })}
            </>
          ) : (
            t('reassign.unassignedHint')
          )}
        </p>
        <FieldMessages id={`${ids.agent}-errors`} messages={ownerErrors} />
      </div>
      <div className="field">
        <label htmlFor={ids.queue} className="field__label">
          {t('field.queueId')}
        </label>
        <select
          id={ids.queue}
          className="input select"
          value={queueId}
          aria-invalid={queueErrors.length > 0 || undefined}
          aria-describedby={queueErrors.length ? `${ids.queue}-errors` : undefined}
          onChange={(e) => setQueueId(e.target.value)}
        >
          <option value="">{t('reassign.noQueue')}</option>
          {queues.map((q) => (
            <option key={q.id} value={q.id}>
              {q.name}
            </option>
          ))}
        </select>
        <FieldMessages id={`${ids.queue}-errors`} messages={queueErrors} />
      </div>
      <div className="field">
        <label htmlFor={ids.reason} className="field__label">
          {t('reassign.reason')}
        </label>
        <p className="field__hint" id={`${ids.reason}-hint`}>
          {t('reassign.reasonHint')}
        </p>
        <textarea
          id={ids.reason}
          dir="auto"
          className="input textarea"
          rows={3}
          maxLength={2000}
          value={reason}
          aria-invalid={reasonErrors.length > 0 || undefined}
          aria-describedby={`${ids.reason}-hint${reasonErrors.length ? ` ${ids.reason}-errors` : ''}`}
          onChange={(e) => setReason(e.target.value)}
        />
        <FieldMessages id={`${ids.reason}-errors`} messages={reasonErrors} />
      </div>
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('common.sending') : t('reassign.submit')}
        </button>
        <button type="button" className="button button--ghost" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </form>
  );
}
