/** Tables: the scrolling wrapper, a caption for screen readers, the header row; and a paged list as a table. */
import type { ReactElement, ReactNode } from 'react';
import { useI18n } from '../i18n';
import { ErrorAlert } from './Alert';
import { LoadMoreButton, Loading } from './Loading';
import type { PagedList } from './usePagedList';

export interface TableProps {
  /** more classes after `table` */
  variant?: string;
  /** read by screen readers only */
  caption: string;
  /** a header cell each: a text (a `th scope="col"`) or a keyed `th` of its own */
  columns: readonly (string | ReactElement)[];
  /** a last column of row actions, named for screen readers only */
  actionsLabel?: string;
  /** the rows */
  children: ReactNode;
}

export function Table({ variant, caption, columns, actionsLabel, children }: TableProps) {
  return (
    <div className="table-wrap">
      <table className={variant ? `table ${variant}` : 'table'}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) =>
              typeof c === 'string' ? (
                <th key={c} scope="col">
                  {c}
                </th>
              ) : (
                c
              ),
            )}
            {actionsLabel !== undefined && (
              <th scope="col">
                <span className="visually-hidden">{actionsLabel}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/**
 * A paged list as a table: its error, the table while it has rows, else "none" or loading, and a
 * footer with how many are shown and "load more".
 */
export function PagedTable({
  list,
  count,
  empty,
  showing,
  ...table
}: TableProps & {
  list: Pick<PagedList<unknown>, 'loading' | 'error' | 'hasMore' | 'loadMore'>;
  /** how many rows are shown */
  count: number;
  /** said when the list is empty */
  empty: string;
  /** "Showing {count} …" for what the rows are (cases when not given) */
  showing?: (count: number) => string;
}) {
  const { t } = useI18n();
  return (
    <>
      {list.error !== null && <ErrorAlert error={list.error} />}
      {count > 0 && <Table {...table} />}
      {!list.loading && list.error === null && count === 0 && <p className="empty">{empty}</p>}
      {list.loading && count === 0 && <Loading />}
      <div className="list-footer">
        {count > 0 && (
          <p className="muted" aria-live="polite">
            {showing ? showing(count) : t('list.showing', { count })}
          </p>
        )}
        {list.hasMore && <LoadMoreButton loading={list.loading} onClick={list.loadMore} />}
      </div>
    </>
  );
}
