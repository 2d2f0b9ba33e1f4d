/**
 * Agents (admins): the staff directory with presence, capacity, open cases, skills and teams;
 * add an agent, and change capacity, skills, teams, roles and presence.
 */
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react';
import { PRESENCES } from '../../../../shared/domain/routing/assignment';
import { invalidateDirectory } from '../../api/cache';
import { createAgent, getAgent, listAgents, patchAgent } from '../../api/endpoints';
import { isApiError } from '../../api/errors';
import type { Agent, AgentPatch, CreateAgentInput, Presence, StaffRole } from '../../api/types';
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

const STAFF_ROLES: readonly StaffRole[] = ['agent', 'manager', 'admin'];
type Editing = { mode: 'create' } | { mode: 'edit'; agent: Agent };

export default function AgentsAdminPage() {
  const { t, number, collator } = useI18n();
  const [agents, setAgents] = useState<Agent[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  usePageTitle(t('adminAgents.title'));

  const load = useCallback(async () => {
    try {
      const a = await listAgents();
      setAgents([...a].sort((x, y) => collator.compare(x.name, y.name)));
      setLoadError(null);
    } catch (e) {
      setLoadError(e);
    }
  }, [collator]);
  useEffect(() => {
    void load();
  }, [load]);
  const close = useCallback(() => setEditing(null), []);
  const list = (xs: string[]) => (xs.length ? xs.join(t('common.listSeparator')) : t('change.none'));

  return (
    <div className="page page--wide">
      <div className="page__head">
        <h1>{t('adminAgents.title')}</h1>
        <button type="button" className="button button--primary" onClick={() => setEditing({ mode: 'create' })}>
          {t('adminAgents.add')}
        </button>
      </div>
      <p className="muted">{t('adminAgents.intro')}</p>
      {notice && (
        <Alert tone="success" onDismiss={() => setNotice(null)}>
          {notice}
        </Alert>
      )}
      {loadError !== null && <ErrorAlert error={loadError} />}
      {agents === null && loadError === null && <Loading />}
      {agents && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('adminAgents.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('adminAgents.name')}</th>
                <th scope="col">{t('adminAgents.roles')}</th>
                <th scope="col">{t('presence.column')}</th>
                <th scope="col">{t('adminAgents.capacity')}</th>
                <th scope="col">{t('adminAgents.openCases')}</th>
                <th scope="col">{t('adminAgents.skills')}</th>
                <th scope="col">{t('adminAgents.teams')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('queues.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {agents.map((a) => (
                <tr key={a.id} data-testid="admin-agent-row" data-agent-id={a.id}>
                  <th scope="row">
                    <span dir="auto">{a.name}</span>
                    <bdi className="queue-description" dir="ltr">
                      {a.email}
                    </bdi>
                  </th>
                  <td>{list(a.roles.map((r) => (STAFF_ROLES.includes(r as StaffRole) ? t(`role.${r as StaffRole}`) : r)))}</td>
                  <td>
                    <PresenceBadge presence={a.presence} />
                  </td>
                  <td className="count">{number(a.capacity)}</td>
                  <td className="count">{number(a.openCases)}</td>
                  <td>{list(Object.entries(a.skills).map(([s, l]) => t('skills.entry', { skill: s, level: l })))}</td>
                  <td>{list(a.teams)}</td>
                  <td>
                    <button type="button" className="button button--small" onClick={() => setEditing({ mode: 'edit', agent: a })}>
                      {t('admin.edit')}
                      <span className="visually-hidden"> {a.name}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <Modal
        open={editing !== null}
        title={editing?.mode === 'edit' ? t('adminAgents.editTitle', { name: editing.agent.name }) : t('adminAgents.addTitle')}
        onClose={close}
        testId="agent-dialog"
      >
        {editing && (
          <AgentForm
            key={editing.mode === 'edit' ? editing.agent.id : 'new'}
            agent={editing.mode === 'edit' ? editing.agent : null}
            onClose={close}
            onSaved={(name) => {
              setEditing(null);
              invalidateDirectory();
              setNotice(t('adminAgents.saved', { name }));
              void load();
            }}
          />
        )}
      </Modal>
    </div>
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
  const [version, setVersion] = useState(agent?.version ?? 0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const messages = useFieldMessages(error);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
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
    try {
      if (!agent) {
        const input: CreateAgentInput = { id: sub.trim(), ...draft };
        await createAgent(input);
      } else {
        const patch: AgentPatch = {};
        for (const k of Object.keys(draft) as (keyof typeof draft)[])
          if (JSON.stringify(draft[k]) !== JSON.stringify(agent[k])) Object.assign(patch, { [k]: draft[k] });
        if (Object.keys(patch).length) await patchAgent(agent.id, patch, version);
      }
      onSaved(name.trim() || agent?.name || '');
    } catch (err) {
      setError(err);
      if (agent && isApiError(err) && err.status === 412) getAgent(agent.id).then((a) => setVersion(a.version), () => undefined);
    } finally {
      setBusy(false);
    }
  };

  const aria = (key: string, hint?: string) => {
    const list = messages(key);
    const describedBy = [hint, list.length ? `${id}-${key}-errors` : undefined].filter(Boolean).join(' ');
    return { 'aria-invalid': list.length > 0 || undefined, 'aria-describedby': describedBy || undefined };
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      {error !== null && <AdminProblem error={error} />}
      {!agent && (
        <div className="field">
          <label htmlFor={`${id}-id`} className="field__label">
            {t('adminAgents.sub')}
          </label>
          <p className="field__hint" id={`${id}-id-hint`}>
            {t('adminAgents.subHint')}
          </p>
          <input id={`${id}-id`} className="input" dir="ltr" value={sub} onChange={(e) => setSub(e.target.value)} {...aria('id', `${id}-id-hint`)} />
          <FieldMessages id={`${id}-id-errors`} messages={messages('id')} />
        </div>
      )}
      <div className="form__row">
        <div className="field">
          <label htmlFor={`${id}-name`} className="field__label">
            {t('adminAgents.name')}
          </label>
          <input id={`${id}-name`} className="input" dir="auto" maxLength={200} value={name} onChange={(e) => setName(e.target.value)} {...aria('name')} />
          <FieldMessages id={`${id}-name-errors`} messages={messages('name')} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-email`} className="field__label">
            {t('customer.email')}
          </label>
          <input id={`${id}-email`} className="input" type="email" dir="ltr" value={email} onChange={(e) => setEmail(e.target.value)} {...aria('email')} />
          <FieldMessages id={`${id}-email-errors`} messages={messages('email')} />
        </div>
      </div>
      <div className="form__row">
        <div className="field">
          <label htmlFor={`${id}-capacity`} className="field__label">
            {t('adminAgents.capacity')}
          </label>
          <input
            id={`${id}-capacity`}
            className="input input--short"
            type="number"
            inputMode="numeric"
            min={0}
            max={1000}
            step={1}
            value={capacity}
            onChange={(e) => setCapacity(e.target.value)}
            {...aria('capacity', `${id}-capacity-hint`)}
          />
          <p className="field__hint" id={`${id}-capacity-hint`}>
            {t('adminAgents.capacityHint')}
          </p>
          <FieldMessages id={`${id}-capacity-errors`} messages={messages('capacity')} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-presence`} className="field__label">
            {t('presence.column')}
          </label>
          <select id={`${id}-presence`} className="input select" value={presence} onChange={(e) => setPresence(e.target.value as Presence)} {...aria('presence')}>
            {PRESENCES.map((p) => (
              <option key={p} value={p}>
                {t(`presence.${p}`)}
              </option>
            ))}
          </select>
          <FieldMessages id={`${id}-presence-errors`} messages={messages('presence')} />
        </div>
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
      <div className="field">
        <label htmlFor={`${id}-teams`} className="field__label">
          {t('adminAgents.teams')}
        </label>
        <p className="field__hint" id={`${id}-teams-hint`}>
          {t('adminAgents.teamsHint')}
        </p>
        <input id={`${id}-teams`} className="input" dir="auto" value={teams} onChange={(e) => setTeams(e.target.value)} {...aria('teams', `${id}-teams-hint`)} />
        <FieldMessages id={`${id}-teams-errors`} messages={messages('teams')} />
      </div>
      <OtherErrors error={error} shown={FIELDS} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('common.sending') : agent ? t('admin.save') : t('adminAgents.create')}
        </button>
        <button type="button" className="button button--ghost" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </form>
  );
}
