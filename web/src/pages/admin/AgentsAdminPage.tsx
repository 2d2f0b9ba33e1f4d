/**
 * Agents (admins): the staff directory with presence, capacity, open cases, skills and teams;
 * add an agent, and change capacity, skills, teams, roles and presence.
 */
import { useCallback, useId, useState } from 'react';
import { PRESENCES } from '../../../../shared/domain/routing/assignment';
import { createAgent, getAgent, listAgents, patchAgent } from '../../api/endpoints';
import type { Agent, AgentPatch, CreateAgentInput, Presence, StaffRole } from '../../api/types';
import { PresenceBadge } from '../../components/Badges';
import { FieldMessages, useFieldMessages } from '../../components/FieldMessages';
import { Field, FormActions, SelectField, optionsOf } from '../../components/Form';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n';
import {
  AdminListPage,
  AdminProblem,
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

const STAFF_ROLES: readonly StaffRole[] = ['agent', 'manager', 'admin'];

export default function AgentsAdminPage() {
  const { t, number, collator } = useI18n();
  const [editing, setEditing] = useState<Editing<Agent> | null>(null);
  usePageTitle(t('adminAgents.title'));
  const list = useAdminList(useCallback(async () => [...(await listAgents())].sort((x, y) => collator.compare(x.name, y.name)), [collator]));
  const agents = list.data;
  const close = useCallback(() => setEditing(null), []);
  const names = (xs: string[]) => (xs.length ? xs.join(t('common.listSeparator')) : t('change.none'));

  return (
    <AdminListPage
      title={t('adminAgents.title')}
      intro={t('adminAgents.intro')}
      addLabel={t('adminAgents.add')}
      onAdd={() => setEditing({ mode: 'create' })}
      list={list}
      caption={t('adminAgents.caption')}
      columns={[
        t('adminAgents.name'),
        t('adminAgents.roles'),
        t('presence.column'),
        t('adminAgents.capacity'),
        t('adminAgents.openCases'),
        t('adminAgents.skills'),
        t('adminAgents.teams'),
      ]}
      rows={agents?.map((a) => (
        <tr key={a.id} data-testid="admin-agent-row" data-agent-id={a.id}>
          <th scope="row">
            <span dir="auto">{a.name}</span>
            <bdi className="queue-description" dir="ltr">
              {a.email}
            </bdi>
          </th>
          <td>{names(a.roles.map((r) => (STAFF_ROLES.includes(r as StaffRole) ? t(`role.${r as StaffRole}`) : r)))}</td>
          <td>
            <PresenceBadge presence={a.presence} />
          </td>
          <td className="count">{number(a.capacity)}</td>
          <td className="count">{number(a.openCases)}</td>
          <td>{names(Object.entries(a.skills).map(([s, l]) => t('skills.entry', { skill: s, level: l })))}</td>
          <td>{names(a.teams)}</td>
          <td>
            <RowButton label={t('admin.edit')} name={a.name} onClick={() => setEditing({ mode: 'edit', item: a })} />
          </td>
        </tr>
      ))}
    >
      <EditDialog
        editing={editing}
        newTitle={t('adminAgents.addTitle')}
        editTitle={(name) => t('adminAgents.editTitle', { name })}
        onClose={close}
        saved={(name) => list.changed(t('adminAgents.saved', { name }))}
        testId="agent-dialog"
      >
        {(agent, onSaved) => <AgentForm agent={agent} onClose={close} onSaved={onSaved} />}
      </EditDialog>
    </AdminListPage>
  );
}

const FIELDS = ['id', 'name', 'email', 'roles', 'capacity', 'skills', 'teams', 'presence'];
const splitTeams = (s: string) =>
  s
    .split(/[,،\n]/)
    .map((x) => x.trim())
    .filter(Boolean);

function AgentForm({ agent, onSaved, onClose }: { agent: Agent | null; onSaved: (name: string) => void; onClose: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const [sub, setSub] = useState('');
  const [name, setName] = useState(agent?.name ?? '');
  const [email, setEmail] = useState(agent?.email ?? '');
  const [roles, setRoles] = useState<string[]>(agent?.roles ?? ['agent']);
  const [capacity, setCapacity] = useState(String(agent?.capacity ?? 5));
  const [skills, setSkills] = useState(() => skillRows(agent?.skills ?? {}));
  const [teams, setTeams] = useState((agent?.teams ?? []).join(', '));
  const [presence, setPresence] = useState<Presence>(agent?.presence ?? 'offline');
  const { busy, error, submit } = useVersionedSave(agent?.version ?? 0, agent && (() => getAgent(agent.id)));
  const messages = useFieldMessages(error);

  const save = submit(async (version) => {
    const cap = capacity.trim() === '' ? Number.NaN : Number(capacity);
    const draft = {
      name,
      email: email.trim(),
      roles: roles as StaffRole[],
      // not a number: sent as typed, so the API names the field
      capacity: (Number.isFinite(cap) ? cap : capacity) as number,
      skills: skillsOf(skills),
      teams: splitTeams(teams),
      presence,
    };
    if (!agent) {
      const input: CreateAgentInput = { id: sub.trim(), ...draft };
      await createAgent(input);
    } else {
      const patch: AgentPatch = changedFields(draft, (k) => agent[k]);
      if (Object.keys(patch).length) await patchAgent(agent.id, patch, version);
    }
    onSaved(name.trim() || agent?.name || '');
  });

  return (
    <form className="form" onSubmit={save} noValidate>
      {error !== null && <AdminProblem error={error} />}
      {!agent && (
        <Field id={`${id}-id`} label={t('adminAgents.sub')} hint={t('adminAgents.subHint')} errors={messages('id')}>
          {(control) => <input {...control} className="input" dir="ltr" value={sub} onChange={(e) => setSub(e.target.value)} />}
        </Field>
      )}
      <div className="form__row">
        <Field id={`${id}-name`} label={t('adminAgents.name')} errors={messages('name')}>
          {(control) => <input {...control} className="input" dir="auto" maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field id={`${id}-email`} label={t('customer.email')} errors={messages('email')}>
          {(control) => <input {...control} className="input" type="email" dir="ltr" value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
      </div>
      <div className="form__row">
        <Field id={`${id}-capacity`} label={t('adminAgents.capacity')} hint={t('adminAgents.capacityHint')} hintAfter errors={messages('capacity')}>
          {(control) => (
            <input
              {...control}
              className="input input--short"
              type="number"
              inputMode="numeric"
              min={0}
              max={1000}
              step={1}
              value={capacity}
              onChange={(e) => setCapacity(e.target.value)}
            />
          )}
        </Field>
        <SelectField
          id={`${id}-presence`}
          label={t('presence.column')}
          value={presence}
          onChange={(v) => setPresence(v as Presence)}
          options={optionsOf(PRESENCES, (p) => t(`presence.${p}`))}
          errors={messages('presence')}
        />
      </div>
      <fieldset className="fieldset" aria-describedby={messages('roles').length ? `${id}-roles-errors` : undefined}>
        <legend className="field__label">{t('adminAgents.roles')}</legend>
        <ul className="checkbox-list checkbox-list--inline">
          {STAFF_ROLES.map((r) => (
            <li key={r}>
              <input
                type="checkbox"
                id={`${id}-role-${r}`}
                checked={roles.includes(r)}
                onChange={(e) => setRoles((rs) => (e.target.checked ? [...rs.filter((x) => x !== r), r] : rs.filter((x) => x !== r)))}
              />
              <label htmlFor={`${id}-role-${r}`}>{t(`role.${r}`)}</label>
            </li>
          ))}
        </ul>
        <FieldMessages id={`${id}-roles-errors`} messages={messages('roles')} />
      </fieldset>
      <SkillsEditor legend={t('adminAgents.skills')} hint={t('adminAgents.skillsHint')} rows={skills} onChange={setSkills} errors={messages('skills')} testId="agent-skills" />
      <Field id={`${id}-teams`} label={t('adminAgents.teams')} hint={t('adminAgents.teamsHint')} errors={messages('teams')}>
        {(control) => <input {...control} className="input" dir="auto" value={teams} onChange={(e) => setTeams(e.target.value)} />}
      </Field>
      <OtherErrors error={error} shown={FIELDS} />
      <FormActions submit={agent ? t('admin.save') : t('adminAgents.create')} busy={busy} onClose={onClose} />
    </form>
  );
}
