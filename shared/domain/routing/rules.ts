/**
 * Routing rules: an ordered rule set whose conditions test the facts of a case (./fields.ts) and
 * whose actions set the queue, the priority and tags. Pure: no I/O, no clock.
 *
 * Life of a rule set:
 * 1. `validateRuleSet(rules, refs)` when an admin saves (every issue with a precise path);
 * 2. `compileRuleSet(rules)` once per loaded rule set (cache it while the rules are unchanged);
 * 3. `evaluate(compiled, facts)` per case: the first enabled rule, in `order`, whose conditions
 *    hold wins; no match -> `matched: null` and the caller routes to the default queue
 *    (`decideRouting` does that); a rule that throws is skipped and reported, never blocks routing;
 * 4. `explainResult(result)` -> the text written to the case timeline.
 */
import { PRIORITIES, type Priority } from '../case';
import { type FieldIssue, validationError } from '../errors';
import { Issues, checkString, isRecord, quote, typeName } from '../validation';
import {
  FIELDS,
  type FieldDef,
  type FieldRegistry,
  OPERATORS,
  type Operator,
  type RefKind,
  type RoutingFacts,
  type Scalar,
  lookupField,
} from './fields';
import { SKILL_LEVEL_MAX, SKILL_LEVEL_MIN } from './assignment';
import { containsSequence, normaliseKey, words } from './text';

// ---------------------------------------------------------------------------------------------
// Rule model

export interface LeafCondition {
  field: string;
  op: Operator;
  value: Scalar | readonly Scalar[];
}
export type Condition = { all: Condition[] } | { any: Condition[] } | { not: Condition } | LeafCondition;

export interface RuleActions {
  queueId?: string;
  priority?: Priority;
  tags?: string[];
  /** a named agent gets the case when available with room; otherwise the queue's strategy decides */
  agentId?: string;
  /** skill levels the case needs, added to the queue's own for the skills strategy */
  skills?: Record<string, number>;
}

export interface RoutingRule {
  id: string;
  name: string;
  description?: string;
  enabled: boolean;
  /** evaluation order, ascending; unique within a rule set */
  order: number;
  conditions: Condition;
  /** at least one of queueId, priority, tags */
  actions: RuleActions;
}

/** The ids rules may reference, loaded by the caller when validating. */
export interface RoutingRefs {
  queueIds: ReadonlySet<string>;
  subjectIds: ReadonlySet<string>;
  productIds: ReadonlySet<string>;
  /** agents a rule may name (none when absent) */
  agentIds?: ReadonlySet<string>;
}

/** Display names for explanations ("subject is within Hardware (id s1)"); all optional. */
export interface RoutingNames {
  queues?: ReadonlyMap<string, string>;
  subjects?: ReadonlyMap<string, string>;
  products?: ReadonlyMap<string, string>;
  agents?: ReadonlyMap<string, string>;
}

export const LIMITS = {
  rules: 1000,
  /** levels of conditions, the root condition being level 1 */
  depth: 5,
  /** leaf conditions per rule */
  leaves: 50,
  /** words (or phrases) in one word condition */
  words: 100,
  wordLength: 64,
  /** words in one phrase */
  phraseWords: 5,
  /** values in an `in`/`not_in`/`has_any`/`has_all` list */
  list: 200,
  stringLength: 200,
  tags: 20,
  tagLength: 64,
  idLength: 128,
  nameLength: 120,
  descriptionLength: 1000,
} as const;

const REF_SET: Record<RefKind, keyof RoutingRefs> = { queue: 'queueIds', subject: 'subjectIds', product: 'productIds' };

// ---------------------------------------------------------------------------------------------
// Validation

export interface ValidateOptions {
  fields?: FieldRegistry;
  /** path prefix of the list (default `rules`) or of the single rule (default `rule`) */
  path?: string;
}

const RULE_KEYS = new Set(['id', 'name', 'description', 'enabled', 'order', 'conditions', 'actions']);
const ACTION_KEYS = new Set(['queueId', 'priority', 'tags', 'agentId', 'skills']);
const LEAF_KEYS = new Set(['field', 'op', 'value']);
const COMBINATORS = ['all', 'any', 'not'] as const;



/**
 * Validates a whole rule set (an untrusted value, e.g. a parsed request body): each rule, plus
 * ids and orders unique across the set. Returns every issue; [] means valid.
 */
export function validateRuleSet(rules: unknown, refs: RoutingRefs, options: ValidateOptions = {}): FieldIssue[] {
  const path = options.path ?? 'rules';
  const issues = new Issues();
  if (!Array.isArray(rules)) {
    issues.add(path, 'invalid_type', `must be a list of rules, got ${typeName(rules)}`);
    return issues.list;
  }
  if (rules.length > LIMITS.rules) issues.add(path, 'too_big', `at most ${LIMITS.rules} rules, got ${rules.length}`);
  const ids = new Map<string, number>();
  const orders = new Map<number, number>();
  rules.forEach((rule, i) => {
    const p = `${path}[${i}]`;
    checkRule(rule, p, refs, options.fields ?? FIELDS, issues);
    if (!isRecord(rule)) return;
    if (typeof rule.id === 'string') {
      const first = ids.get(rule.id);
      if (first !== undefined) issues.add(`${p}.id`, 'duplicate', `id ${quote(rule.id)} is already used by ${path}[${first}]`);
      else ids.set(rule.id, i);
    }
    if (typeof rule.order === 'number' && Number.isFinite(rule.order)) {
      const first = orders.get(rule.order);
      if (first !== undefined) issues.add(`${p}.order`, 'duplicate', `order ${rule.order} is already used by ${path}[${first}]; each rule needs its own place`);
      else orders.set(rule.order, i);
    }
  });
  return issues.list;
}

