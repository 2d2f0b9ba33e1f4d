/**
 * `npm run bench`: figures, not tests. Prints a table per section and writes the numbers to
 * bench/results/latest.json plus a timestamped copy (bench/results/ is gitignored). Nothing here
 * fails on a wall-clock figure; the run exits non-zero only when a section could not run.
 *
 *   1. Lambda bundles: size per function, cold module load against an empty handler
 *   2. Throughput through the local gateway against raw PutItem/GetItem on DynamoDB Local
 *   3. DynamoDB consumed capacity per API operation
 *   4. Web app: initial JavaScript (gzip) and time to a usable case list in headless Chromium
 *   5. Routing rules: cases/s evaluated in-process against 200 rules (compile once, evaluate many)
 *   6. Created -> assigned latency through the local runtime (stream, SQS, routing worker), p50/p99
 *   7. Inbound mail: messages/s through the whole inbound use case vs bare parsing of the same corpus
 *   8. SLA calendars: one-week deadlines per second over business-hours calendars with holidays
 *   9. SLA timers: state transitions per case (local Step Functions, the deployed definition) and their cost per 1,000 cases
 *
 * All load goes to 127.0.0.1; every loop is bounded by count and time. Knobs (environment):
 * BENCH_SAMPLES (cold-load processes per bundle, 15), BENCH_SECONDS (per throughput run, 8),
 * BENCH_WARMUP_SECONDS (3), BENCH_CONNECTIONS (10), BENCH_REPS (capacity repetitions, 3),
 * BENCH_WEB_LOADS (10), BENCH_WEB_CASES (1000), BENCH_ASSIGN_CASES (200), BENCH_ASSIGN_RATE (20 per second),
 * BENCH_MAIL_ROUNDS (5), BENCH_SLA_CASES (50 per path), BENCH_ONLY (e.g. "1,3,5").
 */
import { cpus, loadavg } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Runtime, startRuntime } from '../local/runtime';
import { type AssignmentResult, runAssignment } from './assignment';
import { MAIL_RATIO_TARGET, type MailBenchResult, runMailBench } from './mail';
import { SLA_TARGET_PER_SECOND, type SlaBenchResult, runSlaBench } from './sla';
import { type SlaTimersResult, TRANSITIONS_TARGET, runSlaTimers } from './sla-timers';
import { type BundlesResult, LOAD_RATIO_TARGET, REPO_ROOT, SIZE_TARGET_BYTES, runBundles } from './bundles';
import { type CapacityResult, runCapacity } from './capacity';
import { progress, round, say, section, table } from './lib/report';
import { ROUTING_TARGET_CASES_PER_SECOND, type RoutingBenchResult, runRouting } from './routing';
import { CREATE_RATIO_TARGET, type ThroughputResult, runThroughput } from './throughput';
import { ENTRY_GZIP_TARGET_BYTES, type WebResult, runWeb } from './web';

const num = (name: string, fallback: number, max: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.min(v, max) : fallback;
};
const SAMPLES = num('BENCH_SAMPLES', 15, 50);
const SECONDS = num('BENCH_SECONDS', 8, 30);
const WARMUP = num('BENCH_WARMUP_SECONDS', 3, 10);
const CONNECTIONS = num('BENCH_CONNECTIONS', 10, 50);
const REPS = num('BENCH_REPS', 3, 10);
const WEB_LOADS = num('BENCH_WEB_LOADS', 10, 30);
const WEB_CASES = num('BENCH_WEB_CASES', 1000, 5000);
const ASSIGN_CASES = num('BENCH_ASSIGN_CASES', 200, 2000);
const ASSIGN_RATE = num('BENCH_ASSIGN_RATE', 20, 200);
const MAIL_ROUNDS = num('BENCH_MAIL_ROUNDS', 5, 20);
const SLA_CASES = num('BENCH_SLA_CASES', 50, 500);
const ONLY = new Set((process.env.BENCH_ONLY ?? '1,2,3,4,5,6,7,8,9').split(',').map((s) => s.trim()));

