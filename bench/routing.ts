/**
 * Section 5: routing rule evaluation in-process. 200 seeded rules with a realistic mix (most do
 * not match a given case; word rules in English and Persian, subject-within rules, tier rules,
 * tag and custom-field rules) against 10,000 seeded cases: compile once, evaluate many.
 * Reports the compile time, cases/s for the mix (p50 of several runs), and the worst case where
 * every rule is evaluated and only the last one matches. Bounded by count and by a time budget.
 *
 * Alone: `npx tsx bench/routing.ts` (knobs: BENCH_ROUTING_RULES, BENCH_ROUTING_CASES, BENCH_ROUTING_RUNS).
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { CASE_TYPES, ORIGINS, PRIORITIES } from '../shared/domain/case';
import { LANGUAGES } from '../shared/domain/customer';
import {
  type Condition,
  type RoutingFacts,
  type RoutingRefs,
  type RoutingRule,
  compileRuleSet,
  evaluate,
  validateRuleSet,
} from '../shared/domain/routing';
import { median, progress, round, say, section, table } from './lib/report';
import { mulberry32 } from '../shared/prng';

export const ROUTING_TARGET_CASES_PER_SECOND = 10_000;

export interface RoutingBenchOptions {
  rules?: number;
  cases?: number;
  runs?: number;
  /** stop adding runs after this long (each scenario); at least one run always happens */
  budgetMs?: number;
  seed?: number;
}

export interface RoutingScenario {
  name: string;
  runs: number;
  /** cases/s of each run */
  casesPerSecond: number[];
  p50CasesPerSecond: number;
  /** p50 microseconds per case */
  p50MicrosPerCase: number;
  /** share of cases some rule matched */
  matchedPct: number;
  /** mean rules looked at per case */
  meanRulesEvaluated: number;
}

export interface RoutingBenchResult {
  rules: number;
  cases: number;
  /** issues validateRuleSet found in the generated rules (expected 0) */
  validationIssues: number;
  compile: { samples: number; p50Ms: number; maxMs: number };
  mix: RoutingScenario;
  /** 199 rules evaluated in full without matching, the 200th matches */
  worst: RoutingScenario;
  /** one compile plus one pass over all cases, as a cold worker would do */
  compilePlusEvaluate: { ms: number; casesPerSecond: number };
  targets: { casesPerSecond: number; mixMet: boolean; worstMet: boolean };
}

// ---------------------------------------------------------------------------------------------
// seeded data

