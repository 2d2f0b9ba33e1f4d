/**
 * Queue setup (admins): every queue with its strategy, members, role and required skills; create,
 * edit and delete. Validation errors from the API appear next to the field they name (`path`).
 */
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { STRATEGIES } from '../../../../shared/domain/routing/assignment';
import { invalidateDirectory } from '../../api/cache';
import { createQueue, deleteQueue, getQueue, listAgents, listQueuesWithCounts, patchQueue } from '../../api/endpoints';
import { isApiError } from '../../api/errors';
import type { Agent, AssignmentStrategy, QueuePatch, QueueRole, QueueWithCounts } from '../../api/types';
import { Alert, ErrorAlert } from '../../components/Alert';
import { PresenceBadge } from '../../components/Badges';
import { FieldMessages, useFieldMessages } from '../../components/FieldMessages';
import { Loading } from '../../components/Loading';
import { Modal } from '../../components/Modal';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n';
import { AdminProblem, OtherErrors, SkillsEditor, skillRows, skillsOf } from './shared';
import '../../styles/agent.css';
import '../../styles/routing.css';

type Editing = { mode: 'create' } | { mode: 'edit'; queue: QueueWithCounts };

export default function QueuesAdminPage() {
  const { t, number, collator } = useI18n();
  const [queues, setQueues] = useState<QueueWithCounts[] | null>(null);
  const [agents, setAgents] = useState<Agent[]>([]);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [deleting, setDeleting] = useState<QueueWithCounts | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  usePageTitle(t('adminQueues.title'));

  const load = useCallback(async () => {
    try {
      const [q, a] = await Promise.all([listQueuesWithCounts(), listAgents()]);
      setQueues(q);
      setAgents([...a].sort((x, y) => collator.compare(x.name, y.name)));
      setLoadError(null);
    } catch (e) {
      setLoadError(e);
    }
  }, [collator]);
  useEffect(() => {
    void load();
  }, [load]);

  const closeEditor = useCallback(() => setEditing(null), []);
  const closeDelete = useCallback(() => setDeleting(null), []);
  const agentName = (id: string) => agents.find((a) => a.id === id)?.name ?? id.slice(0, 8);
  const changed = (text: string) => {
    invalidateDirectory();
    setNotice(text);
    void load();
  };

  return (
    <div className="page page--wide">
      <div className="page__head">
        <h1>{t('adminQueues.title')}</h1>
        <button type="button" className="button button--primary" onClick={() => setEditing({ mode: 'create' })}>
          {t('adminQueues.new')}
        </button>
      </div>
      <p className="muted">{t('adminQueues.intro')}</p>
      {notice && (
        <Alert tone="success" onDismiss={() => setNotice(null)}>
          {notice}
        </Alert>
      )}
      {loadError !== null && <ErrorAlert error={loadError} />}
      {queues === null && loadError === null && <Loading />}
      {queues && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('adminQueues.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('adminQueues.name')}</th>
                <th scope="col">{t('queues.strategy')}</th>
                <th scope="col">{t('adminQueues.members')}</th>
                <th scope="col">{t('adminQueues.role')}</th>
                <th scope="col">{t('adminQueues.requiredSkills')}</th>
                <th scope="col">{t('adminQueues.activeCases')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('queues.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {queues.map((q) => (
                <tr key={q.id} data-testid="admin-queue-row" data-queue-id={q.id}>
                  <th scope="row" dir="auto">
                    {q.name}
                    {q.description && (
                      <span className="queue-description" dir="auto">
                        {q.description}
                      </span>
                    )}
                  </th>
                  <td>{t(`strategy.${q.strategy}`)}</td>
                  <td>{q.members.length ? q.members.map(agentName).join(t('common.listSeparator')) : t('change.none')}</td>
                  <td>{q.role ? t(`queueRole.${q.role}`) : t('change.none')}</td>
                  <td>
                    {Object.keys(q.requiredSkills).length
                      ? Object.entries(q.requiredSkills)
                          .map(([s, l]) => t('skills.entry', { skill: s, level: l }))
                          .join(t('common.listSeparator'))
                      : t('change.none')}
                  </td>
                  <td>{q.counts ? number(q.counts.waiting + q.counts.inProgress) : '…'}</td>
                  <td>
                    <div className="row-actions">
                      <button type="button" className="button button--small" onClick={() => setEditing({ mode: 'edit', queue: q })}>
                        {t('admin.edit')}
                        <span className="visually-hidden"> {q.name}</span>
                      </button>
                      <button type="button" className="button button--small button--danger" onClick={() => setDeleting(q)}>
                        {t('admin.delete')}
                        <span className="visually-hidden"> {q.name}</span>
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <Modal
        open={editing !== null}
        title={editing?.mode === 'edit' ? t('adminQueues.editTitle', { name: editing.queue.name }) : t('adminQueues.newTitle')}
        onClose={closeEditor}
        testId="queue-dialog"
      >
        {editing && (
          <QueueForm
            key={editing.mode === 'edit' ? editing.queue.id : 'new'}
            queue={editing.mode === 'edit' ? editing.queue : null}
            agents={agents}
            onClose={closeEditor}
            onSaved={(name) => {
              setEditing(null);
              changed(t('adminQueues.saved', { name }));
            }}
          />
        )}
      </Modal>

      <Modal open={deleting !== null} title={t('adminQueues.deleteTitle')} onClose={closeDelete} testId="delete-queue-dialog">
        {deleting && (
          <DeleteQueue
            queue={deleting}
            onClose={closeDelete}
            onDeleted={() => {
              const name = deleting.name;
              setDeleting(null);
              changed(t('adminQueues.deleted', { name }));
            }}
            onStale={() => void load()}
          />
        )}
      </Modal>
    </div>
  );
}

const FIELDS = ['name', 'description', 'strategy', 'role', 'members', 'requiredSkills'];

function QueueForm({
  queue,
  agents,
  onSaved,
  onClose,
}: {
  queue: QueueWithCounts | null;
  agents: Agent[];
  onSaved: (name: string) => void;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const [name, setName] = useState(queue?.name ?? '');
  const [description, setDescription] = useState(queue?.description ?? '');
  const [strategy, setStrategy] = useState<AssignmentStrategy>(queue?.strategy ?? 'manual');
  const [role, setRole] = useState<QueueRole | ''>(queue?.role ?? '');
  const [members, setMembers] = useState<string[]>(queue?.members ?? []);
  const [skills, setSkills] = useState(() => skillRows(queue?.requiredSkills ?? {}));
  const [version, setVersion] = useState(queue?.version ?? 0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const messages = useFieldMessages(error);

  const toggle = (agentId: string, on: boolean) => setMembers((m) => (on ? [...m.filter((x) => x !== agentId), agentId] : m.filter((x) => x !== agentId)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const draft = {
      name,
      description: description.trim() ? description : null,
      strategy,
      role: role || null,
      members,
      requiredSkills: skillsOf(skills),
    };
    try {
      if (!queue) await createQueue(draft);
      else {
        // only what changed: taking a role has side effects, so an untouched role is not sent
        const patch: QueuePatch = {};
        for (const k of Object.keys(draft) as (keyof typeof draft)[]) {
          const before = k === 'description' ? (queue.description ?? null) : queue[k];
          if (JSON.stringify(draft[k]) !== JSON.stringify(before)) Object.assign(patch, { [k]: draft[k] });
        }
        if (Object.keys(patch).length) await patchQueue(queue.id, patch, version);
      }
      onSaved(name.trim() || queue?.name || '');
    } catch (err) {
      setError(err);
      // someone else saved first: take their version, keep the draft, let the admin save again
      if (queue && isApiError(err) && err.status === 412) getQueue(queue.id).then((q) => setVersion(q.version), () => undefined);
    } finally {
      setBusy(false);
    }
  };

  const field = (key: string) => {
    const list = messages(key);
    return {
      errors: list,
      props: {
        'aria-invalid': list.length > 0 || undefined,
        'aria-describedby': list.length ? `${id}-${key}-errors` : undefined,
      },
    };
  };
  const nameF = field('name');
  const descF = field('description');
  const strategyF = field('strategy');
  const roleF = field('role');

  return (
    <form className="form" onSubmit={submit} noValidate>
      {error !== null && <AdminProblem error={error} />}
      <div className="field">
        <label htmlFor={`${id}-name`} className="field__label">
          {t('adminQueues.name')}
        </label>
        <input id={`${id}-name`} className="input" dir="auto" maxLength={200} value={name} onChange={(e) => setName(e.target.value)} {...nameF.props} />
        <FieldMessages id={`${id}-name-errors`} messages={nameF.errors} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-description`} className="field__label">
          {t('field.description')}
        </label>
        <textarea
          id={`${id}-description`}
          className="input textarea textarea--short"
          dir="auto"
          rows={2}
          maxLength={2000}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          {...descF.props}
        />
        <FieldMessages id={`${id}-description-errors`} messages={descF.errors} />
      </div>
      <div className="form__row">
        <div className="field">
          <label htmlFor={`${id}-strategy`} className="field__label">
            {t('queues.strategy')}
          </label>
          <select
            id={`${id}-strategy`}
            className="input select"
            value={strategy}
            onChange={(e) => setStrategy(e.target.value as AssignmentStrategy)}
            {...strategyF.props}
            aria-describedby={[`${id}-strategy-hint`, strategyF.props['aria-describedby']].filter(Boolean).join(' ')}
          >
            {STRATEGIES.map((s) => (
              <option key={s} value={s}>
                {t(`strategy.${s}`)}
              </option>
            ))}
          </select>
          <p className="field__hint" id={`${id}-strategy-hint`}>
            {t(`strategyHint.${strategy}`)}
          </p>
          <FieldMessages id={`${id}-strategy-errors`} messages={strategyF.errors} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`} className="field__label">
            {t('adminQueues.role')}
          </label>
          <select
            id={`${id}-role`}
            className="input select"
            value={role}
            onChange={(e) => setRole(e.target.value as QueueRole | '')}
            {...roleF.props}
            aria-describedby={[`${id}-role-hint`, roleF.props['aria-describedby']].filter(Boolean).join(' ')}
          >
            <option value="">{t('queueRole.none')}</option>
            <option value="default">{t('queueRole.default')}</option>
            <option value="escalation">{t('queueRole.escalation')}</option>
          </select>
          <p className="field__hint" id={`${id}-role-hint`}>
            {t('adminQueues.roleHint')}
          </p>
          <FieldMessages id={`${id}-role-errors`} messages={roleF.errors} />
        </div>
      </div>
      <fieldset className="fieldset" data-testid="queue-members" aria-describedby={messages('members').length ? `${id}-members-errors` : undefined}>
        <legend className="field__label">{t('adminQueues.members')}</legend>
        <p className="field__hint">{t('adminQueues.membersHint')}</p>
        {agents.length === 0 && <p className="muted">{t('adminQueues.noAgents')}</p>}
        <ul className="checkbox-list">
          {agents.map((a) => (
            <li key={a.id}>
              <input
                type="checkbox"
                id={`${id}-member-${a.id}`}
                checked={members.includes(a.id)}
                onChange={(e) => toggle(a.id, e.target.checked)}
              />
              <label htmlFor={`${id}-member-${a.id}`}>
                {a.name} <PresenceBadge presence={a.presence} />
              </label>
            </li>
          ))}
        </ul>
        <FieldMessages id={`${id}-members-errors`} messages={messages('members')} />
      </fieldset>
      <SkillsEditor
        legend={t('adminQueues.requiredSkills')}
        hint={t('adminQueues.requiredSkillsHint')}
        rows={skills}
        onChange={setSkills}
        errors={messages('requiredSkills')}
        testId="queue-skills"
      />
      <OtherErrors error={error} shown={FIELDS} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('common.sending') : queue ? t('admin.save') : t('adminQueues.create')}
        </button>
        <button type="button" className="button button--ghost" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </form>
  );
}

function DeleteQueue({ queue, onDeleted, onClose, onStale }: { queue: QueueWithCounts; onDeleted: () => void; onClose: () => void; onStale: () => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(queue.version);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await deleteQueue(queue.id, version);
      onDeleted();
    } catch (err) {
      setError(err);
      if (isApiError(err) && err.status === 412) {
        onStale();
        getQueue(queue.id).then((q) => setVersion(q.version), () => undefined);
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form" onSubmit={submit}>
      {error !== null && <AdminProblem error={error} />}
      <p>{t('adminQueues.deleteText', { name: queue.name })}</p>
      <div className="form__actions">
        <button type="submit" className="button button--danger" disabled={busy}>
          {busy ? t('common.sending') : t('adminQueues.confirmDelete')}
        </button>
        <button type="button" className="button button--ghost" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </form>
  );
}
