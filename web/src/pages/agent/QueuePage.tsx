/**
 * One queue: its counts and strategy, and its cases in tabs (waiting in pick order, in progress,
 * all, paged with "load more"; and "At risk", the queue's SLA clocks nearing or past their
 * deadline). The counts refresh every 15 s while visible, and so does the at-risk list.
 * `/agent/queues/none` is the at-risk view of the cases in no queue.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
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
import { AtRiskList } from './AtRiskList';
import { AgentCaseRow } from './CaseRow';
import { REFRESH_MS, usePickNext } from './queues';
import { type AtRiskWindow, NO_QUEUE, useAtRiskCounts, windowOf } from './sla';
import '../../styles/agent.css';
import '../../styles/routing.css';

type Tab = QueueView | 'at_risk';
const VIEWS: readonly { id: Tab; label: MessageKey }[] = [
  { id: 'waiting', label: 'queue.tabWaiting' },
  { id: 'in_progress', label: 'queue.tabInProgress' },
  { id: 'all', label: 'queue.tabAll' },
  { id: 'at_risk', label: 'queue.tabAtRisk' },
];
const viewOf = (v: string | null): Tab => VIEWS.find((x) => x.id === v)?.id ?? 'waiting';

/** The tab and the at-risk window, kept in the address (`?view=at_risk&within=240`). */
function useTabParams() {
  const [params, setParams] = useSearchParams();
  const view = viewOf(params.get('view'));
  const within = windowOf(params.get('within'));
  const setWithin = (w: AtRiskWindow) => {
    const next = new URLSearchParams(params);
    next.set('within', String(w));
    setParams(next, { replace: true });
  };
  const tabLink = (tab: Tab) => (tab === 'at_risk' && params.has('within') ? `?view=${tab}&within=${within}` : `?view=${tab}`);
  return { view, within, setWithin, tabLink };
}

export default function QueuePage() {
  const { id = '' } = useParams();
  if (id === NO_QUEUE) return <NoQueueScreen />;
  return <QueueScreen key={id} id={id} />;
}

function QueueScreen({ id }: { id: string }) {
  const { t, number } = useI18n();
  const { view, within, setWithin, tabLink } = useTabParams();
  const [queue, setQueue] = useState<QueueWithCounts | null>(null);
  const [loadedAt, setLoadedAt] = useState(() => Date.now());
  const [loadError, setLoadError] = useState<unknown>(null);
  const [refresh, setRefresh] = useState(0);
  const risk = useAtRiskCounts(within);
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

  const reloadAll = () => {
    void loadQueue();
    risk.reload();
    setRefresh((n) => n + 1);
  };
  const picker = usePickNext(reloadAll);

  if (!queue) {
    if (isApiError(loadError) && (loadError.status === 404 || loadError.status === 400))
      return <NotFound backTo="/agent/queues" backLabel={t('queue.backToBoard')} />;
    if (loadError !== null) return <ErrorAlert error={loadError} />;
    return <Loading />;
  }
  const counts = queue.counts;
  const atRisk = risk.of(queue.id);
  const countOf: Record<Tab, number | undefined> = {
    waiting: counts?.waiting,
    in_progress: counts?.inProgress,
    all: undefined,
    at_risk: atRisk ? atRisk.breached + atRisk.warning + atRisk.upcoming : undefined,
  };
  const label = t(VIEWS.find((v) => v.id === view)!.label);

  return (
    <div className="page page--wide">
      <p className="breadcrumb">
        <Link to="/agent/queues">{t('queue.backToBoard')}</Link>
      </p>
      <div className="page__head">
        <h1 dir="auto">{queue.name}</h1>
        <div className="toolbar">
          <button type="button" className="button" onClick={reloadAll}>
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

      <QueueTabs view={view} counts={countOf} tabLink={tabLink} />

      <section aria-labelledby="queue-list-heading">
        <h2 id="queue-list-heading" className="section-title">
          {label}
        </h2>
        {view === 'at_risk' ? (
          <AtRiskList queueId={queue.id} queueName={queue.name} within={within} onWithinChange={setWithin} refresh={refresh} />
        ) : (
          <QueueCases queueId={queue.id} view={view} caption={t('queue.caption', { queue: queue.name, view: label })} refresh={refresh} />
        )}
      </section>
    </div>
  );
}

function QueueTabs({ view, counts, tabLink }: { view: Tab; counts: Record<Tab, number | undefined>; tabLink: (tab: Tab) => string }) {
  const { t, number } = useI18n();
  return (
    <nav aria-label={t('queue.tabsLabel')} className="views">
      <ul>
        {VIEWS.map((v) => (
          <li key={v.id}>
            <Link to={tabLink(v.id)} className="views__link" aria-current={v.id === view ? 'page' : undefined}>
              {t(v.label)}
              {counts[v.id] !== undefined && <span className="views__count"> ({number(counts[v.id]!)})</span>}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A queue's cases in one view, paged; loaded again when the page's `refresh` changes. */
function QueueCases({ queueId, view, caption, refresh }: { queueId: string; view: QueueView; caption: string; refresh: number }) {
  const { t } = useI18n();
  const session = useSession();
  const owner = useOwnerLabel(session?.me.sub);
  const list = usePagedList(`${queueId}|${view}`, (cursor, signal) => listQueueCases(queueId, { view, limit: 25, ...(cursor ? { cursor } : {}) }, signal));
  const reload = useRef(list.reload);
  reload.current = list.reload;
  const firstRefresh = useRef(refresh);
  useEffect(() => {
    if (refresh !== firstRefresh.current) reload.current();
  }, [refresh]);
  return (
    <PagedTable
      list={list}
      count={list.items.length}
      empty={t('queue.noCases')}
      variant="table--cases"
      caption={caption}
      columns={[t('field.ticketNumber'), t('field.title'), t('field.status'), t('field.priority'), t('field.ownerId'), t('field.createdAt')]}
    >
      {list.items.map((c) => (
        <AgentCaseRow key={c.id} value={c} owner={owner(c.ownerId)} />
      ))}
    </PagedTable>
  );
}

/** The cases in no queue: only their at-risk view (the queue views need a queue). */
function NoQueueScreen() {
  const { t } = useI18n();
  const { within, setWithin } = useTabParams();
  const [refresh, setRefresh] = useState(0);
  const name = t('atRisk.noQueue');
  usePageTitle(name);
  return (
    <div className="page page--wide">
      <p className="breadcrumb">
        <Link to="/agent/queues">{t('queue.backToBoard')}</Link>
      </p>
      <div className="page__head">
        <h1>{name}</h1>
        <div className="toolbar">
          <button type="button" className="button" onClick={() => setRefresh((n) => n + 1)}>
            {t('queues.refresh')}
          </button>
        </div>
      </div>
      <p className="muted">{t('atRisk.noQueueIntro')}</p>
      <section aria-labelledby="queue-list-heading">
        <h2 id="queue-list-heading" className="section-title">
          {t('queue.tabAtRisk')}
        </h2>
        <AtRiskList queueId={NO_QUEUE} queueName={name} within={within} onWithinChange={setWithin} refresh={refresh} />
      </section>
    </div>
  );
}
