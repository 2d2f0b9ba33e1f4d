/**
 * Durations in the user's language with Intl: "1 day, 3 hr, 5 min" / "۱ روز، ۳ ساعت، ۵ دقیقه"
 * (unit formats joined by the locale's list format). Seconds only when asked for (countdowns).
 */
const units = new Map<string, Intl.NumberFormat>();
const lists = new Map<string, Intl.ListFormat>();

const unitFormat = (locale: string, unit: string) => {
  const key = `${locale}:${unit}`;
  let f = units.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' });
    units.set(key, f);
  }
  return f;
};

const listFormat = (locale: string) => {
  let f = lists.get(locale);
  if (!f) {
    f = new Intl.ListFormat(locale, { style: 'narrow', type: 'unit' });
    lists.set(locale, f);
  }
  return f;
};

const PARTS: [string, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
];

/** `ms` (absolute value) as days, hours, minutes (and seconds with `seconds`); zero parts left out. */
export function formatDuration(locale: string, ms: number, { seconds = false }: { seconds?: boolean } = {}): string {
  let rest = Math.abs(ms);
  const smallest = seconds ? 1_000 : 60_000;
  rest = Math.floor(rest / smallest) * smallest;
  const parts: string[] = [];
  for (const [unit, size] of PARTS) {
    if (size < smallest) break;
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(unitFormat(locale, unit).format(n));
  }
  if (!parts.length) return unitFormat(locale, seconds ? 'second' : 'minute').format(0);
  return listFormat(locale).format(parts);
}