// a last-resort bound on the whole run
const WATCHDOG_MS = 12 * 60_000;

interface Results {
  startedAt: string;
  finishedAt?: string;
  seconds?: number;
  machine: { node: string; platform: string; cpus: number; cpuModel: string; loadAverageAtStart: number[]; loadAverageAtEnd?: number[] };
  settings: Record<string, number>;
  bundles?: BundlesResult;
  throughput?: ThroughputResult;
  capacity?: CapacityResult;
  web?: WebResult;
  routing?: RoutingBenchResult;
  assignment?: AssignmentResult;
  mail?: MailBenchResult;
  sla?: SlaBenchResult;
  slaTimers?: SlaTimersResult;
  errors: { section: string; message: string }[];
  targets?: { name: string; met: boolean | null; figure: string }[];
}

async function main() {
  const t0 = Date.now();
  const results: Results = {
    startedAt: new Date().toISOString(),
    machine: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '?', loadAverageAtStart: loadavg().map((l) => round(l, 2)) },
    settings: { samples: SAMPLES, seconds: SECONDS, warmupSeconds: WARMUP, connections: CONNECTIONS, reps: REPS, webLoads: WEB_LOADS, webCases: WEB_CASES, assignCases: ASSIGN_CASES, assignRate: ASSIGN_RATE, mailRounds: MAIL_ROUNDS, slaCases: SLA_CASES },
    errors: [],
  };
  say(`helpdesk benchmarks - ${results.machine.cpus} x ${results.machine.cpuModel}, Node ${process.version}, load average ${results.machine.loadAverageAtStart.join(' ')}`);
  say('Figures, not pass/fail tests: they vary with whatever else the machine is doing.');

  let runtime: Runtime | undefined;
  const stopRuntime = async () => {
    const rt = runtime;
    runtime = undefined;
    await rt?.stop();
  };
  const onSignal = () => {
    process.stderr.write('\ninterrupted: stopping DynamoDB Local...\n');
    void stopRuntime().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench: gave up after ${WATCHDOG_MS / 1000}s\n`);
    void stopRuntime().finally(() => process.exit(2));
  }, WATCHDOG_MS);
  watchdog.unref();

  const attempt = async <T>(name: string, fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (e) {
      const message = (e as Error).stack ?? String(e);
      results.errors.push({ section: name, message });
      process.stderr.write(`\n[bench] section "${name}" failed:\n${message}\n`);
      return undefined;
    }
  };

  // Section 1 first, before the JVM starts competing for the two cores.
  if (ONLY.has('1')) results.bundles = await attempt('bundles', () => runBundles({ samples: SAMPLES, budgetMs: 90_000 }));
  // Section 5 is pure CPU in this process: also before the JVM starts.
  if (ONLY.has('5')) results.routing = await attempt('routing', () => runRouting());
  if (ONLY.has('7')) results.mail = await attempt('mail', () => runMailBench({ rounds: MAIL_ROUNDS }));
  if (ONLY.has('8')) results.sla = await attempt('sla', () => runSlaBench({ seconds: 5 }));

  if (ONLY.has('6')) {
    progress('starting a runtime with the stream poller and the routing worker...');
    runtime = await attempt('assignment runtime', () => startRuntime({ port: 0, seed: { cases: 0 } }));
    if (runtime) {
      const rt = runtime;
      try {
        results.assignment = await attempt('assignment', () => runAssignment(rt, { cases: ASSIGN_CASES, rate: ASSIGN_RATE }));
      } finally {
        await stopRuntime();
      }
    }
  }

  if (ONLY.has('9')) {
    progress('starting a runtime for the SLA timers (stream, sla queue, sla worker, local Step Functions)...');
    runtime = await attempt('sla timers runtime', () => startRuntime({ port: 0, seed: { cases: 0 } }));
    if (runtime) {
      const rt = runtime;
      try {
        results.slaTimers = await attempt('sla timers', () => runSlaTimers(rt, { cases: SLA_CASES }));
      } finally {
        await stopRuntime();
      }
    }
  }

  if (ONLY.has('2') || ONLY.has('3')) {
    progress('starting the local runtime (DynamoDB Local in memory, gateway on a random port)...');
    runtime = await attempt('runtime', () => startRuntime({ port: 0, seed: { cases: 0 } }));
    if (runtime) {
      const rt = runtime;
      try {
        if (ONLY.has('2')) results.throughput = await attempt('throughput', () => runThroughput(rt, { connections: CONNECTIONS, seconds: SECONDS, warmupSeconds: WARMUP }));
        if (ONLY.has('3')) results.capacity = await attempt('capacity', () => runCapacity(rt, { reps: REPS }));
      } finally {
        await stopRuntime();
      }
    }
  }

  if (ONLY.has('4')) {
    progress(`starting a runtime with ${WEB_CASES} demo cases for the web section (seeding takes a while)...`);
    runtime = await attempt('web runtime', () => startRuntime({ port: 0, seed: { cases: WEB_CASES } }));
    if (runtime) {
      const rt = runtime;
      try {
        results.web = await attempt('web', () => runWeb(rt, { loads: WEB_LOADS, cases: WEB_CASES }));
      } finally {
        await stopRuntime();
      }
    }
  }

  section('Targets');
  const b = results.bundles;
  const t = results.throughput;
  const targets: NonNullable<Results['targets']> = [];
  if (b)
    for (const s of b.sizes.filter((x) => x.kind === 'function'))
      targets.push({ name: `bundle ${s.name} <= ${SIZE_TARGET_BYTES / 1024} KB minified`, met: s.withinSizeTarget, figure: `${round(s.bytes / 1024, 1)} KB` });
  if (b) {
    const fns = b.load.filter((l) => b.sizes.find((s) => s.name === l.name)?.kind === 'function');
    const worst = fns.reduce((w, l) => (l.importRatioToEmpty > w.importRatioToEmpty ? l : w), fns[0]!);
    const worstProc = fns.reduce((w, l) => (l.processRatioToEmpty > w.processRatioToEmpty ? l : w), fns[0]!);
    const worstSdk = fns.reduce((w, l) => (l.importRatioToSdkOnly > w.importRatioToSdkOnly ? l : w), fns[0]!);
    targets.push({ name: `module load <= ${LOAD_RATIO_TARGET}x empty handler (import time, worst function)`, met: b.targets.allWithinLoadRatio, figure: `${worst.importRatioToEmpty}x (${worst.name})` });
    targets.push({ name: `  for reference: whole process <= ${LOAD_RATIO_TARGET}x empty (worst)`, met: worstProc.processRatioToEmpty <= LOAD_RATIO_TARGET, figure: `${worstProc.processRatioToEmpty}x (${worstProc.name})` });
    targets.push({ name: `  for reference: import <= ${LOAD_RATIO_TARGET}x sdk-only handler (worst)`, met: worstSdk.importRatioToSdkOnly <= LOAD_RATIO_TARGET, figure: `${worstSdk.importRatioToSdkOnly}x (${worstSdk.name})` });
  }
  if (t)
    targets.push({
      name: `create case >= ${CREATE_RATIO_TARGET * 100}% of raw PutItem throughput`,
      met: t.targets.createAtLeast40PctOfPutItem,
      figure: `${round(t.ratios.createToPutItem * 100, 1)}% (${t.gateway.createCase.rps} vs ${t.raw.putItem.rps} req/s)`,
    });
  const w = results.web;
  if (w) {
    targets.push({ name: `web entry JavaScript <= ${ENTRY_GZIP_TARGET_BYTES / 1024} KB gzip`, met: w.entry.withinTarget, figure: `${round(w.entry.jsGzipBytes / 1024, 1)} KB` });
    targets.push({ name: `time to a usable case list (${w.caseList.cases} cases, p50 of ${w.caseList.loads})`, met: null, figure: `${w.caseList.p50TotalMs} ms (${w.caseList.p50AfterSignInMs} ms after sign-in)` });
  }
  const rr = results.routing;
  if (rr) {
    targets.push({
      name: `rule evaluation >= ${ROUTING_TARGET_CASES_PER_SECOND.toLocaleString('en')} cases/s against ${rr.rules} rules (p50, realistic mix)`,
      met: rr.targets.mixMet,
      figure: `${rr.mix.p50CasesPerSecond} cases/s (${rr.mix.meanRulesEvaluated} rules looked at per case)`,
    });
    targets.push({ name: `  worst case: the match at the last of ${rr.rules} rules`, met: rr.targets.worstMet, figure: `${rr.worst.p50CasesPerSecond} cases/s` });
  }
  const as = results.assignment;
  if (as)
    targets.push({
      name: `created -> assigned through the local runtime (${as.cases} cases at ${as.ratePerSecond}/s), p50 / p99`,
      met: null,
      figure: `${as.p50Ms} / ${as.p99Ms} ms (${as.assigned} of ${as.cases} assigned)`,
    });
  const ml = results.mail;
  if (ml)
    targets.push({
      name: `inbound mail use case >= ${MAIL_RATIO_TARGET}x bare parsing (${ml.messages} messages, in-memory ports)`,
      met: ml.met,
      figure: `${ml.ratio}x (${ml.handlerPerSecond} vs ${ml.parseOnlyPerSecond} msg/s)`,
    });
  const sl = results.sla;
  if (sl)
    targets.push({
      name: `SLA deadlines >= ${SLA_TARGET_PER_SECOND.toLocaleString('en')}/s (one-week targets, calendars with holidays)`,
      met: sl.perSecond >= SLA_TARGET_PER_SECOND,
      figure: `${Math.round(sl.perSecond).toLocaleString('en')}/s`,
    });
  const st = results.slaTimers;
  if (st)
    for (const p of st.paths)
      targets.push({
        name: p.name === 'common' ? `SLA timer state transitions per case, common path (created -> first response -> resolved) <= ${TRANSITIONS_TARGET}` : '  with the first-response warning acted on',
        met: p.name === 'common' ? st.met : null,
        figure: `${p.transitionsPerCase.mean} (max ${p.transitionsPerCase.max}); $${p.costPer1000.total.toFixed(4)} per 1,000 cases`,
      });
  results.targets = targets;
  say(table(['target', 'met', 'figure'], targets.map((x) => [x.name, x.met === null ? '-' : x.met ? 'yes' : 'no', x.figure])));
  if (b && !b.targets.allWithinLoadRatio)
    say('  note: the module-load target compares against a handler that imports nothing; the SDK that every DynamoDB handler imports is most of the gap (see the sdk-only rows in section 1).');

  results.machine.loadAverageAtEnd = loadavg().map((l) => round(l, 2));
  say(
    `  note: load average (1/5/15 min) ${results.machine.loadAverageAtStart.join(' ')} before this run started, ${results.machine.loadAverageAtEnd.join(' ')} at its end, on ${results.machine.cpus} cores: a start figure well above 0 means other work was sharing the machine.`,
  );
  results.finishedAt = new Date().toISOString();
  results.seconds = round((Date.now() - t0) / 1000, 1);
  const dir = join(REPO_ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(results, null, 2)}\n`;
  writeFileSync(join(dir, 'latest.json'), json);
  const stampName = `${results.startedAt.replace(/[:.]/g, '-')}.json`;
  writeFileSync(join(dir, stampName), json);
  say();
  say(`Results: bench/results/latest.json and bench/results/${stampName} (${results.seconds}s in all)`);
  if (results.errors.length) say(`${results.errors.length} section(s) failed to run: ${results.errors.map((e) => e.section).join(', ')}`);
  clearTimeout(watchdog);
  return results.errors.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
