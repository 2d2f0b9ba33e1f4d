/**
 * The queue board: every queue with its live counts (waiting, in progress, the oldest waiting
 * case's age), its SLA clocks at risk (breached, past their warning, due within 4 hours) and
 * strategy, and a last row for the cases in no queue; refreshes itself every 15 s while the tab
 * is visible. "Pick next" takes the most urgent, oldest waiting case and opens it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { listQueuesWithCounts } from '../../api/endpoints';
import type { AtRiskCounts, QueueWithCounts } from '../../api/types';
import { Alert, ErrorAlert } from '../../components/Alert';
import { Loading } from '../../components/Loading';
import { RefreshToolbar } from '../../components/RefreshToolbar';
import { RelativeTime } from '../../components/RelativeTime';
import { Table } from '../../components/Table';
import { usePageTitle } from '../../components/usePageTitle';
import { usePolling } from '../../components/usePolling';
import { useI18n } from '../../i18n';
import { REFRESH_MS, usePickNext } from './queues';
import { DEFAULT_WINDOW, NO_QUEUE, RISK_BADGE, useAtRiskCounts } from './sla';
import '../../styles/agent.css';
import '../../styles/routing.css';
import '../../styles/sla.css';

export default function QueueBoardPage() {
  const { t, number } = useI18n();
  const [queues, setQueues] = useState<QueueWithCounts[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [refreshing, setRefreshing] = useState(false);
  const [loadedAt, setLoadedAt] = useState<number>(() => Date.now());
  const inFlight = useRef<AbortController | null>(null);
  const risk = useAtRiskCounts(DEFAULT_WINDOW);
  usePageTitle(t('queues.title'));

  const load = useCallback(async () => {
    inFlight.current?.abort();
    const ac = new AbortController();
    inFlight.current = ac;
    setRefreshing(true);
    try {
      const items = await listQueuesWithCounts(ac.signal);
      if (ac.signal.aborted) return;
      setQueues(items);
      setLoadedAt(Date.now());
      setError(null);
    } catch (e) {
      if (!ac.signal.aborted) setError(e);
    } finally {
      if (!ac.signal.aborted) setRefreshing(false);
    }
  }, []);

  useEffect(() => {
    void load();
    return () => inFlight.current?.abort();
  }, [load]);
  usePolling(() => void load(), REFRESH_MS);
  const picker = usePickNext(() => void load());

  return (
    <div className="page page--wide">
      <div className="page__head">
        <h1>{t('queues.title')}</h1>
        <RefreshToolbar
          loadedAt={loadedAt}
          refreshing={refreshing}
          onRefresh={() => {
            void load();
            risk.reload();
          }}
          testId="queues-updated"
        />
      </div>
      <p className="muted">{t('queues.intro')}</p>

      {picker.outcome && (
        <div data-testid="pick-outcome">
          {picker.outcome.empty ? (
            <Alert tone="info" onDismiss={picker.dismiss}>
              {t('queues.nothingWaiting', { queue: picker.outcome.queueName })}
            </Alert>
          ) : (
            <ErrorAlert error={picker.outcome.error} onDismiss={picker.dismiss} />
          )}
        </div>
      )}
      {error !== null && <ErrorAlert error={error} />}
      {risk.error !== null && (
        <Alert tone="warning">
          <p className="alert__title">{t('queues.atRiskFailed')}</p>
        </Alert>
      )}
      {queues === null && error === null && <Loading />}
      {queues && queues.length === 0 && <p className="empty">{t('queues.none')}</p>}
      {queues && queues.length > 0 && (
        <Table
          variant="table--queues"
          caption={t('queues.caption')}
          columns={[
            t('queues.queue'),
            t('queues.waiting'),
            t('queues.inProgress'),
            t('queues.oldestWaiting'),
            t('queues.atRisk', { window: t(`atRisk.window.${DEFAULT_WINDOW}`) }),
            t('queues.strategy'),
          ]}
          actionsLabel={t('queues.actions')}
        >
          {queues.map((q) => (
            <tr key={q.id} data-testid="queue-row" data-queue-id={q.id}>
              <th scope="row">
                <Link to={`/agent/queues/${q.id}`} dir="auto">
                  {q.name}
                </Link>
                {q.role && <span className="tag tag--role">{t(`queueRole.${q.role}`)}</span>}
                {q.description && (
                  <span className="queue-description" dir="auto">
                    {q.description}
                  </span>
                )}
              </th>
              <td className="count" data-testid="queue-waiting">
                {q.counts ? number(q.counts.waiting) : '…'}
              </td>
              <td className="count" data-testid="queue-in-progress">
                {q.counts ? number(q.counts.inProgress) : '…'}
              </td>
              <td data-testid="queue-oldest">
                {q.counts?.oldestWaitingAt ? <RelativeTime iso={q.counts.oldestWaitingAt} now={loadedAt} /> : t('change.none')}
              </td>
              <td data-testid="queue-at-risk">
                <AtRiskCell counts={risk.of(q.id)} queueId={q.id} />
              </td>
              <td>{t(`strategy.${q.strategy}`)}</td>
              <td>
                <button
                  type="button"
                  className="button button--primary button--small"
                  aria-disabled={picker.picking !== null || undefined}
                  onClick={() => void picker.pick(q)}
                >
                  {picker.picking === q.id ? t('queues.picking') : t('queues.pickNext')}
                  <span className="visually-hidden"> {t('queues.fromQueue', { queue: q.name })}</span>
                </button>
              </td>
            </tr>
          ))}
          <tr data-testid="queue-row" data-queue-id={NO_QUEUE}>
            <th scope="row">
              <Link to={`/agent/queues/${NO_QUEUE}?view=at_risk`}>{t('atRisk.noQueue')}</Link>
              <span className="queue-description">{t('queues.noQueueHint')}</span>
            </th>
            <td className="count">{t('change.none')}</td>
            <td className="count">{t('change.none')}</td>
            <td>{t('change.none')}</td>
            <td data-testid="queue-at-risk">
              <AtRiskCell counts={risk.of(null)} queueId={NO_QUEUE} />
            </td>
            <td>{t('change.none')}</td>
            <td />
          </tr>
        </Table>
      )}
    </div>
  );
}

/**
 * Breached and warning counts as badges (with the clocks due soon in words), linking to the
 * queue's at-risk tab; the row's header names the queue (link purpose in context).
 */
function AtRiskCell({ counts, queueId }: { counts: AtRiskCounts['queues'][number] | undefined; queueId: string }) {
  const { t } = useI18n();
  if (!counts) return <span className="muted">…</span>;
  const { breached, warning, upcoming } = counts;
  const data = { 'data-breached': breached, 'data-warning': warning, 'data-upcoming': upcoming };
  if (breached + warning + upcoming === 0)
    return (
      <span className="muted" {...data}>
        {t('queues.atRiskNone')}
      </span>
    );
  return (
    <Link to={`/agent/queues/${queueId}?view=at_risk`} className="at-risk-counts" {...data}>
      {breached > 0 && <span className={`badge ${RISK_BADGE.breached}`}>{t('queues.breachedCount', { count: breached })}</span>}
      {warning > 0 && <span className={`badge ${RISK_BADGE.warning}`}>{t('queues.warningCount', { count: warning })}</span>}
      {upcoming > 0 && <span className="at-risk-counts__soon">{t('queues.upcomingCount', { count: upcoming })}</span>}
      <span className="visually-hidden"> {t('queues.atRiskShow')}</span>
    </Link>
  );
}
