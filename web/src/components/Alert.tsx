import type { ReactNode } from 'react';
import { isApiError } from '../api/errors';
import { type MessageKey, isMessageKey, useI18n } from '../i18n';

type Tone = 'error' | 'warning' | 'success' | 'info';

/** A message box. Errors and warnings interrupt (role=alert); the rest are polite status. */
export function Alert({ tone = 'info', children, onDismiss }: { tone?: Tone; children: ReactNode; onDismiss?: () => void }) {
  const { t } = useI18n();
  const urgent = tone === 'error' || tone === 'warning';
  return (
    <div className={`alert alert--${tone}`} role={urgent ? 'alert' : 'status'}>
      <div className="alert__body">{children}</div>
      {onDismiss && (
        <button type="button" className="button button--ghost button--small" onClick={onDismiss}>
          {t('common.dismiss')}
        </button>
      )}
    </div>
  );
}

const STATUS_MESSAGES: Record<number, MessageKey> = {
  0: 'error.network',
  400: 'error.validation',
  401: 'error.unauthorized',
  403: 'error.forbidden',
  404: 'error.notFound',
  409: 'error.invalidState',
  412: 'error.conflict',
  413: 'error.tooLarge',
  428: 'error.conflict',
};

/** Our own words for what went wrong, by status; the API's detail underneath. */
export function useErrorText() {
  const { t } = useI18n();
  return (err: unknown): { title: string; detail?: string } => {
    if (!isApiError(err)) return { title: t('error.unexpected') };
    const key = STATUS_MESSAGES[err.status] ?? (err.status >= 500 ? 'error.server' : 'error.unexpected');
    return { title: t(key), detail: err.status === 0 ? undefined : err.detail };
  };
}

export function ErrorAlert({ error, onDismiss }: { error: unknown; onDismiss?: () => void }) {
  const text = useErrorText()(error);
  return (
    <Alert tone="error" onDismiss={onDismiss}>
      <p className="alert__title">{text.title}</p>
      {text.detail && <p className="alert__detail">{text.detail}</p>}
    </Alert>
  );
}

/** The message under a form field, from the API's field errors. */
export function useFieldError(error: unknown) {
  const { t } = useI18n();
  return (path: string): string | undefined => {
    if (!isApiError(error)) return undefined;
    const fe = error.fieldError(path);
    if (!fe) return undefined;
    const key = `fieldError.${fe.code}`;
    return isMessageKey(key) ? t(key) : fe.message;
  };
}

/** The standard 412 banner: someone else changed the case; what you typed is still there. */
export function ConflictBanner({ onDismiss, testId = 'conflict-banner' }: { onDismiss?: () => void; testId?: string }) {
  const { t } = useI18n();
  return (
    <Alert tone="warning" onDismiss={onDismiss}>
      <p className="alert__title" data-testid={testId}>
        {t('conflict.banner')}
      </p>
    </Alert>
  );
}
