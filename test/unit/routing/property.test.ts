/**
 * Property-style check: for random (seeded) rule sets and facts, `evaluate` agrees with a naive
 * reference interpreter written here from the documented semantics, independently of the engine.
 */
import { describe, expect, it } from 'vitest';
import { CASE_TYPES, ORIGINS, PRIORITIES } from '../../../shared/domain/case';
import { LANGUAGES, TIERS } from '../../../shared/domain/customer';
import { type Condition, type LeafCondition, type RoutingFacts, type RoutingRule, compileRuleSet, evaluate, validateRuleSet } from '../../../shared/domain/routing';
import { prng, refs } from './support';

// ----------------------------------------------------------------------------- reference

const FOLD: Record<string, string> = { '\u064A': '\u06CC', '\u0649': '\u06CC', '\u0643': '\u06A9' };
const DROP = new Set(['\u200C', '\u200D', '\u00AD', '\u0640', '\u0670']);
function refNormalise(s: string): string {
  let out = '';
  for (const ch of s.normalize('NFKC').toLowerCase()) {
    const c = ch.codePointAt(0)!;
    if (DROP.has(ch) || (c >= 0x064b && c <= 0x065f)) continue;
    if (c >= 0x06f0 && c <= 0x06f9) out += String(c - 0x06f0);
    else if (c >= 0x0660 && c <= 0x0669) out += String(c - 0x0660);
    else out += FOLD[ch] ?? ch;
  }
  return out;
}
const refWords = (s: string) => refNormalise(s).split(/[^\p{L}\p{M}\p{N}]+/u).filter(Boolean);
const refContains = (text: string, word: string) => ` ${refWords(text).join(' ')} `.includes(` ${refWords(word).join(' ')} `);

type V = string | number | boolean | null;
function refEq(actual: unknown, expected: V): boolean {
  if (actual === null || actual === undefined) return expected === null;
  if (typeof actual === 'string') return typeof expected === 'string' && refNormalise(actual).trim() === refNormalise(expected).trim();
  return actual === expected;
}

function refCustom(facts: RoutingFacts, key: string): V {
  return Object.hasOwn(facts.custom, key) ? (facts.custom[key] ?? null) : null;
}

function refLeaf(c: LeafCondition, f: RoutingFacts): boolean {
  const v = c.value;
  const list = (Array.isArray(v) ? v : []) as V[];
  const one = v as V;
  const enumValue: Record<string, string | null> = { caseType: f.caseType, priority: f.priority, origin: f.origin, customerTier: f.customerTier, language: f.language, product: f.productId };
  if (c.field in enumValue) {
    const a = enumValue[c.field]!;
    if (c.op === 'eq') return a === one;
    if (c.op === 'neq') return a !== one;
    if (c.op === 'in') return list.includes(a);
    if (c.op === 'not_in') return !list.includes(a);
  }
  if (c.field === 'subject') return f.subjectPath.includes(one as string);
  if (c.field === 'title' || c.field === 'description' || c.field === 'title_or_description') {
    const texts = c.field === 'title' ? [f.title] : c.field === 'description' ? [f.description] : [f.title, f.description];
    const has = (w: V) => texts.some((t) => refContains(t, w as string));
    return c.op === 'contains_any_word' ? list.some(has) : list.every(has);
  }
  if (c.field === 'tags') {
    const tags = f.tags.map((t) => refNormalise(t).trim());
    const has = (t: V) => tags.includes(refNormalise(t as string).trim());
    return c.op === 'has' ? has(one) : c.op === 'has_any' ? list.some(has) : list.every(has);
  }
  if (c.field.startsWith('custom.')) {
    const a = refCustom(f, c.field.slice(7));
    switch (c.op) {
      case 'eq':
        return refEq(a, one);
      case 'neq':
        return !refEq(a, one);
      case 'in':
        return list.some((x) => refEq(a, x));
      case 'not_in':
        return !list.some((x) => refEq(a, x));
      case 'gt':
        return typeof a === 'number' && a > (one as number);
      case 'gte':
        return typeof a === 'number' && a >= (one as number);
      case 'lt':
        return typeof a === 'number' && a < (one as number);
      case 'lte':
        return typeof a === 'number' && a <= (one as number);
    }
  }
  throw new Error(`reference: unsupported ${c.field} ${c.op}`);
}

