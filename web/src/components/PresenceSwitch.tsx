/**
 * The signed-in staff member's own presence, in the header. Read from the staff directory
 * (GET /agents/{sub}); changed with PUT /me/presence. Someone not in the directory sees nothing.
 * Loaded lazily with the staff shell, so customers never download it.
 */
import { useEffect, useId, useState } from 'react';
import { PRESENCES } from '../../../shared/domain/routing/assignment';
import { getAgent, setMyPresence } from '../api/endpoints';
import { isApiError } from '../api/errors';
import type { Presence } from '../api/types';
import { useI18n } from '../i18n';
import { useErrorText } from './Alert';

const isPresence = (v: string): v is Presence => (PRESENCES as readonly string[]).includes(v);

export default function PresenceSwitch({ sub }: { sub: string }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const id = useId();
  const [presence, setPresence] = useState<Presence | null>(null);
  const [absent, setAbsent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const ac = new AbortController();
    getAgent(sub, ac.signal)
      .then((a) => setPresence(a.value.presence))
      .catch((e) => {
        if (ac.signal.aborted) return;
        if (isApiError(e) && e.status === 404) setAbsent(true);
        else setError(e);
      });
    return () => ac.abort();
  }, [sub]);

  if (absent) return null;

  const change = async (next: Presence) => {
    const before = presence;
    setPresence(next);
    setBusy(true);
    setError(null);
    try {
      const saved = await setMyPresence(next);
      setPresence(saved.value.presence);
    } catch (e) {
      setPresence(before);
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const problem = error === null ? null : errorText(error);
  return (
    <div className="presence-switch">
      <span className={`presence-dot presence-dot--${presence ?? 'unknown'}`} aria-hidden="true" />
      <label htmlFor={id} className="presence-switch__label">
        {t('presence.label')}
      </label>
      <select
        id={id}
        className="input select select--compact"
        data-testid="presence-switch"
        value={presence ?? ''}
        disabled={presence === null && error === null}
        aria-busy={busy || undefined}
        aria-describedby={problem ? `${id}-error` : undefined}
        onChange={(e) => isPresence(e.target.value) && void change(e.target.value)}
      >
        {presence === null && <option value="">{t('common.loading')}</option>}
        {PRESENCES.map((p) => (
          <option key={p} value={p}>
            {t(`presence.${p}`)}
          </option>
        ))}
      </select>
      {problem && (
        <p className="presence-switch__error" id={`${id}-error`} role="alert" data-testid="presence-error">
          {t('presence.failed')} {problem.detail ?? problem.title}
          <button type="button" className="button button--ghost button--small" onClick={() => setError(null)}>
            {t('common.dismiss')}
          </button>
        </p>
      )}
    </div>
  );
}
