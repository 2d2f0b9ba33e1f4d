import { Link } from 'react-router';
import { StatusBadge } from '../../components/Badges';
import { DateTime } from '../../components/DateTime';
import { PagedTable } from '../../components/Table';
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
      <PagedTable
        list={list}
        count={list.items.length}
        empty={t('portal.noCases')}
        caption={t('portal.myCasesCaption')}
        columns={[t('field.title'), t('field.ticketNumber'), t('field.status'), t('field.updatedAt')]}
      >
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
      </PagedTable>
    </div>
  );
}