function refCondition(c: Condition, f: RoutingFacts): boolean {
  if ('all' in c) return c.all.every((x) => refCondition(x, f));
  if ('any' in c) return c.any.some((x) => refCondition(x, f));
  if ('not' in c) return !refCondition(c.not, f);
  return refLeaf(c, f);
}

function refEvaluate(rules: RoutingRule[], f: RoutingFacts): { ruleId: string | null; evaluated: number } {
  const enabled = rules.filter((r) => r.enabled).sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1));
  let evaluated = 0;
  for (const r of enabled) {
    evaluated++;
    if (refCondition(r.conditions, f)) return { ruleId: r.id, evaluated };
  }
  return { ruleId: null, evaluated };
}

// ----------------------------------------------------------------------------- generators

const SUBJECT_PATHS = [[], ['hw'], ['hw', 'hw-printers'], ['hw', 'hw-printers', 'hw-printers-laser'], ['hw', 'hw-scanners'], ['training']];
const SUBJECT_IDS = ['hw', 'hw-printers', 'hw-printers-laser', 'hw-scanners', 'training'];
const PRODUCTS = ['p-x200', 'p-x300', null];
const TEXT_WORDS = ['printer', 'Printer', 'PRINTERS', 'jam', 'paper', 'Paper', 'scanner', 'چاپگر', 'چاپگرها', 'كار', 'کار', 'نمي‌كند', 'نمی‌کند', 'نمیکند', 'error', '42', '۴۲', 'café', 'CAFÉ', 'e-mail', 'mail', 'چـاپگر'];
const SEPARATORS = [' ', ', ', '! ', '\n', '،', ' - ', '. ', '؟ '];
const RULE_WORDS = ['printer', 'printers', 'jam', 'paper jam', 'jam paper', 'چاپگر', 'کار', 'نمی‌کند', 'كار نمي‌كند', '42', 'café', 'mail', 'e-mail', 'scanner', 'missing', 'error 42'];
const FACT_TAGS = ['eu', 'EU', 'vip', 'Onboarding', 'billing'];
const RULE_TAGS = ['eu', 'vip', 'onboarding', 'billing', 'x'];
const CUSTOM_VALUES: V[] = ['a', 'A', 'b', 0, 0.5, 3, -1, true, false, null];

type Rng = ReturnType<typeof prng>;

function genText(r: Rng): string {
  const n = r.int(7);
  let s = '';
  for (let i = 0; i < n; i++) s += (i ? r.pick(SEPARATORS) : '') + r.pick(TEXT_WORDS);
  return s;
}

function genFacts(r: Rng): RoutingFacts {
  const custom: Record<string, V> = {};
  if (r.chance(0.7)) custom.k1 = r.pick(['a', 'A ', 'b', null]);
  if (r.chance(0.7)) custom.k2 = r.pick([-1, 0, 0.5, 3, 'x']);
  if (r.chance(0.7)) custom.k3 = r.pick([true, false]);
  return {
    caseType: r.pick(CASE_TYPES),
    priority: r.pick(PRIORITIES),
    origin: r.pick(ORIGINS),
    subjectPath: r.pick(SUBJECT_PATHS),
    productId: r.pick(PRODUCTS),
    customerTier: r.pick(TIERS),
    language: r.pick(LANGUAGES),
    title: genText(r),
    description: genText(r),
    tags: r.chance(0.3) ? [] : r.some(FACT_TAGS),
    custom,
  };
}

