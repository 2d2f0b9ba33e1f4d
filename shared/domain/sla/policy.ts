/**
 * SLA policies: an ordered list; the first enabled policy whose "applies when" condition matches
 * the case gives its KPIs. Conditions are the routing rules' language (the same fields: tier,
 * priority, type, origin, subject, product, words, custom fields), so there is one way to say
 * "which cases" in the product. Pure: validation, selection and the warnings an admin should see.
 */
import { PRIORITIES, ACTIVE_STATUSES, type CaseStatus } from '../case';
import type { FieldIssue } from '../errors';
import { type Condition, type RoutingFacts, type RoutingRefs, type RoutingRule, compileRuleSet, evaluate, validateRule } from '../routing';
import { DEFAULT_PAUSE_STATUSES, KPI_NAMES, type KpiName, type KpiSpec } from './kpi';

export const SLA_ACTIONS = ['timeline', 'notify_owner', 'notify_queue_managers', 'raise_priority', 'move_to_escalation_queue', 'reassign'] as const;
export type SlaActionType = (typeof SLA_ACTIONS)[number];
export type SlaAction = { type: Exclude<SlaActionType, 'reassign'> } | { type: 'reassign'; agentId: string };

export interface SlaPolicy {
  id: string;
  name: string;
  enabled: boolean;
  /** evaluation order, ascending; unique */
  order: number;
  /** null: every case */
  appliesWhen: Condition | null;
  kpis: Partial<Record<KpiName, KpiSpec>>;
  onWarning: SlaAction[];
  onBreach: SlaAction[];
}

export interface SlaRefs extends RoutingRefs {
  calendarIds: ReadonlySet<string>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const POLICY_KEYS = new Set(['id', 'name', 'enabled', 'order', 'appliesWhen', 'kpis', 'onWarning', 'onBreach']);
const SPEC_KEYS = new Set(['targetMinutes', 'warnAtPercent', 'calendarId', 'pauseStatuses']);
/** a target longer than a year of working time is a typo */
const MAX_TARGET_MINUTES = 366 * 24 * 60;

/** True for every case: what "applies when" means when a policy has no condition. */
const EVERY_CASE: Condition = { field: 'priority', op: 'in', value: [...PRIORITIES] };

/** The routing rule a policy's condition is checked and evaluated as (its actions are never used). */
const asRule = (p: Pick<SlaPolicy, 'id' | 'name' | 'enabled' | 'order' | 'appliesWhen'>): RoutingRule => ({
  id: p.id,
  name: p.name,
  enabled: p.enabled,
  order: p.order,
  conditions: p.appliesWhen ?? EVERY_CASE,
  actions: { tags: ['sla'] },
});

function checkSpec(spec: unknown, path: string, refs: SlaRefs, issues: FieldIssue[]) {
  const add = (p: string, code: string, message: string) => issues.push({ path: p, code, message });
  if (!isRecord(spec)) {
    add(path, 'invalid_type', 'must be an object with targetMinutes, warnAtPercent, calendarId, pauseStatuses');
    return;
  }
  for (const k of Object.keys(spec)) if (!SPEC_KEYS.has(k)) add(`${path}.${k}`, 'unknown_key', `unknown key '${k}'`);
  if (!isRecord(spec.targetMinutes)) add(`${path}.targetMinutes`, 'invalid_type', `must give minutes for each priority: ${PRIORITIES.join(', ')}`);
  else
    for (const p of PRIORITIES) {
      const v = spec.targetMinutes[p];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_TARGET_MINUTES)
        add(`${path}.targetMinutes.${p}`, 'invalid_value', `a whole number of minutes from 1 to ${MAX_TARGET_MINUTES}`);
    }
  if (typeof spec.warnAtPercent !== 'number' || !Number.isInteger(spec.warnAtPercent) || spec.warnAtPercent < 1 || spec.warnAtPercent > 99)
    add(`${path}.warnAtPercent`, 'invalid_value', 'a whole percentage from 1 to 99');
  if (spec.calendarId !== null && (typeof spec.calendarId !== 'string' || !refs.calendarIds.has(spec.calendarId)))
    add(`${path}.calendarId`, 'unknown_reference', `unknown calendar ${JSON.stringify(spec.calendarId)} (null for 24x7)`);
  if (!Array.isArray(spec.pauseStatuses)) add(`${path}.pauseStatuses`, 'invalid_type', 'must be a list of active status reasons');
  else
    for (const [i, s] of spec.pauseStatuses.entries())
      if (!(ACTIVE_STATUSES as readonly unknown[]).includes(s) || s === 'new' || s === 'in_progress')
        add(`${path}.pauseStatuses[${i}]`, 'invalid_value', 'only on_hold, waiting_for_details or researching can pause the clock');
}

