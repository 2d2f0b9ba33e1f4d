/**
 * The queue board: every queue with its live counts (waiting, in progress, the oldest waiting
 * case's age) and strategy; refreshes itself every 15 s while the tab is visible. "Pick next"
 * takes the most urgent, oldest waiting case and opens it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { listQueuesWithCounts } from '../../api/endpoints';
import type { QueueWithCounts } from '../../api/types';
import { Alert, ErrorAlert } from '../../components/Alert';
import { Loading } from '../../components/Loading';
import { RefreshToolbar } from '../../components/RefreshToolbar';
import { RelativeTime } from '../../components/RelativeTime';
import { Table } from '../../components/Table';
import { usePageTitle } from '../../components/usePageTitle';
import { usePolling } from '../../components/usePolling';
import { useI18n } from '../../i18n';
import { REFRESH_MS, usePickNext } from './queues';
import '../../styles/agent.css';
import '../../styles/routing.css';

export default function QueueBoardPage() {
  const { t, number } = useI18n();
  const [queues, setQueues] = useState<QueueWithCounts[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [refreshing, setRefreshing] = useState(false);
  const [loadedAt, setLoadedAt] = useState<number>(() => Date.now());
  const inFlight = useRef<AbortController | null>(null);
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
        <RefreshToolbar loadedAt={loadedAt} refreshing={refreshing} onRefresh={() => void load()} testId="queues-updated" />
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
      {queues === null && error === null && <Loading />}
      {queues && queues.length === 0 && <p className="empty">{t('queues.none')}</p>}
      {queues && queues.length > 0 && (
        <Table
          variant="table--queues"
          caption={t('queues.caption')}
          columns={[t('queues.queue'), t('queues.waiting'), t('queues.inProgress'), t('queues.oldestWaiting'), t('queues.strategy')]}
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
        </Table>
      )}
    </div>
  );
}
