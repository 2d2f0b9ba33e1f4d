/** Building blocks of the administration pages: the skills editor and error messages. */
import { useId } from 'react';
import { SKILL_LEVEL_MAX, SKILL_LEVEL_MIN } from '../../../../shared/domain/routing/assignment';
import { isApiError } from '../../api/errors';
import { Alert, ErrorAlert } from '../../components/Alert';
import { FieldMessages } from '../../components/FieldMessages';
import { useI18n } from '../../i18n';

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
