/**
 * Queue setup (admins): every queue with its strategy, members, role and required skills; create,
 * edit and delete. Validation errors from the API appear next to the field they name (`path`).
 */
import { useCallback, useId, useState } from 'react';
import { STRATEGIES } from '../../../../shared/domain/routing/assignment';
import { createQueue, deleteQueue, getQueue, listAgents, listQueuesWithCounts, patchQueue } from '../../api/endpoints';
import type { Agent, AssignmentStrategy, QueuePatch, QueueRole, QueueWithCounts } from '../../api/types';
import { PresenceBadge } from '../../components/Badges';
import { FieldMessages, useFieldMessages } from '../../components/FieldMessages';
import { Field, FormActions, SelectField, optionsOf } from '../../components/Form';
import { Modal } from '../../components/Modal';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n';
import {
  AdminListPage,
  AdminProblem,
  DeleteForm,
  EditDialog,
  type Editing,
  OtherErrors,
  RowButton,
  SkillsEditor,
  changedFields,
  skillRows,
  skillsOf,
  useAdminList,
  useVersionedSave,
} from './shared';
import '../../styles/agent.css';
import '../../styles/routing.css';

export default function QueuesAdminPage() {
  const { t, number, collator } = useI18n();
  const [editing, setEditing] = useState<Editing<QueueWithCounts> | null>(null);
  const [deleting, setDeleting] = useState<QueueWithCounts | null>(null);
  usePageTitle(t('adminQueues.title'));
  const list = useAdminList(
    useCallback(async () => {
      const [queues, agents] = await Promise.all([listQueuesWithCounts(), listAgents()]);
      return { queues, agents: [...agents].sort((x, y) => collator.compare(x.name, y.name)) };
    }, [collator]),
  );
  const queues = list.data?.queues ?? null;
  const agents = list.data?.agents ?? NO_AGENTS;

  const closeEditor = useCallback(() => setEditing(null), []);
  const closeDelete = useCallback(() => setDeleting(null), []);
  const agentName = (id: string) => agents.find((a) => a.id === id)?.name ?? id.slice(0, 8);

  return (
    <AdminListPage
      title={t('adminQueues.title')}
      intro={t('adminQueues.intro')}
      addLabel={t('adminQueues.new')}
      onAdd={() => setEditing({ mode: 'create' })}
      list={list}
      caption={t('adminQueues.caption')}
      columns={[
        t('adminQueues.name'),
        t('queues.strategy'),
        t('adminQueues.members'),
        t('adminQueues.role'),
        t('adminQueues.requiredSkills'),
        t('adminQueues.activeCases'),
      ]}
      rows={queues?.map((q) => (
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
              <RowButton label={t('admin.edit')} name={q.name} onClick={() => setEditing({ mode: 'edit', item: q })} />
              <RowButton label={t('admin.delete')} name={q.name} danger onClick={() => setDeleting(q)} />
            </div>
          </td>
        </tr>
      ))}
    >
      <EditDialog
        editing={editing}
        newTitle={t('adminQueues.newTitle')}
        editTitle={(name) => t('adminQueues.editTitle', { name })}
        onClose={closeEditor}
        saved={(name) => list.changed(t('adminQueues.saved', { name }))}
        testId="queue-dialog"
      >
        {(queue, onSaved) => <QueueForm queue={queue} agents={agents} onClose={closeEditor} onSaved={onSaved} />}
      </EditDialog>

      <Modal open={deleting !== null} title={t('adminQueues.deleteTitle')} onClose={closeDelete} testId="delete-queue-dialog">
        {deleting && (
          <DeleteQueue
            queue={deleting}
            onClose={closeDelete}
            onDeleted={() => {
              const name = deleting.name;
              setDeleting(null);
              list.changed(t('adminQueues.deleted', { name }));
            }}
            onStale={() => void list.reload()}
          />
        )}
      </Modal>
    </AdminListPage>
  );
}

const NO_AGENTS: Agent[] = [];
const QUEUE_ROLES: readonly QueueRole[] = ['default', 'escalation'];
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
  // someone else saved first: take their version, keep the draft, let the admin save again
  const { busy, error, submit } = useVersionedSave(queue?.version ?? 0, queue && (() => getQueue(queue.id)));
  const messages = useFieldMessages(error);

  const toggle = (agentId: string, on: boolean) => setMembers((m) => (on ? [...m.filter((x) => x !== agentId), agentId] : m.filter((x) => x !== agentId)));

  const save = submit(async (version) => {
    const draft = {
      name,
      description: description.trim() ? description : null,
      strategy,
      role: role || null,
      members,
      requiredSkills: skillsOf(skills),
    };
    if (!queue) await createQueue(draft);
    else {
      // only what changed: taking a role has side effects, so an untouched role is not sent
      const patch: QueuePatch = changedFields(draft, (k) => (k === 'description' ? (queue.description ?? null) : queue[k]));
      if (Object.keys(patch).length) await patchQueue(queue.id, patch, version);
    }
    onSaved(name.trim() || queue?.name || '');
  });

  return (
    <form className="form" onSubmit={save} noValidate>
      {error !== null && <AdminProblem error={error} />}
      <Field id={`${id}-name`} label={t('adminQueues.name')} errors={messages('name')}>
        {(control) => <input {...control} className="input" dir="auto" maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field id={`${id}-description`} label={t('field.description')} errors={messages('description')}>
        {(control) => (
          <textarea
            {...control}
            className="input textarea textarea--short"
            dir="auto"
            rows={2}
            maxLength={2000}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        )}
      </Field>
      <div className="form__row">
        <SelectField
          id={`${id}-strategy`}
          label={t('queues.strategy')}
          value={strategy}
          onChange={(v) => setStrategy(v as AssignmentStrategy)}
          options={optionsOf(STRATEGIES, (s) => t(`strategy.${s}`))}
          hint={t(`strategyHint.${strategy}`)}
          hintAfter
          errors={messages('strategy')}
        />
        <SelectField
          id={`${id}-role`}
          label={t('adminQueues.role')}
          value={role}
          onChange={(v) => setRole(v as QueueRole | '')}
          placeholder={t('queueRole.none')}
          options={optionsOf(QUEUE_ROLES, (r) => t(`queueRole.${r}`))}
          hint={t('adminQueues.roleHint')}
          hintAfter
          errors={messages('role')}
        />
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
      <FormActions submit={queue ? t('admin.save') : t('adminQueues.create')} busy={busy} onClose={onClose} />
    </form>
  );
}

function DeleteQueue({ queue, onDeleted, onClose, onStale }: { queue: QueueWithCounts; onDeleted: () => void; onClose: () => void; onStale: () => void }) {
  const { t } = useI18n();
  return (
    <DeleteForm
      version={queue.version}
      refetch={() => getQueue(queue.id)}
      remove={(version) => deleteQueue(queue.id, version)}
      text={t('adminQueues.deleteText', { name: queue.name })}
      submit={t('adminQueues.confirmDelete')}
      onDeleted={onDeleted}
      onClose={onClose}
      onStale={onStale}
    />
  );
}
