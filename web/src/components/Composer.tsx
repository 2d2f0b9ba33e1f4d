import { type FormEvent, useId } from 'react';
import { useI18n } from '../i18n';
import { isApiError } from '../api/errors';
import { Alert, ErrorAlert } from './Alert';

/**
 * A text box with a send button. The text is owned by the caller, so a failed send (or a 412 and
 * a reload of the case) never loses it; the caller clears it after a success.
 */
export function Composer({
  label,
  submitLabel,
  value,
  onChange,
  onSubmit,
  busy,
  error,
  hint,
  disabled = false,
  variant = 'public',
}: {
  label: string;
  submitLabel: string;
  value: string;
  onChange: (v: string) => void;
  onSubmit: () => void;
  busy: boolean;
  error?: unknown;
  hint?: string;
  disabled?: boolean;
  variant?: 'public' | 'internal';
}) {
  const { t } = useI18n();
  const id = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!value.trim() || busy || disabled) return;
    onSubmit();
  };
  return (
    <form className={`composer composer--${variant}`} onSubmit={submit}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      {hint && (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <textarea
        id={id}
        dir="auto"
        className="input textarea"
        rows={4}
        value={value}
        maxLength={32000}
        disabled={disabled}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {isApiError(error) && (error.status === 412 || error.status === 428) ? (
        <Alert tone="info">{t('conflict.notSent')}</Alert>
      ) : (
        error !== undefined && error !== null && <ErrorAlert error={error} />
      )}
      <div className="composer__actions">
        <button type="submit" className="button button--primary" disabled={busy || disabled || !value.trim()}>
          {busy ? t('common.sending') : submitLabel}
        </button>
      </div>
    </form>
  );
}
