import { useI18n } from '../i18n';

const formats = new Map<string, Intl.RelativeTimeFormat>();
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

/** "3 hours ago" / "۳ ساعت پیش": how long ago, in the user's language; the exact time on hover. */
export function relativeText(locale: string, iso: string, now: number): string {
  let f = formats.get(locale);
  if (!f) {
    f = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    formats.set(locale, f);
  }
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  if (!Number.isFinite(seconds)) return iso;
  for (const [unit, size] of UNITS) if (Math.abs(seconds) >= size) return f.format(Math.trunc(seconds / size), unit);
  return f.format(0, 'minute');
}

export function RelativeTime({ iso, now = Date.now() }: { iso: string; now?: number }) {
  const { locale, dateTime } = useI18n();
  return (
    <time dateTime={iso} title={dateTime(iso)}>
      {relativeText(locale, iso, now)}
    </time>
  );
}
