/** Small helpers the benchmark sections share: statistics and plain-text tables. */

export const median = (xs: number[]) => percentile(xs, 50);

/** Nearest-rank percentile of an unsorted sample (0 when empty). */
export function percentile(xs: number[], p: number): number {
  if (!xs.length) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export const round = (x: number, digits = 1) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

export const kb = (bytes: number) => `${round(bytes / 1024, 1)} KB`;

/** Prints a left-aligned text table; numbers are right-aligned. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((c) => String(c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || /^[-\d.,]+( ?[a-zA-Z%x/]+)?$/.test(String(r[i] ?? ''))));
  const fmt = (r: string[]) => r.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return [fmt(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(fmt)].join('\n');
}

export function section(title: string) {
  const line = '='.repeat(Math.max(60, title.length + 4));
  process.stdout.write(`\n${line}\n  ${title}\n${line}\n`);
}

export const say = (text = '') => process.stdout.write(`${text}\n`);

/** Progress lines go to stderr so the tables on stdout stay clean. */
export const progress = (text: string) => process.stderr.write(`  .. ${text}\n`);
