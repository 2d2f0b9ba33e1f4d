/**
 * One queue: its counts and strategy, and its cases in three tabs (waiting in pick order, in
 * progress, all), paged with "load more". The counts refresh every 15 s while visible.
 */
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { getQueue, listQueueCases } from '../../api/endpoints';
import { isApiError } from '../../api/errors';
import type { QueueView, QueueWithCounts } from '../../api/types';
import { useSession } from '../../auth/session';
import { Alert, ErrorAlert } from '../../components/Alert';
import { Loading } from '../../components/Loading';
import { NotFound } from '../../components/NotFound';
import { RelativeTime } from '../../components/RelativeTime';
import { PagedTable } from '../../components/Table';
import { useOwnerLabel } from '../../components/Timeline';
import { usePagedList } from '../../components/usePagedList';
import { usePageTitle } from '../../components/usePageTitle';
import { usePolling } from '../../components/usePolling';
import { type MessageKey, useI18n } from '../../i18n';
import { AgentCaseRow } from './CaseRow';
import { REFRESH_MS, usePickNext } from './queues';
import '../../styles/agent.css';
import '../../styles/routing.css';

const VIEWS: readonly { id: QueueView; label: MessageKey }[] = [
  { id: 'waiting', label: 'queue.tabWaiting' },
  { id: 'in_progress', label: 'queue.tabInProgress' },
  { id: 'all', label: 'queue.tabAll' },
];
const viewOf = (v: string | null): QueueView => VIEWS.find((x) => x.id === v)?.id ?? 'waiting';

export default function QueuePage() {
  const { id = '' } = useParams();
  return <QueueScreen key={id} id={id} />;
}

function QueueScreen({ id }: { id: string }) {
  const { t, number } = useI18n();
  const session = useSession();
  const [params] = useSearchParams();
  const view = viewOf(params.get('view'));
  const [queue, setQueue] = useState<QueueWithCounts | null>(null);
  const [loadedAt, setLoadedAt] = useState(() => Date.now());
  const [loadError, setLoadError] = useState<unknown>(null);
  const owner = useOwnerLabel(session?.me.sub);
  usePageTitle(queue ? queue.name : t('queues.queue'));

  const loadQueue = useCallback(async (signal?: AbortSignal) => {
    try {
      const q = await getQueue(id, signal);
      setQueue(q.value);
      setLoadedAt(Date.now());
      setLoadError(null);
    } catch (e) {
      if (!signal?.aborted) setLoadError(e);
    }
  }, [id]);

  useEffect(() => {
    const ac = new AbortController();
    void loadQueue(ac.signal);
    return () => ac.abort();
  }, [loadQueue]);
  usePolling(() => void loadQueue(), REFRESH_MS);

  const list = usePagedList(`${id}|${view}`, (cursor, signal) => listQueueCases(id, { view, limit: 25, ...(cursor ? { cursor } : {}) }, signal));
  const picker = usePickNext(() => {
    void loadQueue();
    list.reload();
  });

  if (!queue) {
    if (isApiError(loadError) && (loadError.status === 404 || loadError.status === 400))
      return <NotFound backTo="/agent/queues" backLabel={t('queue.backToBoard')} />;
    if (loadError !== null) return <ErrorAlert error={loadError} />;
    return <Loading />;
  }
  const counts = queue.counts;
  const countOf: Record<QueueView, number | undefined> = {
    waiting: counts?.waiting,
    in_progress: counts?.inProgress,
    all: undefined,
  };

  return (
    <div className="page page--wide">
      <p className="breadcrumb">
        <Link to="/agent/queues">{t('queue.backToBoard')}</Link>
      </p>
      <div className="page__head">
        <h1 dir="auto">{queue.name}</h1>
        <div className="toolbar">
          <button type="button" className="button" onClick={() => { void loadQueue(); list.reload(); }}>
            {t('queues.refresh')}
          </button>
          <button type="button" className="button button--primary" aria-disabled={picker.picking !== null || undefined} onClick={() => void picker.pick(queue)}>
            {picker.picking ? t('queues.picking') : t('queues.pickNext')}
          </button>
        </div>
      </div>
      {queue.description && (
        <p className="muted" dir="auto">
          {queue.description}
        </p>
      )}
      <dl className="queue-stats" data-testid="queue-stats">
        <div>
          <dt>{t('queues.waiting')}</dt>
          <dd data-testid="queue-waiting">{counts ? number(counts.waiting) : '…'}</dd>
        </div>
        <div>
          <dt>{t('queues.inProgress')}</dt>
          <dd data-testid="queue-in-progress">{counts ? number(counts.inProgress) : '…'}</dd>
        </div>
        <div>
          <dt>{t('queues.oldestWaiting')}</dt>
          <dd>{counts?.oldestWaitingAt ? <RelativeTime iso={counts.oldestWaitingAt} now={loadedAt} /> : t('change.none')}</dd>
        </div>
        <div>
          <dt>{t('queues.strategy')}</dt>
          <dd>{t(`strategy.${queue.strategy}`)}</dd>
        </div>
      </dl>

      {picker.outcome &&
        (picker.outcome.empty ? (
          <Alert tone="info" onDismiss={picker.dismiss}>
            {t('queues.nothingWaiting', { queue: picker.outcome.queueName })}
          </Alert>
        ) : (
          <ErrorAlert error={picker.outcome.error} onDismiss={picker.dismiss} />
        ))}

      <nav aria-label={t('queue.tabsLabel')} className="views">
        <ul>
          {VIEWS.map((v) => (
            <li key={v.id}>
              <Link to={`?view=${v.id}`} className="views__link" aria-current={v.id === view ? 'page' : undefined}>
                {t(v.label)}
                {countOf[v.id] !== undefined && <span className="views__count"> ({number(countOf[v.id]!)})</span>}
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      <section aria-labelledby="queue-list-heading">
        <h2 id="queue-list-heading" className="section-title">
          {t(VIEWS.find((v) => v.id === view)!.label)}
        </h2>
        <PagedTable
          list={list}
          count={list.items.length}
          empty={t('queue.noCases')}
          variant="table--cases"
          caption={t('queue.caption', { queue: queue.name, view: t(VIEWS.find((v) => v.id === view)!.label) })}
          columns={[t('field.ticketNumber'), t('field.title'), t('field.status'), t('field.priority'), t('field.ownerId'), t('field.createdAt')]}
        >
          {list.items.map((c) => (
            <AgentCaseRow key={c.id} value={c} owner={owner(c.ownerId)} />
          ))}
        </PagedTable>
      </section>
    </div>
  );
}
