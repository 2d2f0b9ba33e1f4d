/**
 * Section 4: the web app. The initial JavaScript a visitor downloads for the entry page (gzip),
 * and the time to a usable case list in headless Chromium against the local runtime holding
 * 1,000 cases (p50 of N cold page loads, each in a fresh browser context).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, ensureChromium } from '../local/chromium';
import type { Runtime } from '../local/runtime';
import { REPO_ROOT } from './bundles';
import { progress, round, say, section, table } from './lib/report';

export const ENTRY_GZIP_TARGET_BYTES = 200 * 1024;

export interface WebResult {
  entry: { files: { file: string; bytes: number; gzipBytes: number }[]; jsGzipBytes: number; cssGzipBytes: number; withinTarget: boolean };
  caseList: { cases: number; loads: number; totalMs: number[]; afterSignInMs: number[]; p50TotalMs: number; p50AfterSignInMs: number; rowsShown: number };
  notes: string[];
}

/** The files index.html makes the browser fetch before the app can run: module entry, preloads, CSS. */
export function entryFiles(dist = join(REPO_ROOT, 'web', 'dist')) {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="([^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  return [...new Set(refs)].map((ref) => {
    const body = readFileSync(join(dist, ref.replace(/^\//, '')));
    return { file: ref, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length };
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : Number.NaN;
};

export async function runWeb(rt: Runtime, opts: { loads: number; cases: number }): Promise<WebResult> {
  section('4. Web app: initial JavaScript and time to a usable case list');
  const files = entryFiles();
  const js = files.filter((f) => f.file.endsWith('.js')).reduce((a, f) => a + f.gzipBytes, 0);
  const css = files.filter((f) => f.file.endsWith('.css')).reduce((a, f) => a + f.gzipBytes, 0);
  say(table(['entry file', 'bytes', 'gzip -9'], files.map((f) => [f.file, f.bytes, f.gzipBytes])));
  say(`initial JavaScript (gzip): ${round(js / 1024, 1)} KB (target <= ${ENTRY_GZIP_TARGET_BYTES / 1024} KB); CSS ${round(css / 1024, 1)} KB`);

  // the demo data's cases are being routed in the background (stream -> SQS -> worker): let that
  // settle first, so the page loads measure the app, not the seeding's aftermath (bounded: 180 s)
  progress('waiting for background routing of the demo cases to settle...');
  for (let i = 0, quiet = 0; i < 360 && quiet < 3; i++) {
    const depths = await Promise.all(rt.consumers.map((c) => c.depth()));
    quiet = depths.every((d) => d.visible + d.inFlight === 0) ? quiet + 1 : 0;
    await new Promise((r) => setTimeout(r, 500));
  }

  ensureChromium();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const totalMs: number[] = [];
  const afterSignInMs: number[] = [];
  let rowsShown = 0;
  try {
    progress(`${opts.loads} cold loads: sign in as agent1, wait for the first case row...`);
    for (let i = 0; i < opts.loads; i++) {
      const context = await browser.newContext({ locale: 'en-GB' });
      const page = await context.newPage();
      const t0 = performance.now();
      await page.goto(`${rt.url}/login`);
      const button = page.getByRole('button', { name: 'Sign in as agent1@example.com' });
      await button.waitFor({ timeout: 20_000 });
      const t1 = performance.now();
      await button.click();
      await page.getByRole('link', { name: 'All active' }).click();
      await page.getByTestId('case-row').first().waitFor({ timeout: 20_000 });
      const t2 = performance.now();
      rowsShown = await page.getByTestId('case-row').count();
      totalMs.push(round(t2 - t0, 1));
      afterSignInMs.push(round(t2 - t1, 1));
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const result: WebResult = {
    entry: { files, jsGzipBytes: js, cssGzipBytes: css, withinTarget: js <= ENTRY_GZIP_TARGET_BYTES },
    caseList: { cases: opts.cases, loads: opts.loads, totalMs, afterSignInMs, p50TotalMs: median(totalMs), p50AfterSignInMs: median(afterSignInMs), rowsShown },
    notes: [
      `Each load is a fresh browser context (empty cache): open /login, sign in as agent1 with the demo button, open "All active", wait for the first case row. The table holds ${opts.cases} demo cases.`,
      'Tokens live in memory only, so every load signs in; "after sign-in" excludes loading the login page.',
    ],
  };
  say(
    table(
      ['measure', 'p50 ms', 'all loads (ms)'],
      [
        ['open /login -> first case row', result.caseList.p50TotalMs, totalMs.join(' ')],
        ['sign-in click -> first case row', result.caseList.p50AfterSignInMs, afterSignInMs.join(' ')],
      ],
    ),
  );
  say(`rows on the first page: ${rowsShown}`);
  for (const n of result.notes) say(`  note: ${n}`);
  return result;
}
