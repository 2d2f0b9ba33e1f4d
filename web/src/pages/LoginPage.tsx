import { type FormEvent, useEffect, useId, useState } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { isApiError } from '../api/errors';
import { beginCognitoSignIn } from '../auth/cognito';
import { safeNext } from '../auth/guards';
import { DEMO_PASSWORD, type DemoUser, listDemoUsers, signInLocal } from '../auth/local';
import { homeOf, takeEndReason, useSession } from '../auth/session';
import { Alert, ErrorAlert } from '../components/Alert';
import { Loading } from '../components/Loading';
import { usePageTitle } from '../components/usePageTitle';
import { getConfig } from '../config';
import { useI18n } from '../i18n';

export function LoginPage() {
  const { t } = useI18n();
  const session = useSession();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [expired] = useState(() => takeEndReason() === 'expired');
  const auth = getConfig().auth;
  usePageTitle(t('login.title'));

  if (session) return <Navigate replace to={next ?? homeOf(session)} />;

  return (
    <div className="login">
      <h1>{t('login.title')}</h1>
      {expired && <Alert tone="warning">{t('login.expired')}</Alert>}
      {params.get('failed') && <Alert tone="error">{t('login.failed')}</Alert>}
      {auth.mode === 'cognito' ? (
        <CognitoSignIn next={next ?? '/'} />
      ) : (
        <>
          <DemoUsers />
          <PasswordForm />
        </>
      )}
    </div>
  );
}

function CognitoSignIn({ next }: { next: string }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const auth = getConfig().auth;
  if (auth.mode !== 'cognito') return null;
  return (
    <section className="card">
      <p>{t('login.cognitoText')}</p>
      {failed && <Alert tone="error">{t('login.failed')}</Alert>}
      <button
        type="button"
        className="button button--primary"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          beginCognitoSignIn(auth, next).catch(() => {
            setBusy(false);
            setFailed(true);
          });
        }}
      >
        {t('login.submit')}
      </button>
    </section>
  );
}

/** Signing in updates the session; LoginPage then redirects to `next` or the user's home. */
function DemoUsers() {
  const { t } = useI18n();
  const [users, setUsers] = useState<DemoUser[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const ac = new AbortController();
    listDemoUsers(ac.signal).then(setUsers, (e) => !ac.signal.aborted && setLoadError(e));
    return () => ac.abort();
  }, []);

  const signIn = async (email: string) => {
    setBusy(email);
    setError(null);
    try {
      await signInLocal(email, DEMO_PASSWORD);
    } catch (e) {
      setError(e);
      setBusy(null);
    }
  };

  return (
    <section className="card">
      <h2 id="demo-users-heading">{t('login.demoUsers')}</h2>
      <p className="muted">{t('login.demoHint', { password: DEMO_PASSWORD })}</p>
      {error !== null && <ErrorAlert error={error} />}
      {loadError !== null && <ErrorAlert error={loadError} />}
      {!users && loadError === null && <Loading />}
      {users && (
        <ul className="demo-users">
          {users.map((u) => (
            <li key={u.email} className="demo-users__item">
              <div className="demo-users__who">
                <span className="demo-users__name" dir="auto">
                  {u.name}
                </span>
                <span className="demo-users__roles">{u.groups.map((g) => t(`role.${g}`)).join(t('common.listSeparator'))}</span>
              </div>
              <button type="button" className="button" disabled={busy !== null} onClick={() => signIn(u.email)}>
                {t('login.signInAs', { email: u.email })}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function PasswordForm() {
  const { t } = useI18n();
  const emailId = useId();
  const passwordId = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signInLocal(email.trim(), password);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <section className="card">
      <h2 id="password-heading">{t('login.withPassword')}</h2>
      <form className="form" onSubmit={submit}>
        {error !== null &&
          (isApiError(error) && error.status === 401 ? <Alert tone="error">{t('login.wrongPassword')}</Alert> : <ErrorAlert error={error} />)}
        <div className="field">
          <label htmlFor={emailId} className="field__label">
            {t('login.email')}
          </label>
          <input id={emailId} className="input" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={passwordId} className="field__label">
            {t('login.password')}
          </label>
          <input
            id={passwordId}
            className="input"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {t('login.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