function prng(seed: number) {
  const next = mulberry32(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const some = <T>(xs: readonly T[], min: number, max: number): T[] => {
    const n = Math.min(xs.length, min + int(max - min + 1));
    const out = new Set<T>();
    while (out.size < n) out.add(pick(xs));
    return [...out];
  };
  return { int, pick, some, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof prng>;

const COMMON = (
  'the a is not and my our please help since yesterday morning again when i try to open it shows error ' +
  'cannot works working slow very after update new old account order invoice screen page button login ' +
  'customer team office we need urgent today problem issue question request thanks hello'
).split(' ');
const KEYWORDS = (
  'printer scanner toner paper jam wifi vpn router laptop monitor keyboard mouse battery charger ' +
  'password reset locked license install upgrade refund billing payment card charge subscription ' +
  'training course webinar certificate exam workshop manual tutorial onboarding migration backup restore ' +
  'outage latency timeout crash freeze bluetooth headset camera microphone'
).split(' ');
// Persian, some written with Arabic kaf/yeh as phones often do
const PERSIAN_COMMON = ['كار', 'نمي‌كند', 'است', 'لطفا', 'سلام', 'مشكل', 'حساب', 'کاربری', 'من', 'از', 'دیروز', 'به', 'با', 'این', 'که', 'را'];
const PERSIAN_KEYWORDS = ['چاپگر', 'رمز', 'عبور', 'فاکتور', 'پرداخت', 'آموزش', 'دوره', 'اینترنت', 'قطع', 'اسکنر', 'گواهینامه', 'بازپرداخت'];
const PERSIAN_RULE_WORDS = ['چاپگر', 'چاپگر کار نمی‌کند', 'رمز عبور', 'فاکتور', 'پرداخت', 'آموزش', 'اینترنت قطع', 'اسکنر', 'گواهینامه', 'بازپرداخت'];
const TAGS = ['eu', 'us', 'beta', 'partner', 'renewal', 'churn-risk', 'onboarding', 'education'];

interface Catalogue {
  subjects: { id: string; path: string[] }[];
  products: string[];
  queues: string[];
  refs: RoutingRefs;
}

function catalogue(): Catalogue {
  const subjects: { id: string; path: string[] }[] = [];
  for (let a = 0; a < 6; a++) {
    const top = `s${a}`;
    subjects.push({ id: top, path: [top] });
    for (let b = 0; b < 4; b++) {
      const mid = `${top}.${b}`;
      subjects.push({ id: mid, path: [top, mid] });
      for (let c = 0; c < 3; c++) {
        const leaf = `${mid}.${c}`;
        subjects.push({ id: leaf, path: [top, mid, leaf] });
      }
    }
  }
  const products = Array.from({ length: 30 }, (_, i) => `p${i}`);
  const queues = Array.from({ length: 20 }, (_, i) => `q${i}`);
  return {
    subjects,
    products,
    queues,
    refs: { queueIds: new Set(queues), subjectIds: new Set(subjects.map((s) => s.id)), productIds: new Set(products) },
  };
}

function generateRules(r: Rng, count: number, cat: Catalogue): RoutingRule[] {
  const rules: RoutingRule[] = [];
  for (let i = 0; i < count; i++) {
    const kind = r.int(100);
    let conditions: Condition;
    if (kind < 30) {
      // word rules, one in four in Persian
      const persian = r.chance(0.25);
      const words = persian ? r.some(PERSIAN_RULE_WORDS, 1, 3) : r.some(KEYWORDS, 1, 6);
      const field = r.pick(['title', 'title_or_description', 'title_or_description', 'description']);
      const leaf: Condition = { field, op: r.chance(0.85) ? 'contains_any_word' : 'contains_all_words', value: words };
      conditions = r.chance(0.4) ? { all: [leaf, { field: 'caseType', op: 'in', value: r.some(CASE_TYPES, 1, 2) }] } : leaf;
    } else if (kind < 55) {
      // subject within (a mid or leaf subject), sometimes with a product or a type
      const subject = r.pick(cat.subjects.filter((s) => s.path.length > 1)).id;
      const within: Condition = { field: 'subject', op: 'within', value: subject };
      conditions = r.chance(0.5)
        ? { all: [within, r.chance(0.5) ? { field: 'product', op: 'in', value: r.some(cat.products, 1, 4) } : { field: 'caseType', op: 'eq', value: r.pick(CASE_TYPES) }] }
        : within;
    } else if (kind < 70) {
      // tier rules: VIP/premium plus something else
      conditions = {
        all: [
          { field: 'customerTier', op: 'eq', value: r.pick(['vip', 'premium']) },
          r.chance(0.5) ? { field: 'origin', op: 'in', value: r.some(ORIGINS, 1, 2) } : { field: 'priority', op: 'in', value: ['high', 'urgent'] },
          { field: 'language', op: 'eq', value: r.pick(LANGUAGES) },
          { field: 'caseType', op: 'in', value: r.some(CASE_TYPES, 1, 2) },
        ],
      };
    } else if (kind < 85) {
      // enum combinations with a negation
      conditions = {
        all: [
          { field: 'origin', op: 'eq', value: r.pick(ORIGINS) },
          { field: 'caseType', op: 'eq', value: r.pick(CASE_TYPES) },
          { not: { field: 'priority', op: 'eq', value: 'low' } },
          { field: 'product', op: 'in', value: r.some(cat.products, 2, 5) },
        ],
      };
    } else {
      // tags and custom fields
      conditions = r.chance(0.5)
        ? { all: [{ field: 'tags', op: 'has_any', value: r.some(TAGS, 1, 2) }, { field: 'customerTier', op: 'eq', value: 'vip' }] }
        : { any: [{ field: 'custom.sentimentScore', op: 'lte', value: -0.9 - r.int(9) / 100 }, { field: 'custom.deviceModel', op: 'in', value: [`m${r.int(40)}`, `m${r.int(40)}`] }] };
    }
    rules.push({
      id: `rule-${i}`,
      name: `Generated rule ${i}`,
      enabled: r.chance(0.95),
      order: i + 1,
      conditions,
      actions: r.chance(0.8) ? { queueId: r.pick(cat.queues), ...(r.chance(0.2) ? { priority: r.pick(PRIORITIES) } : {}) } : { tags: [r.pick(TAGS)] },
    });
  }
  // shuffle the orders so list order and evaluation order differ
  const orders = rules.map((x) => x.order);
  for (let i = orders.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [orders[i], orders[j]] = [orders[j]!, orders[i]!];
  }
  rules.forEach((x, i) => {
    x.order = orders[i]!;
  });
  return rules;
}

function sentence(r: Rng, min: number, max: number, persian: boolean): string {
  const n = min + r.int(max - min + 1);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const roll = r.int(100);
    const rare = r.int(1000);
    if (persian) out.push(roll < 1 ? r.pick(KEYWORDS) : roll < 3 ? r.pick(PERSIAN_KEYWORDS) : r.pick(PERSIAN_COMMON));
    else out.push(rare < 8 ? r.pick(KEYWORDS) : rare < 10 ? r.pick(KEYWORDS).toUpperCase() : r.pick(COMMON));
  }
  return `${out.join(r.chance(0.2) ? ', ' : ' ')}${r.pick(['.', '!', '?', ''])}`;
}

function generateFacts(r: Rng, count: number, cat: Catalogue): RoutingFacts[] {
  return Array.from({ length: count }, () => {
    const language = r.chance(0.3) ? 'fa' : 'en';
    const persian = language === 'fa';
    const custom: Record<string, string | number | boolean | null> = {};
    if (r.chance(0.6)) custom.sentimentScore = round(r.int(200) / 100 - 1, 2);
    if (r.chance(0.4)) custom.deviceModel = `m${r.int(400)}`;
    return {
      caseType: r.pick(CASE_TYPES),
      priority: r.pick(['low', 'normal', 'normal', 'normal', 'high', 'urgent'] as const),
      origin: r.pick(ORIGINS),
      subjectPath: r.chance(0.15) ? [] : r.pick(cat.subjects).path,
      productId: r.chance(0.4) ? null : r.pick(cat.products),
      customerTier: r.pick(['standard', 'standard', 'standard', 'standard', 'premium', 'vip'] as const),
      language,
      title: sentence(r, 3, 10, persian),
      description: sentence(r, 15, 80, persian),
      tags: r.chance(0.7) ? [] : r.some(TAGS, 1, 2),
      custom,
    };
  });
}

/** The seeded workload: catalogue (and the refs to validate against), rules and case facts. */
export function routingWorkload(seed: number, ruleCount: number, caseCount: number) {
  const r = prng(seed);
  const cat = catalogue();
  const rules = generateRules(r, ruleCount, cat);
  const facts = generateFacts(r, caseCount, cat);
  return { refs: cat.refs, queues: cat.queues, rules, facts };
}

// ---------------------------------------------------------------------------------------------
// measurement

function measure(name: string, compiled: ReturnType<typeof compileRuleSet>, facts: RoutingFacts[], runs: number, budgetMs: number): RoutingScenario {
  // warm-up pass (JIT), not counted
  for (const f of facts) evaluate(compiled, f);
  const rates: number[] = [];
  const micros: number[] = [];
  let matched = 0;
  let looked = 0;
  const start = performance.now();
  for (let run = 0; run < runs; run++) {
    let m = 0;
    let e = 0;
    const t0 = performance.now();
    for (let i = 0; i < facts.length; i++) {
      const res = evaluate(compiled, facts[i]!);
      if (res.matched) m++;
      e += res.evaluated;
    }
    const ms = performance.now() - t0;
    rates.push(Math.round(facts.length / (ms / 1000)));
    micros.push((ms * 1000) / facts.length);
    matched = m;
    looked = e;
    progress(`${name}: run ${run + 1}/${runs} ${Math.round(facts.length / (ms / 1000))} cases/s`);
    if (performance.now() - start > budgetMs) break;
  }
  return {
    name,
    runs: rates.length,
    casesPerSecond: rates,
    p50CasesPerSecond: median(rates),
    p50MicrosPerCase: round(median(micros), 2),
    matchedPct: round((matched / facts.length) * 100, 1),
    meanRulesEvaluated: round(looked / facts.length, 1),
  };
}

export async function runRouting(options: RoutingBenchOptions = {}): Promise<RoutingBenchResult> {
  const ruleCount = options.rules ?? 200;
  const caseCount = options.cases ?? 10_000;
  const runs = options.runs ?? 7;
  const budgetMs = options.budgetMs ?? 4_000;
  section(`5. Routing rules: evaluation in-process (${ruleCount} rules, ${caseCount} cases)`);
  const seed = options.seed ?? 4;
  const { refs, queues, rules, facts } = routingWorkload(seed, ruleCount, caseCount);
  const validationIssues = validateRuleSet(rules, refs).length;

  // compile: p50 of a few samples
  const compileMs: number[] = [];
  let compiled = compileRuleSet(rules);
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    compiled = compileRuleSet(rules);
    compileMs.push(performance.now() - t0);
  }

  // a cold worker: compile, then one pass (the first pass includes JIT warm-up)
  const coldRules = routingWorkload(seed + 1, ruleCount, 0).rules;
  const tCold = performance.now();
  const cold = compileRuleSet(coldRules);
  for (const f of facts) evaluate(cold, f);
  const coldMs = performance.now() - tCold;

  const mix = measure('mix', compiled, facts, runs, budgetMs);

  // worst case: all 200 rules enabled, none of the first 199 matches, the last one does
  const never: Condition = { field: 'custom.neverSet', op: 'eq', value: 'never' };
  const worstRules: RoutingRule[] = rules.slice(0, ruleCount - 1).map((x, i) => ({
    ...x,
    enabled: true,
    order: i + 1,
    // evaluated exactly as in the mix; a rule that would match then fails on the extra condition
    conditions: { all: [x.conditions, never] },
  }));
  worstRules.push({ id: 'last', name: 'Catch-all', enabled: true, order: ruleCount, conditions: { field: 'caseType', op: 'in', value: [...CASE_TYPES] }, actions: { queueId: queues[0]! } });
  const worst = measure('worst', compileRuleSet(worstRules), facts, runs, budgetMs);

  const result: RoutingBenchResult = {
    rules: ruleCount,
    cases: caseCount,
    validationIssues,
    compile: { samples: compileMs.length, p50Ms: round(median(compileMs), 3), maxMs: round(Math.max(...compileMs), 3) },
    mix,
    worst,
    compilePlusEvaluate: { ms: round(coldMs, 1), casesPerSecond: Math.round(caseCount / (coldMs / 1000)) },
    targets: {
      casesPerSecond: ROUTING_TARGET_CASES_PER_SECOND,
      mixMet: mix.p50CasesPerSecond >= ROUTING_TARGET_CASES_PER_SECOND,
      worstMet: worst.p50CasesPerSecond >= ROUTING_TARGET_CASES_PER_SECOND,
    },
  };

  say(`compile ${ruleCount} rules: p50 ${result.compile.p50Ms} ms (max ${result.compile.maxMs} ms over ${result.compile.samples}); validation issues in the generated set: ${validationIssues}`);
  say(
    table(
      ['scenario', 'runs', 'p50 cases/s', 'p50 us/case', 'matched %', 'rules looked at'],
      [mix, worst].map((s) => [s.name === 'mix' ? 'realistic mix, first match wins' : 'worst case: match at the last rule', s.runs, s.p50CasesPerSecond, s.p50MicrosPerCase, s.matchedPct, s.meanRulesEvaluated]),
    ),
  );
  say(`cold worker (compile + first pass over ${caseCount} cases, JIT included): ${result.compilePlusEvaluate.ms} ms = ${result.compilePlusEvaluate.casesPerSecond} cases/s`);
  say(`target >= ${ROUTING_TARGET_CASES_PER_SECOND.toLocaleString('en')} cases/s against ${ruleCount} rules: mix ${result.targets.mixMet ? 'met' : 'NOT met'}, worst case ${result.targets.worstMet ? 'met' : 'NOT met'}`);
  return result;
}

const num = (name: string, fallback: number, max: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.min(v, max) : fallback;
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runRouting({ rules: num('BENCH_ROUTING_RULES', 200, 1000), cases: num('BENCH_ROUTING_CASES', 10_000, 100_000), runs: num('BENCH_ROUTING_RUNS', 7, 30) }).then(
    () => process.exit(0),
    (e) => {
      process.stderr.write(`${(e as Error).stack ?? e}\n`);
      process.exit(1);
    },
  );
}
