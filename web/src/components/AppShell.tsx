import { Suspense, lazy } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { isAdmin } from '../../../shared/domain/principal';
import { cognitoLogoutUrl } from '../auth/cognito';
import { isManagerOrAdmin } from '../auth/guards';
import { endSession, useSession } from '../auth/session';
import { getConfig } from '../config';
import { useI18n } from '../i18n';
import { LanguageSwitch } from './LanguageSwitch';
import { Loading } from './Loading';

/** staff only: a separate chunk, so customers never download it */
const PresenceSwitch = lazy(() => import('./PresenceSwitch'));

/** Page frame: skip link, header (brand, main navigation, language, user), main. */
export function AppShell() {
  const { t } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  // "Cases" is the case lists and the case pages; the queue board has its own entry
  const onCases = pathname === '/agent' || pathname.startsWith('/agent/cases');

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
                  <>
                    <li>
                      <Link to="/agent" aria-current={onCases ? 'page' : undefined}>
                        {t('nav.cases')}
                      </Link>
                    </li>
                    <li>
                      <NavLink to="/agent/queues">{t('nav.queues')}</NavLink>
                    </li>
                    {isAdmin(session.me) && (
                      <>
                        <li>
                          <NavLink to="/admin/queues">{t('nav.adminQueues')}</NavLink>
                        </li>
                        <li>
                          <NavLink to="/admin/agents">{t('nav.adminAgents')}</NavLink>
                        </li>
                        <li>
                          <NavLink to="/admin/routing">{t('nav.adminRouting')}</NavLink>
                        </li>
                        <li>
                          <NavLink to="/admin/mail">{t('nav.adminMail')}</NavLink>
                        </li>
                        <li>
                          <NavLink to="/admin/calendars">{t('nav.adminCalendars')}</NavLink>
                        </li>
                        <li>
                          <NavLink to="/admin/sla-policies">{t('nav.adminSlaPolicies')}</NavLink>
                        </li>
                      </>
                    )}
                    {isManagerOrAdmin(session.me) && (
                      <>
                        <li>
                          <NavLink to="/admin/mail-templates">{t('nav.mailTemplates')}</NavLink>
                        </li>
                        <li>
                          <NavLink to="/reports/sla">{t('nav.slaReport')}</NavLink>
                        </li>
                      </>
                    )}
                  </>
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
            {session?.staff && (
              <Suspense fallback={null}>
                <PresenceSwitch key={session.me.sub} sub={session.me.sub} />
              </Suspense>
            )}
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
