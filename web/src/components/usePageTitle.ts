import { useEffect } from 'react';
import { useI18n } from '../i18n';

/** Sets document.title to "<page> · Help desk". */
export function usePageTitle(title: string | null | undefined) {
  const { t } = useI18n();
  useEffect(() => {
    document.title = title ? `${title} · ${t('app.name')}` : t('app.name');
  }, [title, t]);
}
