/**
 * The "At risk" tab of a queue (or of the cases in no queue): its open SLA clocks due within the
 * chosen window or already breached, soonest first, each with a countdown to its deadline and
 * its risk in words. Pages with "load more"; the first page again every 15 s while visible
 * (unless more pages were loaded).
 * Countdowns count from the server's clock (`remainingMs` at `asOf`), so a moved local clock
 * shows what the server sees.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { listAtRisk } from '../../api/endpoints';
import type { AtRiskItem } from '../../api/types';
import { useSession } from '../../auth/session';
import { PriorityBadge } from '../../components/Badges';
import { DateTime } from '../../components/DateTime';
import { SelectField } from '../../components/Form';
import { RefreshToolbar } from '../../components/RefreshToolbar';
import { PagedTable } from '../../components/Table';
import { TicketNumber } from '../../components/TicketNumber';
import { useOwnerLabel } from '../../components/Timeline';
import { formatDuration } from '../../components/duration';
import { usePagedList } from '../../components/usePagedList';
import { usePolling } from '../../components/usePolling';
import { useI18n } from '../../i18n';
import { REFRESH_MS } from './queues';
import { AT_RISK_WINDOWS, type AtRiskWindow, RISK_BADGE, kpiLabel } from './sla';
import '../../styles/sla.css';

/** A row: the item, an id for the list, and its deadline on this browser's clock. */
type Row = AtRiskItem & { id: string; dueLocal: number };

export function AtRiskList({
  queueId,
  queueName,
  within,
  onWithinChange,
  refresh,
}: {
  /** a queue id, or 'none' */
  queueId: string;
  queueName: string;
  within: AtRiskWindow;
  onWithinChange: (w: AtRiskWindow) => void;
  /** changes when the page's Refresh button is pressed */
  refresh: number;
}) {
  const { t, locale } = useI18n();
  const session = useSession();
  const owner = useOwnerLabel(session?.me.sub);
  const windowId = useId();
  const [loadedAt, setLoadedAt] = useState(() => Date.now());
  const [now, setNow] = useState(() => Date.now());

  const list = usePagedList<Row>(`${queueId}|${within}`, async (cursor, signal) => {
    const page = await listAtRisk({ queueId, withinMinutes: within, limit: 25, ...(cursor ? { cursor } : {}) }, signal);
    const at = Date.now();
    setLoadedAt(at);
    setNow(at);
    return {
      items: page.items.map((x) => ({ ...x, id: `${x.caseId}|${x.kpi}|${x.cycle}`, dueLocal: at + x.remainingMs })),
      nextCursor: page.nextCursor,
    };
  });
  // the first page again every 15 s, unless more pages were loaded (a refresh would drop them;
  // "Updated …" says how old the list is, and Refresh brings the first page back)
  const extended = useRef(false);
  const listKey = `${queueId}|${within}`;
  const [shownKey, setShownKey] = useState(listKey);
  if (shownKey !== listKey) {
    // another window (or queue): the list starts over
    extended.current = false;
    setShownKey(listKey);
  }
  const paged = {
    ...list,
    loadMore: () => {
      extended.current = true;
      list.loadMore();
    },
    reload: () => {
      extended.current = false;
      list.reload();
    },
  };
  usePolling(() => {
    if (!extended.current) list.reload();
  }, REFRESH_MS);
  usePolling(() => setNow(Date.now()), 1_000);

  // the page's Refresh button
  const reload = useRef(paged.reload);
  reload.current = paged.reload;
  const firstRefresh = useRef(refresh);
  useEffect(() => {
    if (refresh !== firstRefresh.current) reload.current();
  }, [refresh]);

  const windowLabel = t(`atRisk.window.${within}`);
  return (
    <div data-testid="at-risk">
      <div className="at-risk__head">
        <form className="filter-bar at-risk__filters" aria-label={t('filters.label')} onSubmit={(e) => e.preventDefault()}>
          <SelectField
            inline
            id={windowId}
            label={t('atRisk.window')}
            value={String(within)}
            onChange={(v) => onWithinChange(AT_RISK_WINDOWS.find((w) => String(w) === v) ?? within)}
            options={AT_RISK_WINDOWS.map((w) => ({ value: String(w), label: t(`atRisk.window.${w}`) }))}
          />
        </form>
        <RefreshToolbar loadedAt={loadedAt} refreshing={list.loading} onRefresh={paged.reload} testId="at-risk-updated" />
      </div>
      <p className="muted">{t('atRisk.intro')}</p>
      <PagedTable
        list={paged}
        count={list.items.length}
        empty={t('atRisk.none', { window: windowLabel })}
        showing={(count) => t('atRisk.showing', { count })}
        variant="table--cases table--at-risk"
        caption={t('atRisk.caption', { queue: queueName, window: windowLabel })}
        columns={[t('field.ticketNumber'), t('field.title'), t('atRisk.kpi'), t('field.priority'), t('field.ownerId'), t('atRisk.due'), t('atRisk.risk')]}
      >
        {list.items.map((x) => {
          const left = x.dueLocal - now;
          const overdue = left <= 0;
          const duration = formatDuration(locale, left, { seconds: Math.abs(left) < 3_600_000 });
          return (
            <tr key={x.id} data-testid="at-risk-row" data-case-id={x.caseId} data-kpi={x.kpi} data-risk={x.risk}>
              <td>
                <TicketNumber value={x.ticketNumber} />
              </td>
              <td>
                <Link to={`/agent/cases/${x.caseId}`} dir="auto">
                  {x.title}
                </Link>
              </td>
              <td>{kpiLabel(t, x.kpi, x.cycle)}</td>
              <td>
                <PriorityBadge priority={x.priority} />
              </td>
              <td>{owner(x.ownerId)}</td>
              <td>
                <span className={overdue ? 'sla__countdown sla__countdown--overdue' : 'sla__countdown'} role="timer" data-testid="at-risk-countdown">
                  {overdue ? t('atRisk.overdueBy', { duration }) : t('atRisk.dueIn', { duration })}
                </span>
                <span className="at-risk__deadline">
                  <DateTime iso={x.failureAt} />
                </span>
              </td>
              <td>
                <span className={`badge ${RISK_BADGE[x.risk]}`} data-testid="at-risk-badge">
                  {t(`atRisk.risk.${x.risk}`)}
                </span>
              </td>
            </tr>
          );
        })}
      </PagedTable>
    </div>
  );
}
