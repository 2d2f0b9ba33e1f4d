import { useId, useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { CASE_STATUSES, PRIORITIES } from '../../../../shared/domain/case';
import type { CaseStatus, Priority } from '../../api/types';
import { useSession } from '../../auth/session';
import { ErrorAlert } from '../../components/Alert';
import { PriorityBadge, StatusBadge } from '../../components/Badges';
import { DateTime } from '../../components/DateTime';
import { LoadMoreButton, Loading } from '../../components/Loading';
import { TicketNumber } from '../../components/TicketNumber';
import { useOwnerLabel } from '../../components/Timeline';
import { useCaseList } from '../../components/useCaseList';
import { usePageTitle } from '../../components/usePageTitle';
import { type MessageKey, useI18n } from '../../i18n';
import { DEFAULT_VIEW, SAVED_VIEWS, SORT_KEYS, type SortDir, type SortKey, sortCases, viewById } from './views';
import '../../styles/agent.css';

const oneOf = <T extends string>(list: readonly T[], v: string | null): v is T => v !== null && (list as readonly string[]).includes(v);

export default function AgentCasesPage() {
  const { t } = useI18n();
  const session = useSession();
  const me = session!.me;
  const [params, setParams] = useSearchParams();
  const view = viewById(params.get('view') ?? DEFAULT_VIEW);
  const statusParam = params.get('status');
  const status: CaseStatus | null = oneOf(CASE_STATUSES, statusParam) && view.statuses.includes(statusParam) ? statusParam : null;
  const priorityParam = params.get('priority');
  const priority: Priority | null = oneOf(PRIORITIES, priorityParam) ? priorityParam : null;
  const sortParam = params.get('sort');
  const sort: SortKey | null = oneOf(SORT_KEYS, sortParam) ? sortParam : null;
  const dir: SortDir = params.get('dir') === 'asc' ? 'asc' : 'desc';
  const statusId = useId();
  const priorityId = useId();
  const owner = useOwnerLabel(me.sub);
  usePageTitle(t(view.label));

  const query = { ...view.query(me), ...(status ? { status } : {}), ...(priority ? { priority } : {}) };
  const list = useCaseList(query, {
    key: `${view.id}|${status ?? ''}|${priority ?? ''}|${me.sub}`,
    filter: view.filter ? (c) => view.filter!(c, me) : undefined,
  });
  const rows = useMemo(() => sortCases(list.items, sort, dir), [list.items, sort, dir]);

  /** change some query parameters, keeping the rest */
  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === '') next.delete(k);
      else next.set(k, v);
    }
    setParams(next);
  };

  const viewHref = (id: string) => {
    const next = new URLSearchParams();
    next.set('view', id);
    if (priority) next.set('priority', priority);
    if (sort) {
      next.set('sort', sort);
      next.set('dir', dir);
    }
    return `/agent?${next.toString()}`;
  };

  const sortHeader = (key: SortKey, label: MessageKey) => {
    const active = sort === key;
    const nextDir: SortDir = active && dir === 'desc' ? 'asc' : 'desc';
    return (
      <th scope="col" aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}>
        <button type="button" className="sort-button" onClick={() => update({ sort: key, dir: nextDir })}>
          {t(label)}
          <span className="sort-button__icon" aria-hidden="true">
            {active ? (dir === 'asc' ? '▲' : '▼') : '↕'}
          </span>
        </button>
      </th>
    );
  };

  return (
    <div className="page page--wide">
      <h1>{t('agent.casesTitle')}</h1>
      <nav aria-label={t('views.label')} className="views">
        <ul>
          {SAVED_VIEWS.map((v) => (
            <li key={v.id}>
              <Link to={viewHref(v.id)} className="views__link" aria-current={v.id === view.id ? 'page' : undefined}>
                {t(v.label)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      <section aria-labelledby="list-heading">
        <h2 id="list-heading" className="section-title">
          {t(view.label)}
        </h2>
        <form className="filter-bar" aria-label={t('filters.label')} onSubmit={(e) => e.preventDefault()}>
          <div className="field field--inline">
            <label htmlFor={statusId} className="field__label">
              {t('field.status')}
            </label>
            <select id={statusId} className="input select" value={status ?? ''} onChange={(e) => update({ status: e.target.value })}>
              <option value="">{t('filters.all')}</option>
              {view.statuses.map((s) => (
                <option key={s} value={s}>
                  {t(`status.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field field--inline">
            <label htmlFor={priorityId} className="field__label">
              {t('field.priority')}
            </label>
            <select id={priorityId} className="input select" value={priority ?? ''} onChange={(e) => update({ priority: e.target.value })}>
              <option value="">{t('filters.all')}</option>
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {t(`priority.${p}`)}
                </option>
              ))}
            </select>
          </div>
          {(status || priority) && (
            <button type="button" className="button button--ghost" onClick={() => update({ status: null, priority: null })}>
              {t('filters.clear')}
            </button>
          )}
        </form>

        {list.error !== null && <ErrorAlert error={list.error} />}
        {rows.length > 0 && (
          <div className="table-wrap">
            <table className="table table--cases">
              <caption className="visually-hidden">{t('agent.tableCaption', { view: t(view.label) })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('field.ticketNumber')}</th>
                  <th scope="col">{t('field.title')}</th>
                  {sortHeader('status', 'field.status')}
                  {sortHeader('priority', 'field.priority')}
                  <th scope="col">{t('field.ownerId')}</th>
                  {sortHeader('created', 'field.createdAt')}
                  {sortHeader('updated', 'field.updatedAt')}
                </tr>
              </thead>
              <tbody>
                {rows.map((c) => (
                  <tr key={c.id} data-testid="case-row">
                    <td>
                      <TicketNumber value={c.ticketNumber} />
                    </td>
                    <td>
                      <Link to={`/agent/cases/${c.id}`} dir="auto">
                        {c.title}
                      </Link>
                    </td>
                    <td>
                      <StatusBadge state={c.state} status={c.status} />
                    </td>
                    <td>
                      <PriorityBadge priority={c.priority} />
                    </td>
                    <td>{owner(c.ownerId)}</td>
                    <td>
                      <DateTime iso={c.createdAt} />
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
        {!list.loading && list.error === null && rows.length === 0 && <p className="empty">{t('agent.noCases')}</p>}
        {list.loading && rows.length === 0 && <Loading />}
        <div className="list-footer">
          {rows.length > 0 && (
            <p className="muted" aria-live="polite">
              {t('list.showing', { count: rows.length })}
            </p>
          )}
          {list.hasMore && <LoadMoreButton loading={list.loading} onClick={list.loadMore} />}
        </div>
      </section>
    </div>
  );
}
