/**
 * Section 1: Lambda bundles. Bundles every catalogue entry the way the stack's NodejsFunction does
 * (infra/constructs/helpdesk-function.ts), reports their size, then measures cold module load by
 * spawning a fresh `node` per sample.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build } from 'esbuild';
import { CATALOGUE } from '../infra/catalogue';
import { kb, median, percentile, progress, round, say, section, table } from './lib/report';

export const REPO_ROOT = join(import.meta.dirname, '..');

/** The bundling settings of infra/constructs/helpdesk-function.ts, minus the source map. */
export const BUNDLE_OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  minify: true,
  mainFields: ['module', 'main'],
  // the construct's banner (the brief's `from 'module'` form is equivalent)
  banner: { js: "import{createRequire}from'node:module';const require=createRequire(import.meta.url);" },
  external: ['@aws-sdk/*'],
  metafile: true,
  logLevel: 'silent',
};

export const SIZE_TARGET_BYTES = 300 * 1024;
export const LOAD_RATIO_TARGET = 1.5;

type Kind = 'function' | 'baseline' | 'what-if';

interface Variant {
  name: string;
  kind: Kind;
  file: string;
  /** extra node flags (the source-map variant) */
  nodeFlags: string[];
  /** where the figure belongs: the main table or the source-map side table */
  group: 'main' | 'sourcemap';
}

export interface BundleRow {
  name: string;
  kind: Kind;
  entry: string;
  bytes: number;
  gzipBytes: number;
  withinSizeTarget: boolean;
  topInputs: { input: string; bytes: number }[];
}

export interface LoadRow {
  name: string;
  variant: 'plain' | 'sourcemap';
  samples: number;
  importMsMedian: number;
  importMsP90: number;
  processMsMedian: number;
  processMsP90: number;
  importRatioToEmpty: number;
  processRatioToEmpty: number;
  importRatioToSdkOnly: number;
  processRatioToSdkOnly: number;
  failures: number;
}

export interface BundlesResult {
  nodeVersion: string;
  samplesPerBundle: number;
  sizes: BundleRow[];
  load: LoadRow[];
  sourcemapLoad: LoadRow[];
  targets: { allWithinSize: boolean; allWithinLoadRatio: boolean; worstImportRatio: number };
  notes: string[];
}

