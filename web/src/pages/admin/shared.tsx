/**
 * Building blocks of the administration pages: the list page with its add button and notice, the
 * create/edit dialog, saving with If-Match, the skills editor and error messages.
 */
import { type FormEvent, Fragment, type ReactNode, useCallback, useEffect, useId, useState } from 'react';
import { SKILL_LEVEL_MAX, SKILL_LEVEL_MIN } from '../../../../shared/domain/routing/assignment';
import { invalidateDirectory } from '../../api/cache';
import { isApiError } from '../../api/errors';
import { Alert, ErrorAlert } from '../../components/Alert';
import { FormActions } from '../../components/Form';
import { FieldMessages } from '../../components/FieldMessages';
import { Loading } from '../../components/Loading';
import { Modal } from '../../components/Modal';
import { Table } from '../../components/Table';
import { useI18n } from '../../i18n';

/**
 * What an administration list page shows: the loaded data (null until the first load), the load's
 * error, and the success notice. `changed` says what was saved, drops the cached directory and loads again.
 */
export function useAdminList<T>(load: () => Promise<T>) {
  const [data, setData] = useState<T | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const reload = useCallback(async () => {
    try {
      setData(await load());
      setLoadError(null);
    } catch (e) {
      setLoadError(e);
    }
  }, [load]);
  useEffect(() => {
    void reload();
  }, [reload]);
  const changed = (text: string) => {
    invalidateDirectory();
    setNotice(text);
    void reload();
  };
  return { data, loadError, notice, dismissNotice: () => setNotice(null), reload, changed };
}

/**
 * An administration list page: title and (optional) add button, intro, notice, load error or loading, then
 * the records as a table (a last column of row actions) once loaded, and the page's dialogs.
 */
export function AdminListPage({
  title,
  intro,
  addLabel,
  onAdd,
  list,
  caption,
  columns,
  rows,
  children,
}: {
  title: string;
  intro: string;
  /** the add button (none on a page where nothing is added) */
  addLabel?: string;
  onAdd?: () => void;
  list: Pick<ReturnType<typeof useAdminList<unknown>>, 'data' | 'loadError' | 'notice' | 'dismissNotice'>;
  caption: string;
  columns: string[];
  /** the table's rows */
  rows: ReactNode;
  /** the dialogs */
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <div className="page page--wide">
      <div className="page__head">
        <h1>{title}</h1>
        {addLabel && onAdd && (
          <button type="button" className="button button--primary" onClick={onAdd}>
            {addLabel}
          </button>
        )}
      </div>
      <p className="muted">{intro}</p>
      {list.notice && (
        <Alert tone="success" onDismiss={list.dismissNotice}>
          {list.notice}
        </Alert>
      )}
      {list.loadError !== null && <ErrorAlert error={list.loadError} />}
      {list.data === null && list.loadError === null && <Loading />}
      {list.data !== null && (
        <Table caption={caption} columns={columns} actionsLabel={t('queues.actions')}>
          {rows}
        </Table>
      )}
      {children}
    </div>
  );
}

/** What the create/edit dialog holds: a new record, or one to edit. */
export type Editing<T> = { mode: 'create' } | { mode: 'edit'; item: T };

/**
 * The create/edit dialog; the form inside starts afresh for each record. The form's `onSaved(name)`
 * closes the dialog and then calls `saved(name)`.
 */
export function EditDialog<T extends { id: string; name: string }>({
  editing,
  newTitle,
  editTitle,
  onClose,
  saved,
  testId,
  children,
}: {
  editing: Editing<T> | null;
  newTitle: string;
  editTitle: (name: string) => string;
  onClose: () => void;
  saved: (name: string) => void;
  testId: string;
  children: (item: T | null, onSaved: (name: string) => void) => ReactNode;
}) {
  const item = editing?.mode === 'edit' ? editing.item : null;
  const onSaved = (name: string) => {
    onClose();
    saved(name);
  };
  return (
    <Modal open={editing !== null} title={item ? editTitle(item.name) : newTitle} onClose={onClose} testId={testId}>
      {editing && <Fragment key={item ? item.id : 'new'}>{children(item, onSaved)}</Fragment>}
    </Modal>
  );
}