/** Validates one rule (uniqueness across the set is `validateRuleSet`'s job). */
export function validateRule(rule: unknown, refs: RoutingRefs, options: ValidateOptions = {}): FieldIssue[] {
  const issues = new Issues();
  checkRule(rule, options.path ?? 'rule', refs, options.fields ?? FIELDS, issues);
  return issues.list;
}

/** Throws a `validation` DomainError listing every issue unless the rule set is valid. */
export function assertValidRuleSet(rules: unknown, refs: RoutingRefs, options: ValidateOptions = {}): asserts rules is RoutingRule[] {
  const issues = validateRuleSet(rules, refs, options);
  if (issues.length) throw validationError('The routing rules are invalid.', issues);
}

function checkRule(rule: unknown, p: string, refs: RoutingRefs, fields: FieldRegistry, issues: Issues) {
  if (!isRecord(rule)) {
    issues.add(p, 'invalid_type', `must be a rule object, got ${typeName(rule)}`);
    return;
  }
  for (const k of Object.keys(rule)) if (!RULE_KEYS.has(k)) issues.add(`${p}.${k}`, 'unknown_key', `unknown property ${quote(k)}`);
  checkString(rule.id, `${p}.id`, LIMITS.idLength, issues);
  checkString(rule.name, `${p}.name`, LIMITS.nameLength, issues);
  if (rule.description !== undefined && rule.description !== null && typeof rule.description !== 'string')
    issues.add(`${p}.description`, 'invalid_type', `must be text, got ${typeName(rule.description)}`);
  else if (typeof rule.description === 'string' && rule.description.length > LIMITS.descriptionLength)
    issues.add(`${p}.description`, 'too_big', `at most ${LIMITS.descriptionLength} characters`);
  if (typeof rule.enabled !== 'boolean') issues.add(`${p}.enabled`, rule.enabled === undefined ? 'required' : 'invalid_type', 'must be true or false');
  if (typeof rule.order !== 'number' || !Number.isFinite(rule.order))
    issues.add(`${p}.order`, rule.order === undefined ? 'required' : 'invalid_type', 'must be a finite number');
  if (rule.conditions === undefined)
    issues.add(`${p}.conditions`, 'required', 'a rule needs conditions; cases that no rule matches go to the default queue');
  else {
    const count = { leaves: 0 };
    checkCondition(rule.conditions, `${p}.conditions`, 1, count, refs, fields, issues);
    if (count.leaves > LIMITS.leaves)
      issues.add(`${p}.conditions`, 'too_many_conditions', `at most ${LIMITS.leaves} field conditions per rule, got ${count.leaves}`);
  }
  checkActions(rule.actions, `${p}.actions`, refs, issues);
}


function checkActions(actions: unknown, p: string, refs: RoutingRefs, issues: Issues) {
  if (!isRecord(actions)) {
    issues.add(p, actions === undefined ? 'required' : 'invalid_type', 'must be an object with at least one of queueId, priority, tags, agentId, skills');
    return;
  }
  for (const k of Object.keys(actions))
    if (!ACTION_KEYS.has(k)) issues.add(`${p}.${k}`, 'unknown_key', `unknown action ${quote(k)}; actions are queueId, priority, tags, agentId and skills`);
  let count = 0;
  if (actions.queueId !== undefined) {
    count++;
    if (checkString(actions.queueId, `${p}.queueId`, LIMITS.idLength, issues) && !refs.queueIds.has(actions.queueId))
      issues.add(`${p}.queueId`, 'unknown_reference', `unknown queue ${quote(actions.queueId)}`);
  }
  if (actions.priority !== undefined) {
    count++;
    if (!(PRIORITIES as readonly unknown[]).includes(actions.priority))
      issues.add(`${p}.priority`, 'invalid_value', `must be one of ${PRIORITIES.join(', ')}, got ${show(actions.priority)}`);
  }
  if (actions.tags !== undefined) {
    if (!Array.isArray(actions.tags)) issues.add(`${p}.tags`, 'invalid_type', `must be a list of tags, got ${typeName(actions.tags)}`);
    else {
      if (actions.tags.length) count++;
      if (actions.tags.length > LIMITS.tags) issues.add(`${p}.tags`, 'too_big', `at most ${LIMITS.tags} tags, got ${actions.tags.length}`);
      for (const [i, t] of actions.tags.entries()) checkString(t, `${p}.tags[${i}]`, LIMITS.tagLength, issues);
    }
  }
  if (actions.agentId !== undefined) {
    count++;
    if (checkString(actions.agentId, `${p}.agentId`, LIMITS.idLength, issues) && !refs.agentIds?.has(actions.agentId))
      issues.add(`${p}.agentId`, 'unknown_reference', `unknown agent ${quote(actions.agentId)}`);
  }
  if (actions.skills !== undefined) {
    if (!isRecord(actions.skills)) issues.add(`${p}.skills`, 'invalid_type', `must be an object of skill name -> level, got ${typeName(actions.skills)}`);
    else {
      const entries = Object.entries(actions.skills);
      if (entries.length) count++;
      if (entries.length > LIMITS.tags) issues.add(`${p}.skills`, 'too_big', `at most ${LIMITS.tags} skills, got ${entries.length}`);
      for (const [skill, level] of entries) {
        if (!skill.trim() || skill.length > LIMITS.tagLength) issues.add(`${p}.skills.${skill}`, 'invalid_value', `a skill name has 1 to ${LIMITS.tagLength} characters`);
        if (typeof level !== 'number' || !Number.isInteger(level) || level < SKILL_LEVEL_MIN || level > SKILL_LEVEL_MAX)
          issues.add(`${p}.skills.${skill}`, 'invalid_value', `a skill level is a whole number from ${SKILL_LEVEL_MIN} to ${SKILL_LEVEL_MAX}, got ${show(level)}`);
      }
    }
  }
  if (!count) issues.add(p, 'no_actions', 'a rule needs at least one action: queueId, priority, tags, agentId or skills');
}

