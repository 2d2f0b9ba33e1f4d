import { useId, useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { CASE_STATUSES, PRIORITIES } from '../../../../shared/domain/case';
import type { CaseStatus, Priority } from '../../api/types';
import { useSession } from '../../auth/session';
import { SelectField, optionsOf } from '../../components/Form';
import { PagedTable } from '../../components/Table';
import { useOwnerLabel } from '../../components/Timeline';
import { useCaseList } from '../../components/useCaseList';
import { usePageTitle } from '../../components/usePageTitle';
import { type MessageKey, useI18n } from '../../i18n';
import { AgentCaseRow } from './CaseRow';
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
      <th key={key} scope="col" aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : undefined}>
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
          <SelectField
            inline
            id={statusId}
            label={t('field.status')}
            value={status ?? ''}
            onChange={(v) => update({ status: v })}
            placeholder={t('filters.all')}
            options={optionsOf(view.statuses, (s) => t(`status.${s}`))}
          />
          <SelectField
            inline
            id={priorityId}
            label={t('field.priority')}
            value={priority ?? ''}
            onChange={(v) => update({ priority: v })}
            placeholder={t('filters.all')}
            options={optionsOf(PRIORITIES, (p) => t(`priority.${p}`))}
          />
          {(status || priority) && (
            <button type="button" className="button button--ghost" onClick={() => update({ status: null, priority: null })}>
              {t('filters.clear')}
            </button>
          )}
        </form>

        <PagedTable
          list={list}
          count={rows.length}
          empty={t('agent.noCases')}
          variant="table--cases"
          caption={t('agent.tableCaption', { view: t(view.label) })}
          columns={[
            t('field.ticketNumber'),
            t('field.title'),
            sortHeader('status', 'field.status'),
            sortHeader('priority', 'field.priority'),
            t('field.ownerId'),
            sortHeader('created', 'field.createdAt'),
            sortHeader('updated', 'field.updatedAt'),
          ]}
        >
          {rows.map((c) => (
            <AgentCaseRow key={c.id} value={c} owner={owner(c.ownerId)} updated />
          ))}
        </PagedTable>
      </section>
    </div>
  );
}
