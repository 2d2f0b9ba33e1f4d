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
import { useFieldMessages } from '../../components/FieldMessages';
import { Field, FormActions, SelectField } from '../../components/Form';
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

  return (
    <form className="form" onSubmit={submit} noValidate>
      {problem}
      {unchanged && <Alert tone="info">{t('reassign.unchanged')}</Alert>}
      <SelectField
        id={ids.agent}
        label={t('reassign.agent')}
        value={ownerId}
        onChange={setOwnerId}
        placeholder={t('owner.unassigned')}
        options={agents.map((a) => ({
          value: a.id,
          label: t('reassign.agentOption', { name: a.name, presence: t(`presence.${a.presence}`), open: a.openCases, capacity: a.capacity }),
        }))}
        hint={
          chosen ? (
            <>
              <PresenceBadge presence={chosen.presence} /> {t('reassign.load', { open: chosen.openCases, capacity: chosen.capacity })}
            </>
          ) : (
            t('reassign.unassignedHint')
          )
        }
        hintAfter
        hintTestId="reassign-agent-load"
        errors={fieldMessages('ownerId')}
      />
      <SelectField
        id={ids.queue}
        label={t('field.queueId')}
        value={queueId}
        onChange={setQueueId}
        placeholder={t('reassign.noQueue')}
        options={queues.map((q) => ({ value: q.id, label: q.name }))}
        errors={fieldMessages('queueId')}
      />
      <Field id={ids.reason} label={t('reassign.reason')} hint={t('reassign.reasonHint')} errors={fieldMessages('reason')}>
        {(control) => (
          <textarea
            {...control}
            dir="auto"
            className="input textarea"
            rows={3}
            maxLength={2000}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        )}
      </Field>
      <FormActions submit={t('reassign.submit')} busy={busy} onClose={onClose} />
    </form>
  );
}
