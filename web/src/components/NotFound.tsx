import { Link } from 'react-router';
import { useI18n } from '../i18n';

/** Friendly not-found content: for unknown pages and for cases the API does not know (404). */
export function NotFound({ what = 'page', backTo, backLabel }: { what?: 'page' | 'case'; backTo?: string; backLabel?: string }) {
  const { t } = useI18n();
  return (
    <section className="not-found">
      <h1>{what === 'case' ? t('notFound.caseTitle') : t('notFound.pageTitle')}</h1>
      <p>{what === 'case' ? t('notFound.caseText') : t('notFound.pageText')}</p>
      <p>
        <Link to={backTo ?? '/'}>{backLabel ?? t('notFound.home')}</Link>
      </p>
    </section>
  );
}
