/**
 * Form building blocks: a labelled field (hint, API errors, the ARIA that ties them to the
 * control), a labelled select, and a form's submit/close buttons.
 */
import type { ReactNode } from 'react';
import { useI18n } from '../i18n';
import { FieldMessages } from './FieldMessages';

/** What the control inside a Field takes: its id, and the ARIA that names its hint and errors. */
export interface FieldControl {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

export interface FieldProps {
  /** the control's id; the hint is `${id}-hint` and the errors `${id}-errors` */
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  /** the hint under the control rather than above it */
  hintAfter?: boolean;
  hintTestId?: string;
  errors?: string[];
  /** label and control on one line (`field--inline`) */
  inline?: boolean;
}

const NO_ERRORS: string[] = [];

export function Field({
  id,
  label,
  hint,
  hintAfter = false,
  hintTestId,
  errors = NO_ERRORS,
  inline = false,
  children,
}: FieldProps & { children: (control: FieldControl) => ReactNode }) {
  const hintId = `${id}-hint`;
  const errorsId = `${id}-errors`;
  const describedBy = [hint === undefined ? undefined : hintId, errors.length ? errorsId : undefined].filter(Boolean).join(' ');
  const control: FieldControl = { id, 'aria-invalid': errors.length > 0 || undefined, 'aria-describedby': describedBy || undefined };
  const hintElement = hint !== undefined && (
    <p className="field__hint" id={hintId} data-testid={hintTestId}>
      {hint}
    </p>
  );
  return (
    <div className={inline ? 'field field--inline' : 'field'}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      {!hintAfter && hintElement}
      {children(control)}
      {hintAfter && hintElement}
      <FieldMessages id={errorsId} messages={errors} />
    </div>
  );
}

export interface SelectOption {
  value: string;
  label: string;
}

/** `values` as options, each labelled by `label(value)`. */
export const optionsOf = <V extends string>(values: readonly V[], label: (value: V) => string): SelectOption[] =>
  values.map((value) => ({ value, label: label(value) }));

/** A labelled select; `placeholder` is a first option with the value "" (none, all, not specified). */
export function SelectField({
  value,
  onChange,
  options,
  placeholder,
  ...field
}: FieldProps & {
  value: string;
  onChange: (value: string) => void;
  options: readonly SelectOption[];
  placeholder?: string;
}) {
  return (
    <Field {...field}>
      {(control) => (
        <select {...control} className="input select" value={value} onChange={(e) => onChange(e.target.value)}>
          {placeholder !== undefined && <option value="">{placeholder}</option>}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A form's buttons: submit (“Sending…” while busy) and close; without `submit`, close alone (read-only, done). */
export function FormActions({ submit, busy, onClose, danger = false }: { submit?: string; busy: boolean; onClose: () => void; danger?: boolean }) {
  const { t } = useI18n();
  return (
    <div className="form__actions">
      {submit !== undefined && (
        <button type="submit" className={`button ${danger ? 'button--danger' : 'button--primary'}`} disabled={busy}>
          {busy ? t('common.sending') : submit}
        </button>
      )}
      <button type="button" className="button button--ghost" onClick={onClose}>
        {t('common.close')}
      </button>
    </div>
  );
}
