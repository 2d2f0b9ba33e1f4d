/** A case as a row of an agent's case table (the case list, a queue's cases). */
import { Link } from 'react-router';
import type { Case } from '../../api/types';
import { PriorityBadge, StatusBadge } from '../../components/Badges';
import { DateTime } from '../../components/DateTime';
import { TicketNumber } from '../../components/TicketNumber';
import { useI18n } from '../../i18n';

/** Number, title (a link to the case; an "E-mail" tag on mail-born cases), status, priority, owner, created and, with `updated`, last updated. */
export function AgentCaseRow({ value: c, owner, updated = false }: { value: Case; owner: string; updated?: boolean }) {
  const { t } = useI18n();
  return (
    <tr data-testid="case-row">
      <td>
        <TicketNumber value={c.ticketNumber} />
      </td>
      <td>
        <Link to={`/agent/cases/${c.id}`} dir="auto">
          {c.title}
        </Link>
        {c.origin === 'email' && <span className="tag tag--mail tag--origin">{t('origin.email')}</span>}
      </td>
      <td>
        <StatusBadge state={c.state} status={c.status} />
      </td>
      <td>
        <PriorityBadge priority={c.priority} />
      </td>
      <td>{owner}</td>
      <td>
        <DateTime iso={c.createdAt} />
      </td>
      {updated && (
        <td>
          <DateTime iso={c.updatedAt} />
        </td>
      )}
    </tr>
  );
}