/** A small button in a table row; screen readers hear the row's name after the label. */
export function RowButton({ label, name, danger = false, onClick }: { label: string; name: string; danger?: boolean; onClick: () => void }) {
  return (
    <button type="button" className={danger ? 'button button--small button--danger' : 'button button--small'} onClick={onClick}>
      {label}
      <span className="visually-hidden"> {name}</span>
    </button>
  );
}

/**
 * Saving with If-Match: `submit(action)` runs the action with the version in hand, busy meanwhile;
 * on 412 (someone else saved first) it calls `onStale` and takes the record's new version from
 * `refetch`, keeping the draft so the admin can save again.
 */
export function useVersionedSave(initial: number, refetch: (() => Promise<{ version: number }>) | null, onStale?: () => void) {
  const [version, setVersion] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = (action: (version: number) => Promise<void>) => async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await action(version);
    } catch (err) {
      setError(err);
      if (refetch && isApiError(err) && err.status === 412) {
        onStale?.();
        refetch().then((r) => setVersion(r.version), () => undefined);
      }
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, submit };
}

/**
 * Confirming a deletion with If-Match: the question, the danger button, and the problem (409: the
 * record is in use, with the API's reason; 412: someone else changed it, `onStale` reloads the list).
 */
export function DeleteForm({
  version,
  refetch,
  remove,
  text,
  submit: submitLabel,
  onDeleted,
  onClose,
  onStale,
}: {
  version: number;
  refetch: () => Promise<{ version: number }>;
  remove: (version: number) => Promise<void>;
  text: string;
  submit: string;
  onDeleted: () => void;
  onClose: () => void;
  onStale: () => void;
}) {
  const { busy, error, submit } = useVersionedSave(version, refetch, onStale);
  const confirm = submit(async (v) => {
    await remove(v);
    onDeleted();
  });
  return (
    <form className="form" onSubmit={confirm}>
      {error !== null && <AdminProblem error={error} />}
      <p>{text}</p>
      <FormActions submit={submitLabel} busy={busy} onClose={onClose} danger />
    </form>
  );
}

/** The fields of `draft` that differ from `before(field)` (compared as JSON). */
export function changedFields<D extends object>(draft: D, before: (k: keyof D) => unknown): Partial<D> {
  const patch: Partial<D> = {};
  for (const k of Object.keys(draft) as (keyof D)[]) if (JSON.stringify(draft[k]) !== JSON.stringify(before(k))) patch[k] = draft[k];
  return patch;
}

export interface SkillRow {
  key: number;
  name: string;
  level: number;
}

let nextKey = 1;
export const skillRows = (skills: Record<string, number>): SkillRow[] =>
  Object.entries(skills).map(([name, level]) => ({ key: nextKey++, name, level }));
/** Rows without a name are dropped; the same name twice keeps the last. */
export const skillsOf = (rows: SkillRow[]): Record<string, number> =>
  Object.fromEntries(rows.filter((r) => r.name.trim()).map((r) => [r.name.trim(), r.level]));

const LEVELS = Array.from({ length: SKILL_LEVEL_MAX - SKILL_LEVEL_MIN + 1 }, (_, i) => SKILL_LEVEL_MIN + i);

