import { useI18n } from '../i18n';

/** A timestamp in the user's locale and calendar, machine-readable in dateTime. */
export function DateTime({ iso, dateOnly = false }: { iso: string; dateOnly?: boolean }) {
  const { dateTime, date } = useI18n();
  return <time dateTime={iso}>{dateOnly ? date(iso) : dateTime(iso)}</time>;
}