function checkCondition(node: unknown, p: string, depth: number, count: { leaves: number }, refs: RoutingRefs, fields: FieldRegistry, issues: Issues) {
  if (!isRecord(node)) {
    issues.add(p, 'invalid_type', `must be a condition ({ all: [...] }, { any: [...] }, { not: {...} } or { field, op, value }), got ${typeName(node)}`);
    return;
  }
  if (depth > LIMITS.depth) {
    issues.add(p, 'too_deep', `conditions nest at most ${LIMITS.depth} levels`);
    return;
  }
  const keys = Object.keys(node);
  const combinators = COMBINATORS.filter((k) => k in node);
  if (combinators.length > 1 || (combinators.length === 1 && keys.length > 1)) {
    issues.add(p, 'ambiguous_condition', `a condition is exactly one of all, any, not, or a field test; found ${keys.join(', ')}`);
    return;
  }
  const kind = combinators[0];
  if (kind === 'all' || kind === 'any') {
    const list = node[kind];
    if (!Array.isArray(list)) issues.add(`${p}.${kind}`, 'invalid_type', `must be a list of conditions, got ${typeName(list)}`);
    else if (!list.length) issues.add(`${p}.${kind}`, 'too_small', 'must hold at least one condition');
    else for (const [i, c] of list.entries()) checkCondition(c, `${p}.${kind}[${i}]`, depth + 1, count, refs, fields, issues);
    return;
  }
  if (kind === 'not') {
    checkCondition(node.not, `${p}.not`, depth + 1, count, refs, fields, issues);
    return;
  }
  count.leaves++;
  for (const k of keys) if (!LEAF_KEYS.has(k)) issues.add(`${p}.${k}`, 'unknown_key', `unknown property ${quote(k)}; a field test has field, op and value`);
  if (typeof node.field !== 'string') {
    issues.add(`${p}.field`, node.field === undefined ? 'required' : 'invalid_type', 'must name a field');
    return;
  }
  const def = lookupField(node.field, fields);
  if (!def) {
    issues.add(`${p}.field`, 'unknown_field', `unknown field ${quote(node.field)}; known fields: ${Object.keys(fields).join(', ')}, custom.<key>`);
    return;
  }
  if (typeof node.op !== 'string' || !(OPERATORS as readonly string[]).includes(node.op)) {
    issues.add(`${p}.op`, node.op === undefined ? 'required' : 'unknown_operator', `unknown operator ${show(node.op)}; ${node.field} accepts ${def.ops.join(', ')}`);
    return;
  }
  const op = node.op as Operator;
  if (!def.ops.includes(op)) {
    issues.add(`${p}.op`, 'operator_not_allowed', `operator '${op}' cannot be used on ${node.field} (${def.type}); use one of ${def.ops.join(', ')}`);
    return;
  }
  if (!('value' in node)) {
    issues.add(`${p}.value`, 'required', 'is required');
    return;
  }
  checkValue(def, op, node.value, `${p}.value`, refs, issues);
}

type One = (v: unknown, path: string) => void;

