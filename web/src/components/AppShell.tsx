import { Suspense } from 'react';
import { Link, NavLink, Outlet, useNavigate } from 'react-router';
import { cognitoLogoutUrl } from '../auth/cognito';
import { endSession, useSession } from '../auth/session';
import { getConfig } from '../config';
import { useI18n } from '../i18n';
import { LanguageSwitch } from './LanguageSwitch';
import { Loading } from './Loading';

/** Page frame: skip link, header (brand, main navigation, language, user), main. */
export function AppShell() {
  const { t } = useI18n();
  const session = useSession();
  const navigate = useNavigate();

  const signOut = () => {
    endSession();
    const auth = getConfig().auth;
    if (auth.mode === 'cognito') window.location.assign(cognitoLogoutUrl(auth));
    else navigate('/login', { replace: true });
  };

  return (
    <>
      <a href="#main" className="skip-link">
        {t('app.skipToContent')}
      </a>
      <header className="app-header">
        <div className="app-header__inner">
          <Link to="/" className="brand">
            {t('app.name')}
          </Link>
          {session && (
            <nav aria-label={t('nav.label')} className="main-nav">
              <ul>
                {session.staff ? (
                  <li>
                    <NavLink to="/agent" end={false}>
                      {t('nav.cases')}
                    </NavLink>
                  </li>
                ) : (
                  <>
                    <li>
                      <NavLink to="/portal" end>
                        {t('nav.myCases')}
                      </NavLink>
                    </li>
                    <li>
                      <NavLink to="/portal/new">{t('nav.newCase')}</NavLink>
                    </li>
                  </>
                )}
              </ul>
            </nav>
          )}
          <div className="app-header__tools">
            <LanguageSwitch />
            {session && (
              <>
                <span className="app-header__user">{session.customer?.name ?? session.me.email}</span>
                <button type="button" className="button button--ghost button--small" onClick={signOut}>
                  {t('nav.signOut')}
                </button>
              </>
            )}
          </div>
        </div>
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </>
  );
}