function genLeaf(r: Rng): LeafCondition {
  const enums: [string, readonly string[]][] = [
    ['caseType', CASE_TYPES],
    ['priority', PRIORITIES],
    ['origin', ORIGINS],
    ['customerTier', TIERS],
    ['language', LANGUAGES],
    ['product', ['p-x200', 'p-x300']],
  ];
  switch (r.int(5)) {
    case 0: {
      const [field, values] = r.pick(enums);
      const op = r.pick(['eq', 'neq', 'in', 'not_in'] as const);
      return { field, op, value: op === 'eq' || op === 'neq' ? r.pick(values) : r.some(values) };
    }
    case 1:
      return { field: 'subject', op: 'within', value: r.pick(SUBJECT_IDS) };
    case 2:
      return { field: r.pick(['title', 'description', 'title_or_description']), op: r.pick(['contains_any_word', 'contains_all_words'] as const), value: r.some(RULE_WORDS, 4) };
    case 3: {
      const op = r.pick(['has', 'has_any', 'has_all'] as const);
      return { field: 'tags', op, value: op === 'has' ? r.pick(RULE_TAGS) : r.some(RULE_TAGS) };
    }
    default: {
      const field = r.pick(['custom.k1', 'custom.k2', 'custom.k3', 'custom.k4']);
      const op = r.pick(['eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte'] as const);
      if (op === 'in' || op === 'not_in') return { field, op, value: r.some(CUSTOM_VALUES) };
      if (op === 'eq' || op === 'neq') return { field, op, value: r.pick(CUSTOM_VALUES) };
      return { field, op, value: r.pick([-1, 0, 0.5, 3]) };
    }
  }
}

function genCondition(r: Rng, depth: number): Condition {
  if (depth >= 4 || r.chance(0.45)) return genLeaf(r);
  const k = r.int(3);
  if (k === 2) return { not: genCondition(r, depth + 1) };
  const children = Array.from({ length: 1 + r.int(3) }, () => genCondition(r, depth + 1));
  return k === 0 ? { all: children } : { any: children };
}

function genRules(r: Rng): RoutingRule[] {
  const n = 1 + r.int(12);
  return Array.from({ length: n }, (_, i) => ({
    id: `r${i}`,
    name: `Rule ${i}`,
    enabled: r.chance(0.85),
    // few distinct orders, so ties (broken by id) happen too
    order: r.int(n),
    conditions: genCondition(r, 1),
    actions: { queueId: r.pick(['q-it', 'q-edu', 'q-vip']) },
  }));
}

describe('evaluate agrees with a naive reference interpreter', () => {
  it('on 500 random rule sets x 20 random cases', () => {
    const r = prng(20260401);
    let matched = 0;
    let checked = 0;
    for (let iteration = 0; iteration < 500; iteration++) {
      const rules = genRules(r);
      // the generator only builds rules the validator accepts (orders may repeat on purpose)
      expect(validateRuleSet(rules, refs).filter((i) => i.code !== 'duplicate')).toEqual([]);
      const compiled = compileRuleSet(rules);
      for (let k = 0; k < 20; k++) {
        const facts = genFacts(r);
        const expected = refEvaluate(rules, facts);
        const actual = evaluate(compiled, facts);
        const got = { ruleId: actual.matched?.ruleId ?? null, evaluated: actual.evaluated, skipped: actual.skipped, explained: !actual.matched || actual.matched.reasons.length > 0 };
        const want = { ...expected, skipped: [], explained: true };
        // the context (the whole rule set) is built only for a failure
        if (JSON.stringify(got) !== JSON.stringify(want)) expect(got, JSON.stringify({ iteration, rules, facts }, null, 1)).toEqual(want);
        if (actual.matched) matched++;
        checked++;
      }
    }
    // the generator is useful only if both outcomes are common
    expect(matched).toBeGreaterThan(checked * 0.2);
    expect(matched).toBeLessThan(checked * 0.9);
  });

  it('the traced dry run reports the same outcome for every rule it looks at', () => {
    const r = prng(7);
    for (let iteration = 0; iteration < 200; iteration++) {
      const rules = genRules(r);
      const compiled = compileRuleSet(rules);
      const facts = genFacts(r);
      const { trace } = evaluate(compiled, facts, { trace: true });
      for (const t of trace!) {
        const rule = rules.find((x) => x.id === t.ruleId)!;
        expect(t.outcome).toBe(refCondition(rule.conditions, facts) ? 'matched' : 'no_match');
        expect(t.reasons.length).toBeGreaterThan(0);
      }
    }
  });
});