function checkValue(def: FieldDef, op: Operator, value: unknown, p: string, refs: RoutingRefs, issues: Issues) {
  const list = (each: One, what: string, max: number = LIMITS.list) => {
    if (!Array.isArray(value)) return issues.add(p, 'invalid_type', `'${op}' takes a list of ${what}, got ${typeName(value)}`);
    if (!value.length) return issues.add(p, 'too_small', `the list must hold at least one of ${what}`);
    if (value.length > max) return issues.add(p, 'too_big', `at most ${max} ${what}, got ${value.length}`);
    for (const [i, v] of value.entries()) each(v, `${p}[${i}]`);
  };
  const one = (each: One) => each(value, p);
  const text = (max: number): One => (v, path) => {
    if (typeof v !== 'string') issues.add(path, 'invalid_type', `must be text, got ${typeName(v)}`);
    else if (!v.trim()) issues.add(path, 'too_small', 'must not be blank');
    else if (v.length > max) issues.add(path, 'too_big', `at most ${max} characters`);
  };
  const ref = (kind: RefKind): One => (v, path) => {
    const before = issues.list.length;
    text(LIMITS.idLength)(v, path);
    if (issues.list.length === before && !refs[REF_SET[kind]]?.has(v as string)) issues.add(path, 'unknown_reference', `unknown ${kind} ${quote(v as string)}`);
  };
  const finite: One = (v, path) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) issues.add(path, 'invalid_type', `must be a finite number, got ${show(v)}`);
  };
  const scalar: One = (v, path) => {
    if (typeof v === 'string') text(LIMITS.stringLength)(v, path);
    else if (typeof v === 'number') finite(v, path);
    else if (typeof v !== 'boolean' && v !== null) issues.add(path, 'invalid_type', `must be text, a number, true, false or null, got ${typeName(v)}`);
  };
  const multi = op === 'in' || op === 'not_in' || op === 'has_any' || op === 'has_all';

  switch (def.type) {
    case 'enum': {
      const each: One = (v, path) => {
        if (typeof v !== 'string' || !def.values.includes(v)) issues.add(path, 'not_in_enum', `must be one of ${def.values.join(', ')}, got ${show(v)}`);
      };
      return multi ? list(each, `${def.label} values`) : one(each);
    }
    case 'id': {
      const each = def.ref ? ref(def.ref) : text(LIMITS.idLength);
      return multi ? list(each, 'ids') : one(each);
    }
    case 'string': {
      const each = text(LIMITS.stringLength);
      return multi ? list(each, 'values') : one(each);
    }
    case 'subject':
      return one(ref('subject'));
    case 'text':
      return list((v, path) => {
        const before = issues.list.length;
        text(LIMITS.wordLength)(v, path);
        if (issues.list.length !== before) return;
        const w = words(v as string);
        if (!w.length) issues.add(path, 'invalid_value', `${quote(v as string)} has no letters or digits to match`);
        else if (w.length > LIMITS.phraseWords) issues.add(path, 'too_big', `a phrase has at most ${LIMITS.phraseWords} words`);
      }, 'words', LIMITS.words);
    case 'number':
      return one(finite);
    case 'tags': {
      const each = text(LIMITS.tagLength);
      return multi ? list(each, 'tags') : one(each);
    }
    case 'scalar':
      if (multi) return list(scalar, 'values');
      return one(op === 'eq' || op === 'neq' ? scalar : finite);
  }
}

// ---------------------------------------------------------------------------------------------
// Compilation and evaluation

/** A text's words in order plus the ids of the rule-set words (the vocabulary) it contains. */
interface IndexedText {
  words: readonly string[];
  ids: number[];
}
/** A text field for one case: its parts (e.g. title, description) and which vocabulary words occur. */
interface TextCache {
  parts: (readonly string[])[];
  /** present[id] === 1 when vocabulary word `id` occurs in some part */
  present: Uint8Array;
}

/**
 * Per-evaluation context: the facts plus caches, so each text is tokenised and each tag list
 * normalised once per case. Fields that need a cache get a slot number when compiling.
 */
class EvalContext {
  private readonly slots: unknown[] = [];
  private textCache: Map<string, IndexedText> | undefined;
  constructor(
    readonly facts: RoutingFacts,
    private readonly vocabulary: ReadonlyMap<string, number>,
  ) {}
  /** each distinct text is tokenised and looked up in the vocabulary once per case */
  private indexed(text: string): IndexedText {
    if (!this.textCache) this.textCache = new Map();
    let t = this.textCache.get(text);
    if (!t) {
      if (typeof text !== 'string') throw new TypeError(`expected text, got ${typeName(text)}`);
      const list = words(text);
      const ids: number[] = [];
      for (const w of list) {
        const id = this.vocabulary.get(w);
        if (id !== undefined) ids.push(id);
      }
      t = { words: list, ids };
      this.textCache.set(text, t);
    }
    return t;
  }
  text(slot: number, get: (f: RoutingFacts) => readonly string[]): TextCache {
    let c = this.slots[slot] as TextCache | undefined;
    if (!c) {
      const present = new Uint8Array(this.vocabulary.size);
      const parts = get(this.facts).map((text) => {
        const t = this.indexed(text);
        for (const id of t.ids) present[id] = 1;
        return t.words;
      });
      c = { parts, present };
      this.slots[slot] = c;
    }
    return c;
  }
  tags(slot: number, get: (f: RoutingFacts) => readonly string[]): ReadonlySet<string> {
    let s = this.slots[slot] as ReadonlySet<string> | undefined;
    if (!s) {
      s = new Set(get(this.facts).map(normaliseKey));
      this.slots[slot] = s;
    }
    return s;
  }
}

type Test = (ctx: EvalContext) => boolean;
/** human-readable reasons why a node evaluates to `truth` (called only when it does) */
type Why = (ctx: EvalContext, truth: boolean) => string[];
interface Node {
  readonly test: Test;
  readonly why: Why;
}
// one object shape for every node keeps the property loads monomorphic
const node = (test: Test, why: Why): Node => ({ test, why });

export interface CompiledRule {
  readonly id: string;
  readonly name: string;
  readonly order: number;
  readonly actions: Readonly<RuleActions>;
  /** set when the rule could not be compiled; it is then skipped at every evaluation */
  readonly error?: string;
  /** @internal the compiled condition tree */
  readonly root?: Node;
}

export interface CompiledRuleSet {
  /** enabled rules, in evaluation order (order ascending, then id) */
  readonly rules: readonly CompiledRule[];
  readonly disabled: number;
  /** rules that failed to compile (also reported as skipped by each evaluation) */
  readonly problems: readonly { ruleId: string; error: string }[];
  /** every word the rules look for, normalised -> id; each case's text is looked up in it once */
  readonly vocabulary: ReadonlyMap<string, number>;
}

export interface CompileOptions {
  fields?: FieldRegistry;
  names?: RoutingNames;
}