const EMPTY_HANDLER = 'export const handler = async () => ({ statusCode: 200 });\n';
/** What every DynamoDB-backed handler pays whatever its own code: the two SDK packages it imports. */
const SDK_ONLY_HANDLER = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
export const handler = async () => ({ statusCode: 200, body: typeof DynamoDBClient + typeof DynamoDBDocumentClient });
`;

/** The child: times `await import(bundle)` and prints it; the parent times the whole process. */
const LOADER = `const t0 = performance.now();
const m = await import(process.argv[2]);
const t1 = performance.now();
if (typeof m.handler !== 'function') { console.error('no handler export'); process.exit(3); }
process.stdout.write(JSON.stringify({ importMs: t1 - t0, sinceStart: t1 }) + '\\n');
`;

/** The environment Lambda gives a function, roughly: no NODE_OPTIONS from the parent (tsx). */
function childEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_REGION: 'eu-west-1',
    TABLE_NAME: 'helpdesk',
    POWERTOOLS_SERVICE_NAME: 'helpdesk',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

function packageOf(input: string): string {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (m) return m[1]!;
  if (input.startsWith('bench/')) return 'stub';
  return input.startsWith('shared/') ? 'shared/' : input.startsWith('functions/') ? 'functions/' : input;
}

async function bundle(entry: string, outfile: string, opts: { sourcemap?: boolean; bundleSdk?: boolean } = {}) {
  const result = await build({
    ...BUNDLE_OPTIONS,
    absWorkingDir: REPO_ROOT,
    entryPoints: [entry],
    outfile,
    ...(opts.sourcemap ? { sourcemap: true, sourcesContent: false } : {}),
    ...(opts.bundleSdk ? { external: [] } : {}),
  });
  const byPackage = new Map<string, number>();
  const out = Object.values(result.metafile!.outputs).find((o) => o.entryPoint);
  for (const [input, { bytesInOutput }] of Object.entries(out?.inputs ?? {}))
    byPackage.set(packageOf(input), (byPackage.get(packageOf(input)) ?? 0) + bytesInOutput);
  return [...byPackage.entries()].map(([input, bytes]) => ({ input, bytes })).sort((a, b) => b.bytes - a.bytes);
}

function spawnOnce(loader: string, v: Variant): Promise<{ importMs: number; processMs: number } | undefined> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...v.nodeFlags, loader, pathToFileURL(v.file).href], {
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let exitedAt = 0;
    let code: number | null = null;
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', () => undefined);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('exit', (c) => {
      exitedAt = performance.now();
      code = c;
    });
    child.on('close', () => {
      clearTimeout(timer);
      try {
        if (code !== 0) return resolve(undefined);
        const { importMs } = JSON.parse(out.trim()) as { importMs: number };
        resolve({ importMs, processMs: exitedAt - t0 });
      } catch {
        resolve(undefined);
      }
    });
    child.on('error', () => resolve(undefined));
  });
}

export async function runBundles(opts: { samples: number; budgetMs: number }): Promise<BundlesResult> {
  section('1. Lambda bundles: size and cold module load');
  // Inside the repository (so `@aws-sdk/*`, left external as on Lambda, resolves from
  // node_modules); `.cache/` is gitignored.
  const work = join(REPO_ROOT, 'bench', '.cache', `bundles-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    writeFileSync(join(work, 'empty-handler.mjs'), EMPTY_HANDLER);
    writeFileSync(join(work, 'sdk-only-handler.mjs'), SDK_ONLY_HANDLER);
    const loader = join(work, 'load.mjs');
    writeFileSync(loader, LOADER);

    const entries: { name: string; kind: Kind; entry: string; bundleSdk?: boolean }[] = [
      ...CATALOGUE.map((f) => ({ name: f.name as string, kind: 'function' as const, entry: f.entry })),
      { name: '(empty handler)', kind: 'baseline' as const, entry: relative(REPO_ROOT, join(work, 'empty-handler.mjs')) },
      { name: '(sdk-only handler)', kind: 'baseline' as const, entry: relative(REPO_ROOT, join(work, 'sdk-only-handler.mjs')) },
      // what-if, not the shipped bundle: the SDK bundled in instead of taken from the runtime
      { name: '(cases, SDK bundled in)', kind: 'what-if' as const, entry: 'functions/cases.ts', bundleSdk: true },
    ];

    progress(`bundling ${entries.length} entries with esbuild...`);
    const sizes: BundleRow[] = [];
    const variants: Variant[] = [];
    for (const [i, e] of entries.entries()) {
      const file = join(work, `b${i}`, 'index.mjs');
      const top = await bundle(e.entry, file, { bundleSdk: e.bundleSdk });
      const bytes = readFileSync(file);
      sizes.push({
        name: e.name,
        kind: e.kind,
        entry: e.entry,
        bytes: bytes.length,
        gzipBytes: gzipSync(bytes, { level: 9 }).length,
        withinSizeTarget: bytes.length <= SIZE_TARGET_BYTES,
        topInputs: top.slice(0, 4),
      });
      variants.push({ name: e.name, kind: e.kind, file, nodeFlags: [], group: 'main' });
      // The stack also ships a linked source map and sets NODE_OPTIONS=--enable-source-maps.
      if (e.kind === 'function') {
        const mapped = join(work, `m${i}`, 'index.mjs');
        await bundle(e.entry, mapped, { sourcemap: true });
        variants.push({ name: e.name, kind: e.kind, file: mapped, nodeFlags: ['--enable-source-maps'], group: 'sourcemap' });
      }
    }

    say(
      table(
        ['bundle', 'minified', 'gzip -9', '<= 300 KB', 'largest inputs (bytes in output)'],
        sizes.map((s) => [
          s.name,
          kb(s.bytes),
          kb(s.gzipBytes),
          s.kind === 'function' ? (s.withinSizeTarget ? 'yes' : 'NO') : '-',
          s.topInputs
            .slice(0, 3)
            .map((t) => `${t.input} ${kb(t.bytes)}`)
            .join(', '),
        ]),
      ),
    );

    // warm the file cache once per variant, then interleave the samples round by round
    progress(`cold module load: ${variants.length} variants x ${opts.samples} fresh node processes (interleaved)...`);
    for (const v of variants) await spawnOnce(loader, v);
    const samples = new Map<Variant, { importMs: number[]; processMs: number[]; failures: number }>();
    for (const v of variants) samples.set(v, { importMs: [], processMs: [], failures: 0 });
    const deadline = Date.now() + opts.budgetMs;
    let rounds = 0;
    for (let r = 0; r < opts.samples && Date.now() < deadline; r++, rounds++)
      for (let k = 0; k < variants.length; k++) {
        const v = variants[(k + r) % variants.length]!; // rotate the order each round
        const s = samples.get(v)!;
        const m = await spawnOnce(loader, v);
        if (!m) s.failures++;
        else {
          s.importMs.push(m.importMs);
          s.processMs.push(m.processMs);
        }
      }

    const stat = (v: Variant) => {
      const s = samples.get(v)!;
      return { ...s, imp: median(s.importMs), proc: median(s.processMs) };
    };
    const empty = stat(variants.find((v) => v.name === '(empty handler)')!);
    const sdkOnly = stat(variants.find((v) => v.name === '(sdk-only handler)')!);
    const rows = (group: Variant['group']): LoadRow[] =>
      variants
        .filter((v) => v.group === group)
        .map((v) => {
          const s = stat(v);
          return {
            name: v.name,
            variant: group === 'main' ? 'plain' : 'sourcemap',
            samples: s.importMs.length,
            importMsMedian: round(s.imp, 2),
            importMsP90: round(percentile(s.importMs, 90), 2),
            processMsMedian: round(s.proc, 1),
            processMsP90: round(percentile(s.processMs, 90), 1),
            importRatioToEmpty: round(s.imp / empty.imp, 1),
            processRatioToEmpty: round(s.proc / empty.proc, 2),
            importRatioToSdkOnly: round(s.imp / sdkOnly.imp, 2),
            processRatioToSdkOnly: round(s.proc / sdkOnly.proc, 2),
            failures: s.failures,
          };
        });
    const load = rows('main');
    const sourcemapLoad = rows('sourcemap');

    say();
    say(`Cold module load, ${rounds} fresh \`node ${process.version}\` processes per bundle (medians; p90 in brackets):`);
    say(
      table(
        ['bundle', 'import ms', 'process ms', 'import / empty', 'process / empty', 'import / sdk-only', 'process / sdk-only', 'failed'],
        load.map((l) => [
          l.name,
          `${l.importMsMedian} [${l.importMsP90}]`,
          `${l.processMsMedian} [${l.processMsP90}]`,
          `${l.importRatioToEmpty}x`,
          `${l.processRatioToEmpty}x`,
          `${l.importRatioToSdkOnly}x`,
          `${l.processRatioToSdkOnly}x`,
          l.failures,
        ]),
      ),
    );
    say();
    say('Same bundles as the stack ships them: linked source map + `node --enable-source-maps` (NODE_OPTIONS in the construct):');
    say(
      table(
        ['bundle', 'import ms', 'process ms', 'import vs plain bundle'],
        sourcemapLoad.map((l) => {
          const plain = load.find((p) => p.name === l.name)!;
          return [l.name, `${l.importMsMedian} [${l.importMsP90}]`, `${l.processMsMedian} [${l.processMsP90}]`, `${round(l.importMsMedian / plain.importMsMedian, 2)}x`];
        }),
      ),
    );

    const fnLoad = load.filter((l) => variants.find((v) => v.name === l.name)?.kind === 'function');
    const worstImportRatio = Math.max(...fnLoad.map((l) => l.importRatioToEmpty));
    const notes = [
      'import ms = performance.now() around `await import(bundle)` inside a fresh process: parse + evaluate of the bundle AND of the external @aws-sdk/* packages it imports (resolved from this repo\'s node_modules, unbundled, many small files; on Lambda they come from the runtime\'s own copy).',
      'process ms = spawn to exit as seen by the parent: node start-up (~the empty handler\'s figure) + import + teardown. It is the closer stand-in for a cold start\'s init, without the Lambda runtime client.',
      `The empty handler imports nothing, so "import / empty" compares the SDK + our code against ~${round(empty.imp, 2)} ms of nothing; it is not a measure of our code alone. "import / sdk-only" compares against a handler that only imports @aws-sdk/client-dynamodb + @aws-sdk/lib-dynamodb, i.e. what our own code adds.`,
      `Measured on Node ${process.version} on this machine (bundles target node22; Lambda runs Node 22 on arm64 with a different CPU and file system), so absolute times do not transfer to Lambda; ratios travel better.`,
      'The main table bundles without a source map; the stack ships one (sourceMap: true) and sets --enable-source-maps, which the second table measures.',
      '"(cases, SDK bundled in)" is a what-if, not what the stack ships: the same entry with @aws-sdk/* bundled (external: []), to show what loading the SDK as one file instead of from node_modules changes.',
    ];
    for (const n of notes) say(`  note: ${n}`);
    return {
      nodeVersion: process.version,
      samplesPerBundle: rounds,
      sizes,
      load,
      sourcemapLoad,
      targets: {
        allWithinSize: sizes.filter((s) => s.kind === 'function').every((s) => s.withinSizeTarget),
        allWithinLoadRatio: worstImportRatio <= LOAD_RATIO_TARGET,
        worstImportRatio,
      },
      notes,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
    try {
      rmdirSync(join(work, '..')); // bench/.cache, when nothing else is in it
    } catch {
      /* not empty, or gone */
    }
  }
}