/** Skill name + level rows, as a fieldset (the legend names the group for screen readers). */
export function SkillsEditor({
  legend,
  hint,
  rows,
  onChange,
  errors,
  testId,
}: {
  legend: string;
  hint?: string;
  rows: SkillRow[];
  onChange: (rows: SkillRow[]) => void;
  errors: string[];
  testId?: string;
}) {
  const { t, number } = useI18n();
  const id = useId();
  const set = (key: number, change: Partial<SkillRow>) => onChange(rows.map((r) => (r.key === key ? { ...r, ...change } : r)));
  return (
    <fieldset className="fieldset" data-testid={testId} aria-describedby={errors.length ? `${id}-errors` : undefined}>
      <legend className="field__label">{legend}</legend>
      {hint && <p className="field__hint">{hint}</p>}
      {rows.length === 0 && <p className="muted">{t('skills.none')}</p>}
      {rows.map((r, i) => (
        <div key={r.key} className="skill-row">
          <div className="field">
            <label htmlFor={`${id}-${r.key}-name`} className="field__label field__label--light">
              {t('skills.name', { n: i + 1 })}
            </label>
            <input
              id={`${id}-${r.key}-name`}
              className="input"
              dir="auto"
              maxLength={64}
              value={r.name}
              onChange={(e) => set(r.key, { name: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-${r.key}-level`} className="field__label field__label--light">
              {t('skills.level', { n: i + 1 })}
            </label>
            <select id={`${id}-${r.key}-level`} className="input select" value={r.level} onChange={(e) => set(r.key, { level: Number(e.target.value) })}>
              {LEVELS.map((l) => (
                <option key={l} value={l}>
                  {number(l)}
                </option>
              ))}
            </select>
          </div>
          <button type="button" className="button button--ghost button--small" onClick={() => onChange(rows.filter((x) => x.key !== r.key))}>
            {t('skills.remove')}
            <span className="visually-hidden"> {r.name || t('skills.name', { n: i + 1 })}</span>
          </button>
        </div>
      ))}
      <div>
        <button type="button" className="button button--small" onClick={() => onChange([...rows, { key: nextKey++, name: '', level: 3 }])}>
          {t('skills.add')}
        </button>
      </div>
      <FieldMessages id={`${id}-errors`} messages={errors} />
    </fieldset>
  );
}

/**
 * An error of an administration request, in administration words: 412 someone else saved first,
 * 409 the record is in use or clashes with another; the API's detail underneath.
 */
export function AdminProblem({ error, onDismiss }: { error: unknown; onDismiss?: () => void }) {
  const { t } = useI18n();
  if (isApiError(error) && (error.status === 412 || error.status === 428))
    return (
      <Alert tone="warning" onDismiss={onDismiss}>
        <p className="alert__title" data-testid="admin-conflict">
          {t('admin.conflict')}
        </p>
      </Alert>
    );
  if (isApiError(error) && error.status === 409)
    return (
      <Alert tone="error" onDismiss={onDismiss}>
        <p className="alert__title">{t('admin.inUse')}</p>
        {error.detail && <p className="alert__detail">{error.detail}</p>}
      </Alert>
    );
  if (isApiError(error) && error.status === 400)
    return (
      <Alert tone="error" onDismiss={onDismiss}>
        <p className="alert__title">{t('error.validation')}</p>
        <p className="alert__detail">{t('admin.seeFields')}</p>
      </Alert>
    );
  return <ErrorAlert error={error} onDismiss={onDismiss} />;
}

/** Errors the form shows by no field (e.g. `(body)`), so none is silently lost. */
export function otherFieldErrors(error: unknown, shown: string[]): { path: string; message: string }[] {
  if (!isApiError(error)) return [];
  return error.errors.filter((e) => !shown.some((p) => e.path === p || e.path.startsWith(`${p}.`) || e.path.startsWith(`${p}[`)));
}

export function OtherErrors({ error, shown }: { error: unknown; shown: string[] }) {
  const rest = otherFieldErrors(error, shown);
  if (!rest.length) return null;
  return (
    <ul className="field__errors">
      {rest.map((e) => (
        <li key={`${e.path}:${e.message}`} className="field__error">
          <code dir="ltr">{e.path}</code> {e.message}
        </li>
      ))}
    </ul>
  );
}