function checkActions(actions: unknown, path: string, refs: SlaRefs & { agentIds?: ReadonlySet<string> }, issues: FieldIssue[]) {
  if (!Array.isArray(actions)) {
    issues.push({ path, code: 'invalid_type', message: 'must be a list of actions' });
    return;
  }
  for (const [i, a] of actions.entries()) {
    const p = `${path}[${i}]`;
    if (!isRecord(a) || !(SLA_ACTIONS as readonly unknown[]).includes(a.type)) issues.push({ path: `${p}.type`, code: 'invalid_value', message: `must be one of ${SLA_ACTIONS.join(', ')}` });
    else if (a.type === 'reassign' && (typeof a.agentId !== 'string' || !refs.agentIds?.has(a.agentId)))
      issues.push({ path: `${p}.agentId`, code: 'unknown_reference', message: `unknown agent ${JSON.stringify(a.agentId)}` });
  }
}

/** Every problem of a policy list, with exact paths (`policies[1].kpis.resolve.targetMinutes.high`). */
export function validatePolicies(policies: unknown, refs: SlaRefs, path = 'policies'): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!Array.isArray(policies)) return [{ path, code: 'invalid_type', message: 'must be a list of policies' }];
  const ids = new Map<unknown, number>();
  const orders = new Map<unknown, number>();
  for (const [i, raw] of policies.entries()) {
    const p = `${path}[${i}]`;
    if (!isRecord(raw)) {
      issues.push({ path: p, code: 'invalid_type', message: 'must be a policy object' });
      continue;
    }
    for (const k of Object.keys(raw)) if (!POLICY_KEYS.has(k)) issues.push({ path: `${p}.${k}`, code: 'unknown_key', message: `unknown key '${k}'` });
    // id, name, enabled, order and the condition are checked by the routing rules' validator
    const rule = { ...asRule({ id: raw.id as string, name: raw.name as string, enabled: raw.enabled as boolean, order: raw.order as number, appliesWhen: null }), conditions: raw.appliesWhen ?? EVERY_CASE };
    for (const issue of validateRule(rule, refs, { path: p }))
      issues.push({ ...issue, path: issue.path.replace(`${p}.conditions`, `${p}.appliesWhen`) });
    if (ids.has(raw.id)) issues.push({ path: `${p}.id`, code: 'duplicate', message: `id '${String(raw.id)}' is already used by ${path}[${ids.get(raw.id)}]` });
    else ids.set(raw.id, i);
    if (orders.has(raw.order)) issues.push({ path: `${p}.order`, code: 'duplicate', message: `order ${String(raw.order)} is already used by ${path}[${orders.get(raw.order)}]` });
    else orders.set(raw.order, i);
    if (!isRecord(raw.kpis) || !Object.keys(raw.kpis).length)
      issues.push({ path: `${p}.kpis`, code: 'required', message: `a policy needs at least one KPI: ${KPI_NAMES.join(', ')}` });
    else
      for (const [name, spec] of Object.entries(raw.kpis)) {
        if (!(KPI_NAMES as readonly string[]).includes(name)) issues.push({ path: `${p}.kpis.${name}`, code: 'unknown_key', message: `KPIs are ${KPI_NAMES.join(', ')}` });
        else checkSpec(spec, `${p}.kpis.${name}`, refs, issues);
      }
    checkActions(raw.onWarning, `${p}.onWarning`, refs, issues);
    checkActions(raw.onBreach, `${p}.onBreach`, refs, issues);
  }
  return issues;
}

/** Saved but suspicious: policies that can never apply (an earlier enabled policy applies to every case). */
export function policyWarnings(policies: readonly SlaPolicy[], path = 'policies'): FieldIssue[] {
  const sorted = policies.map((p, i) => ({ p, i })).sort((a, b) => a.p.order - b.p.order);
  const catchAll = sorted.find(({ p }) => p.enabled && p.appliesWhen === null);
  if (!catchAll) return [];
  return sorted
    .filter(({ p }) => p.enabled && p.order > catchAll.p.order)
    .map(({ i }) => ({ path: `${path}[${i}]`, code: 'never_applies', message: `never applies: '${catchAll.p.name}' comes first and applies to every case` }));
}

/** A spec with the defaults filled in (pause statuses). */
export const withDefaults = (spec: Omit<KpiSpec, 'pauseStatuses'> & { pauseStatuses?: CaseStatus[] }): KpiSpec => ({ ...spec, pauseStatuses: spec.pauseStatuses ?? [...DEFAULT_PAUSE_STATUSES] });

/** The policy for a case: the first enabled one (by order) whose condition matches, or null. */
export function selectPolicy(policies: readonly SlaPolicy[], facts: RoutingFacts): SlaPolicy | null {
  const compiled = compileRuleSet(policies.map(asRule));
  const matched = evaluate(compiled, facts).matched;
  return matched ? (policies.find((p) => p.id === matched.ruleId) ?? null) : null;
}