interface Scope {
  fields: FieldRegistry;
  names: RoutingNames;
  /** cache slot per field name (text and tags fields) */
  slots: Map<string, number>;
  vocabulary: Map<string, number>;
}
const wordId = (scope: Scope, word: string) => {
  let id = scope.vocabulary.get(word);
  if (id === undefined) {
    id = scope.vocabulary.size;
    scope.vocabulary.set(word, id);
  }
  return id;
};
const slotOf = (scope: Scope, field: string) => {
  let s = scope.slots.get(field);
  if (s === undefined) {
    s = scope.slots.size;
    scope.slots.set(field, s);
  }
  return s;
};

/**
 * Compiles a rule set once for many evaluations: disabled rules are dropped, rules sorted, word
 * lists normalised, `in` lists turned into Sets. Never throws for a bad rule: the rule is kept
 * with its `error` and skipped (and reported) when evaluating, so stale rules cannot block routing.
 */
export function compileRuleSet(rules: readonly RoutingRule[], options: CompileOptions = {}): CompiledRuleSet {
  const scope: Scope = { fields: options.fields ?? FIELDS, names: options.names ?? {}, slots: new Map(), vocabulary: new Map() };
  const compiled: CompiledRule[] = [];
  const problems: { ruleId: string; error: string }[] = [];
  let disabled = 0;
  for (const rule of rules) {
    if (rule.enabled === false) {
      disabled++;
      continue;
    }
    const head = {
      id: String(rule.id),
      name: String(rule.name),
      order: Number.isFinite(rule.order) ? rule.order : Number.POSITIVE_INFINITY,
      actions: Object.freeze({ ...rule.actions, ...(rule.actions?.tags ? { tags: [...rule.actions.tags] } : {}), ...(rule.actions?.skills ? { skills: { ...rule.actions.skills } } : {}) }),
    };
    try {
      compiled.push({ ...head, root: compileNode(rule.conditions, scope, 'conditions') });
    } catch (e) {
      const error = errorText(e);
      problems.push({ ruleId: head.id, error });
      compiled.push({ ...head, error });
    }
  }
  compiled.sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { rules: compiled, disabled, problems, vocabulary: scope.vocabulary };
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

function allOf(tests: Test[]): Test {
  const [a, b, c] = tests;
  if (tests.length === 1) return a!;
  if (tests.length === 2) return (ctx) => a!(ctx) && b!(ctx);
  if (tests.length === 3) return (ctx) => a!(ctx) && b!(ctx) && c!(ctx);
  const n = tests.length;
  return (ctx) => {
    for (let i = 0; i < n; i++) if (!tests[i]!(ctx)) return false;
    return true;
  };
}

function anyOf(tests: Test[]): Test {
  const [a, b, c] = tests;
  if (tests.length === 1) return a!;
  if (tests.length === 2) return (ctx) => a!(ctx) || b!(ctx);
  if (tests.length === 3) return (ctx) => a!(ctx) || b!(ctx) || c!(ctx);
  const n = tests.length;
  return (ctx) => {
    for (let i = 0; i < n; i++) if (tests[i]!(ctx)) return true;
    return false;
  };
}

function compileNode(c: Condition, scope: Scope, path: string): Node {
  if (!isRecord(c)) throw new Error(`${path}: not a condition`);
  if ('all' in c || 'any' in c) {
    const isAll = 'all' in c;
    const key = isAll ? 'all' : 'any';
    const list = isAll ? (c as { all: Condition[] }).all : (c as { any: Condition[] }).any;
    if (!Array.isArray(list) || !list.length) throw new Error(`${path}.${key}: needs at least one condition`);
    const children = list.map((x, i) => compileNode(x, scope, `${path}.${key}[${i}]`));
    const tests = children.map((ch) => ch.test);
    if (isAll)
      return node(allOf(tests), (ctx, truth) => {
        if (truth) return children.flatMap((ch) => ch.why(ctx, true));
        const failing = children.find((ch) => !ch.test(ctx));
        return failing ? failing.why(ctx, false) : [];
      });
    return node(anyOf(tests), (ctx, truth) => {
      if (!truth) return children.flatMap((ch) => ch.why(ctx, false));
      const passing = children.find((ch) => ch.test(ctx));
      return passing ? passing.why(ctx, true) : [];
    });
  }
  if ('not' in c) {
    const child = compileNode(c.not, scope, `${path}.not`);
    const t = child.test;
    return node(
      (ctx) => !t(ctx),
      (ctx, truth) => child.why(ctx, !truth),
    );
  }
  const leaf = c as LeafCondition;
  const def = lookupField(leaf.field, scope.fields);
  if (!def) throw new Error(`${path}.field: unknown field ${quote(String(leaf.field))}`);
  if (!def.ops.includes(leaf.op)) throw new Error(`${path}.op: operator ${show(leaf.op)} cannot be used on ${leaf.field}`);
  return compileLeaf(def, leaf, scope, path);
}

/** Display of a value in explanations. */
function show(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (typeof v === 'string') return quote(v);
  if (Array.isArray(v)) return v.map(show).join(', ');
  return String(v);
}
const showList = (vs: readonly string[]) => vs.join(', ');

const asList = (value: unknown, path: string): readonly unknown[] => {
  if (!Array.isArray(value) || !value.length) throw new Error(`${path}.value: needs a non-empty list`);
  return value;
};
const asString = (value: unknown, path: string): string => {
  if (typeof value !== 'string') throw new Error(`${path}.value: needs text`);
  return value;
};
const asNumber = (value: unknown, path: string): number => {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${path}.value: needs a finite number`);
  return value;
};

/** Equality key of a scalar: strings normalised, numbers and booleans by value, null. */
const scalarKey = (v: unknown): string => {
  if (v === null || v === undefined) return 'z';
  if (typeof v === 'string') return `s${normaliseKey(v)}`;
  if (typeof v === 'number') return `n${v}`;
  if (typeof v === 'boolean') return v ? 'b1' : 'b0';
  throw new TypeError(`not a scalar: ${typeName(v)}`);
};
const NO_VALUE = '\u0000';

function compileLeaf(def: FieldDef, leaf: LeafCondition, scope: Scope, path: string): Node {
  const { op, value } = leaf;
  const { label } = def;
  const names = scope.names;
  switch (def.type) {
    case 'enum':
    case 'id':
    case 'string':
    case 'scalar': {
      // the equality family: one key function makes enum/id/string/scalar comparisons uniform
      const keyOf: (v: unknown) => string =
        def.type === 'enum'
          ? (v) => (typeof v === 'string' ? v.toLowerCase() : v === null || v === undefined ? NO_VALUE : scalarKey(v))
          : def.type === 'id'
            ? (v) => (typeof v === 'string' ? v : NO_VALUE)
            : def.type === 'string'
              ? (v) => (typeof v === 'string' ? normaliseKey(v) : NO_VALUE)
              : scalarKey;
      const get = def.get as (f: RoutingFacts) => unknown;
      const display = (v: unknown) => {
        if (def.type === 'enum') return v === null || v === undefined ? 'empty' : String(v);
        if (def.type === 'id') {
          if (typeof v !== 'string') return 'empty';
          const known = def.ref === 'product' ? names.products : def.ref === 'subject' ? names.subjects : def.ref === 'queue' ? names.queues : undefined;
          const name = known?.get(v);
          return name ? `${name} (id ${v})` : v;
        }
        return show(v);
      };
      if (op === 'gt' || op === 'gte' || op === 'lt' || op === 'lte') return numberLeaf(op, asNumber(value, path), label, get);
      if (op === 'eq' || op === 'neq') {
        if (Array.isArray(value)) throw new Error(`${path}.value: '${op}' takes one value`);
        const key = keyOf(value);
        // enums and ids are compared without building a key for the fact
        const eq: Test =
          def.type === 'id' || (def.type === 'enum' && typeof value === 'string')
            ? (ctx) => get(ctx.facts) === key
            : (ctx) => keyOf(get(ctx.facts)) === key;
        const is = `${label} is ${display(value)}`;
        const isNot = (ctx: EvalContext) => `${label} is ${display(get(ctx.facts))}, not ${display(value)}`;
        return op === 'eq'
          ? node(eq, (ctx, t) => [t ? is : isNot(ctx)])
          : node(
              (ctx) => !eq(ctx),
              (ctx, t) => [t ? isNot(ctx) : is],
            );
      }
      if (op === 'in' || op === 'not_in') {
        const list = asList(value, path);
        const keys = new Set(list.map(keyOf));
        const shown = showList(list.map(display));
        const inList: Test =
          def.type === 'id' || (def.type === 'enum' && list.every((v) => typeof v === 'string'))
            ? (ctx) => keys.has(get(ctx.facts) as string)
            : (ctx) => keys.has(keyOf(get(ctx.facts)));
        const yes = (ctx: EvalContext) => `${label} is ${display(get(ctx.facts))} (one of ${shown})`;
        const no = (ctx: EvalContext) => `${label} is ${display(get(ctx.facts))}, not one of ${shown}`;
        return op === 'in'
          ? node(inList, (ctx, t) => [t ? yes(ctx) : no(ctx)])
          : node(
              (ctx) => !inList(ctx),
              (ctx, t) => [t ? no(ctx) : yes(ctx)],
            );
      }
      break;
    }
    case 'number': {
      const get = def.get;
      if (op === 'eq' || op === 'neq') {
        const v = asNumber(value, path);
        const eq: Test = (ctx) => get(ctx.facts) === v;
        const is = `${label} is ${v}`;
        const isNot = (ctx: EvalContext) => `${label} is ${show(get(ctx.facts))}, not ${v}`;
        return op === 'eq'
          ? node(eq, (ctx, t) => [t ? is : isNot(ctx)])
          : node(
              (ctx) => !eq(ctx),
              (ctx, t) => [t ? isNot(ctx) : is],
            );
      }
      if (op === 'gt' || op === 'gte' || op === 'lt' || op === 'lte') return numberLeaf(op, asNumber(value, path), label, get);
      break;
    }
    case 'subject': {
      if (op !== 'within') break;
      const id = asString(value, path);
      const name = names.subjects?.get(id);
      const target = name ? `${name} (id ${id})` : id;
      const get = def.get;
      return node(
        (ctx) => get(ctx.facts).includes(id),
        (ctx, t) => [t ? `${label} is within ${target}` : get(ctx.facts).length ? `${label} is not within ${target}` : `the case has no ${label} (so not within ${target})`],
      );
    }
    case 'text': {
      const list = asList(value, path).map((w) => {
        const text = asString(w, path);
        const tokens = words(text);
        if (!tokens.length) throw new Error(`${path}.value: ${quote(text)} has no letters or digits`);
        return { text, tokens, ids: tokens.map((t) => wordId(scope, t)) };
      });
      const get = def.get;
      const slot = slotOf(scope, leaf.field);
      const found = (c: TextCache, w: (typeof list)[number]) => {
        const ids = w.ids;
        if (ids.length === 1) return c.present[ids[0]!] === 1;
        for (const id of ids) if (c.present[id] !== 1) return false;
        for (const p of c.parts) if (containsSequence(p, w.tokens)) return true;
        return false;
      };
      const all = showList(list.map((w) => quote(w.text)));
      const which = (ctx: EvalContext, present: boolean) => {
        const c = ctx.text(slot, get);
        return showList(list.filter((w) => found(c, w) === present).map((w) => quote(w.text)));
      };
      // the fast path: single words as vocabulary ids, checked against the case's word index
      const singles = Int32Array.from(list.filter((w) => w.ids.length === 1).map((w) => w.ids[0]!));
      const phrases = list.filter((w) => w.ids.length > 1);
      const ns = singles.length;
      if (op === 'contains_any_word')
        return node(
          (ctx) => {
            const c = ctx.text(slot, get);
            const present = c.present;
            for (let i = 0; i < ns; i++) if (present[singles[i]!] === 1) return true;
            for (const w of phrases) if (found(c, w)) return true;
            return false;
          },
          (ctx, t) => [t ? `${label} contains ${which(ctx, true)}` : `${label} contains none of ${all}`],
        );
      if (op === 'contains_all_words')
        return node(
          (ctx) => {
            const c = ctx.text(slot, get);
            const present = c.present;
            for (let i = 0; i < ns; i++) if (present[singles[i]!] !== 1) return false;
            for (const w of phrases) if (!found(c, w)) return false;
            return true;
          },
          (ctx, t) => [t ? `${label} contains ${all}` : `${label} does not contain ${which(ctx, false)}`],
        );
      break;
    }
    case 'tags': {
      const get = def.get;
      const slot = slotOf(scope, leaf.field);
      if (op === 'has') {
        const tag = asString(value, path);
        const key = normaliseKey(tag);
        return node(
          (ctx) => ctx.tags(slot, get).has(key),
          (_ctx, t) => [t ? `${label} include ${quote(tag)}` : `${label} do not include ${quote(tag)}`],
        );
      }
      if (op === 'has_any' || op === 'has_all') {
        const list = asList(value, path).map((x) => {
          const tag = asString(x, path);
          return { tag, key: normaliseKey(tag) };
        });
        const all = showList(list.map((x) => quote(x.tag)));
        const which = (ctx: EvalContext, present: boolean) => {
          const s = ctx.tags(slot, get);
          return showList(list.filter((x) => s.has(x.key) === present).map((x) => quote(x.tag)));
        };
        if (op === 'has_any')
          return node(
            (ctx) => {
              const s = ctx.tags(slot, get);
              for (const x of list) if (s.has(x.key)) return true;
              return false;
            },
            (ctx, t) => [t ? `${label} include ${which(ctx, true)}` : `${label} include none of ${all}`],
          );
        return node(
          (ctx) => {
            const s = ctx.tags(slot, get);
            for (const x of list) if (!s.has(x.key)) return false;
            return true;
          },
          (ctx, t) => [t ? `${label} include ${all}` : `${label} do not include ${which(ctx, false)}`],
        );
      }
      break;
    }
  }
  throw new Error(`${path}.op: operator ${show(op)} is not supported on ${def.type} fields`);
}

const COMPARE_TEXT = { gt: 'greater than', gte: 'at least', lt: 'less than', lte: 'at most' } as const;
const NEGATED_TEXT = { gt: 'not greater than', gte: 'less than', lt: 'not less than', lte: 'greater than' } as const;

function numberLeaf(op: 'gt' | 'gte' | 'lt' | 'lte', bound: number, label: string, get: (f: RoutingFacts) => unknown): Node {
  const test: Test =
    op === 'gt'
      ? (ctx) => {
          const v = get(ctx.facts);
          return typeof v === 'number' && v > bound;
        }
      : op === 'gte'
        ? (ctx) => {
            const v = get(ctx.facts);
            return typeof v === 'number' && v >= bound;
          }
        : op === 'lt'
          ? (ctx) => {
              const v = get(ctx.facts);
              return typeof v === 'number' && v < bound;
            }
          : (ctx) => {
              const v = get(ctx.facts);
              return typeof v === 'number' && v <= bound;
            };
  return node(test, (ctx, t) => {
    const v = get(ctx.facts);
    if (t) return [`${label} is ${v}, ${COMPARE_TEXT[op]} ${bound}`];
    if (typeof v !== 'number') return [`${label} is ${show(v)}, not a number (so not ${COMPARE_TEXT[op]} ${bound})`];
    return [`${label} is ${v}, ${NEGATED_TEXT[op]} ${bound}`];
  });
}

export interface RuleMatch {
  ruleId: string;
  ruleName: string;
  order: number;
  actions: Readonly<RuleActions>;
  /** why the rule matched, one clause per condition that decided it */
  reasons: string[];
}

export interface SkippedRule {
  ruleId: string;
  ruleName: string;
  error: string;
}

/** One rule's outcome in a traced (dry-run) evaluation. */
export interface RuleTrace {
  ruleId: string;
  ruleName: string;
  order: number;
  outcome: 'matched' | 'no_match' | 'error';
  /** why it matched or why not */
  reasons: string[];
  error?: string;
}

export interface EvaluationResult {
  matched: RuleMatch | null;
  skipped: SkippedRule[];
  /** rules looked at (matched, not matched or skipped) before the decision */
  evaluated: number;
  /** only with `{ trace: true }`: each rule looked at, in order */
  trace?: RuleTrace[];
}

/**
 * Runs the compiled rules against one case's facts: first match in order wins. Pure and
 * deterministic. `trace: true` (the dry run) also explains every rule that did not match.
 */
export function evaluate(compiled: CompiledRuleSet, facts: RoutingFacts, options: { trace?: boolean } = {}): EvaluationResult {
  const ctx = new EvalContext(facts, compiled.vocabulary);
  const skipped: SkippedRule[] = [];
  const trace: RuleTrace[] | undefined = options.trace ? [] : undefined;
  const rules = compiled.rules;
  let evaluated = 0;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    evaluated++;
    let hit: boolean;
    try {
      if (!rule.root) throw new Error(rule.error ?? 'the rule was not compiled');
      hit = rule.root.test(ctx);
    } catch (e) {
      const error = errorText(e);
      skipped.push({ ruleId: rule.id, ruleName: rule.name, error });
      trace?.push({ ruleId: rule.id, ruleName: rule.name, order: rule.order, outcome: 'error', reasons: [], error });
      continue;
    }
    if (!hit) {
      if (trace) trace.push({ ruleId: rule.id, ruleName: rule.name, order: rule.order, outcome: 'no_match', reasons: safeWhy(rule.root!, ctx, false) });
      continue;
    }
    const reasons = safeWhy(rule.root!, ctx, true);
    trace?.push({ ruleId: rule.id, ruleName: rule.name, order: rule.order, outcome: 'matched', reasons });
    return {
      matched: { ruleId: rule.id, ruleName: rule.name, order: rule.order, actions: rule.actions, reasons },
      skipped,
      evaluated,
      ...(trace ? { trace } : {}),
    };
  }
  return { matched: null, skipped, evaluated, ...(trace ? { trace } : {}) };
}

/** Explanations never turn a decision into a failure. */
function safeWhy(node: Node, ctx: EvalContext, truth: boolean): string[] {
  try {
    return node.why(ctx, truth);
  } catch (e) {
    return [`(no explanation: ${errorText(e)})`];
  }
}

// ---------------------------------------------------------------------------------------------
// Decision and explanation

/** "Rule 'VIP customers' (#3) matched: customer tier is vip" */
export function explainMatch(m: RuleMatch): string {
  return `Rule ${quote(m.ruleName)} (#${m.order}) matched: ${m.reasons.join('; ')}`;
}

function describeActions(actions: Readonly<RuleActions>, names: RoutingNames): string {
  const parts: string[] = [];
  if (actions.queueId) {
    const name = names.queues?.get(actions.queueId);
    parts.push(`queue ${name ? `${name} (id ${actions.queueId})` : actions.queueId}`);
  }
  if (actions.priority) parts.push(`priority ${actions.priority}`);
  if (actions.tags?.length) parts.push(`tags ${actions.tags.join(', ')}`);
  if (actions.agentId) {
    const name = names.agents?.get(actions.agentId);
    parts.push(`agent ${name ? `${name} (id ${actions.agentId})` : actions.agentId}`);
  }
  const skills = Object.entries(actions.skills ?? {});
  if (skills.length) parts.push(`skills ${skills.map(([k, v]) => `${k}>=${v}`).join(', ')}`);
  return parts.join(', ');
}

/**
 * Timeline text for an evaluation: the rule that fired and why (or that none did), its actions,
 * and any rule skipped because it failed.
 */
export function explainResult(result: EvaluationResult, names: RoutingNames = {}): string {
  const lines: string[] = [];
  if (result.matched) lines.push(`${explainMatch(result.matched)}. Actions: ${describeActions(result.matched.actions, names)}.`);
  else lines.push(`No routing rule matched (${result.evaluated} evaluated); the case goes to the default queue.`);
  for (const s of result.skipped) lines.push(`Rule ${quote(s.ruleName)} (id ${s.ruleId}) was skipped: ${s.error}`);
  return lines.join('\n');
}

export interface RoutingDecision {
  queueId: string;
  /** the priority to set, or null to leave it */
  priority: Priority | null;
  /** tags to add */
  tags: string[];
  ruleId: string | null;
  /** true when no rule chose a queue */
  defaultQueue: boolean;
  /** the agent the rule names, if any */
  agentId: string | null;
  /** skill levels the rule asks of the agent */
  skills: Record<string, number>;
  /** what to write to the timeline */
  text: string;
}

/**
 * Turns an evaluation into the changes to apply: the matched rule's queue, or the default queue
 * when nothing matched or the matched rule only sets priority or tags.
 */
export function decideRouting(result: EvaluationResult, defaultQueueId: string, names: RoutingNames = {}): RoutingDecision {
  const actions = result.matched?.actions;
  const queueId = actions?.queueId ?? defaultQueueId;
  const defaultQueue = !actions?.queueId;
  let text = explainResult(result, names);
  if (result.matched && defaultQueue) text += '\nThe rule sets no queue; the case goes to the default queue.';
  return {
    queueId,
    priority: actions?.priority ?? null,
    tags: actions?.tags ? [...actions.tags] : [],
    agentId: actions?.agentId ?? null,
    skills: { ...(actions?.skills ?? {}) },
    ruleId: result.matched?.ruleId ?? null,
    defaultQueue,
    text,
  };
}
