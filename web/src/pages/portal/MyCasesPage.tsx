import { Link } from 'react-router';
import { ErrorAlert } from '../../components/Alert';
import { StatusBadge } from '../../components/Badges';
import { DateTime } from '../../components/DateTime';
import { LoadMoreButton, Loading } from '../../components/Loading';
import { TicketNumber } from '../../components/TicketNumber';
import { useCaseList } from '../../components/useCaseList';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n';

export default function MyCasesPage() {
  const { t } = useI18n();
  usePageTitle(t('portal.myCases'));
  const list = useCaseList({}, { key: 'mine' });

  return (
    <div className="page">
      <div className="page__head">
        <h1>{t('portal.myCases')}</h1>
        <Link to="/portal/new" className="button button--primary">
          {t('portal.openNewCase')}
        </Link>
      </div>
      {list.error !== null && <ErrorAlert error={list.error} />}
      {list.items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('portal.myCasesCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('field.title')}</th>
                <th scope="col">{t('field.ticketNumber')}</th>
                <th scope="col">{t('field.status')}</th>
                <th scope="col">{t('field.updatedAt')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((c) => (
                <tr key={c.id} data-testid="case-row">
                  <td>
                    <Link to={`/portal/cases/${c.id}`} dir="auto">
                      {c.title}
                    </Link>
                  </td>
                  <td>
                    <TicketNumber value={c.ticketNumber} />
                  </td>
                  <td>
                    <StatusBadge state={c.state} status={c.status} />
                  </td>
                  <td>
                    <DateTime iso={c.updatedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {!list.loading && list.error === null && list.items.length === 0 && <p className="empty">{t('portal.noCases')}</p>}
      {list.loading && list.items.length === 0 && <Loading />}
      <div className="list-footer">
        {list.items.length > 0 && (
          <p className="muted" aria-live="polite">
            {t('list.showing', { count: list.items.length })}
          </p>
        )}
        {list.hasMore && <LoadMoreButton loading={list.loading} onClick={list.loadMore} />}
      </div>
    </div>
  );
}
