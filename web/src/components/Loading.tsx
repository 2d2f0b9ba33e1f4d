import { useI18n } from '../i18n';

export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <p className="loading" role="status">
      {label ?? t('common.loading')}
    </p>
  );
}

/** Stays in place (and keeps focus) while the next page loads. */
export function LoadMoreButton({ loading, onClick }: { loading: boolean; onClick: () => void }) {
  const { t } = useI18n();
  return (
    <button type="button" className="button" aria-disabled={loading || undefined} onClick={() => !loading && onClick()}>
      {loading ? t('common.loading') : t('list.loadMore')}
    </button>
  );
}
