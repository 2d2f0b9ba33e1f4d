import { Link, isRouteErrorResponse, useRouteError } from 'react-router';
import { useI18n } from '../i18n';

/** Shown when a page throws or a code-split chunk fails to load. */
export function RouteError() {
  const { t } = useI18n();
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <main id="main" className="app-main">
      <section className="not-found">
        <h1>{notFound ? t('notFound.pageTitle') : t('error.pageTitle')}</h1>
        <p>{notFound ? t('notFound.pageText') : t('error.pageText')}</p>
        <p>
          <Link to="/" reloadDocument>
            {t('notFound.home')}
          </Link>
        </p>
      </section>
    </main>
  );
}
