import { useI18n } from '../i18n';

/** "Updated 10:42:07" and a Refresh button (says "Loading…" while a refresh runs), for self-refreshing pages. */
export function RefreshToolbar({ loadedAt, refreshing, onRefresh, testId }: { loadedAt: number; refreshing: boolean; onRefresh: () => void; testId: string }) {
  const { t, locale } = useI18n();
  return (
    <div className="toolbar">
      <p className="muted toolbar__note" data-testid={testId}>
        {t('queues.updated', { time: new Date(loadedAt).toLocaleTimeString(locale) })}
      </p>
      <button type="button" className="button" aria-disabled={refreshing || undefined} onClick={() => !refreshing && onRefresh()}>
        {refreshing ? t('common.loading') : t('queues.refresh')}
      </button>
    </div>
  );
}
