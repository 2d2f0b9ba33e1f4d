/** SLA policies: which one applies, what is refused when saved, and what is only a warning. */
import { describe, expect, it } from 'vitest';
import { routingFacts } from '../../../shared/domain/routing';
import { type SlaPolicy, policyWarnings, selectPolicy, validatePolicies, withDefaults } from '../../../shared/domain/sla/policy';

const target = (h: number) => ({ low: h * 240, normal: h * 120, high: h * 60, urgent: h * 30 });
const policy = (over: Partial<SlaPolicy>): SlaPolicy => ({
  id: 'p',
  name: 'P',
  enabled: true,
  order: 1,
  appliesWhen: null,
  kpis: { resolve: withDefaults({ targetMinutes: target(8), warnAtPercent: 75, calendarId: null }) },
  onWarning: [{ type: 'timeline' }],
  onBreach: [{ type: 'move_to_escalation_queue' }],
  ...over,
});
const refs = { queueIds: new Set<string>(), subjectIds: new Set<string>(), productIds: new Set<string>(), agentIds: new Set(['a1']), calendarIds: new Set(['office']) };
const facts = (tier: 'vip' | 'standard', priority: 'normal' | 'urgent' = 'normal') =>
  routingFacts({ caseType: 'problem', priority, origin: 'email', productId: null, title: 't', description: 'd' }, { subject: null, customer: { tier, language: 'en' } });

describe('SLA policies', () => {
  const vip = policy({ id: 'vip', name: 'VIP', order: 1, appliesWhen: { field: 'customerTier', op: 'eq', value: 'vip' } });
  const standard = policy({ id: 'std', name: 'Standard', order: 2 });

  it('the first enabled policy whose condition matches applies; no condition means every case', () => {
    expect(selectPolicy([standard, vip], facts('vip'))?.id).toBe('vip');
    expect(selectPolicy([standard, vip], facts('standard'))?.id).toBe('std');
    expect(selectPolicy([{ ...standard, enabled: false }, vip], facts('standard'))).toBeNull();
  });

  it('refuses what cannot work, with exact paths', () => {
    const bad = [
      vip,
      {
        ...standard,
        order: 1,
        appliesWhen: { field: 'mood', op: 'eq', value: 'x' },
        kpis: { resolve: { targetMinutes: { ...target(8), high: 0 }, warnAtPercent: 100, calendarId: 'nope', pauseStatuses: ['new', 'on_hold'] }, sleep: {} },
        onBreach: [{ type: 'explode' }, { type: 'reassign', agentId: 'ghost' }],
      },
    ];
    expect(validatePolicies(bad, refs).map((i) => `${i.path} ${i.code}`)).toEqual([
      'policies[1].appliesWhen.field unknown_field',
      'policies[1].order duplicate',
      'policies[1].kpis.resolve.targetMinutes.high invalid_value',
      'policies[1].kpis.resolve.warnAtPercent invalid_value',
      'policies[1].kpis.resolve.calendarId unknown_reference',
      'policies[1].kpis.resolve.pauseStatuses[0] invalid_value',
      'policies[1].kpis.sleep unknown_key',
      'policies[1].onBreach[0].type invalid_value',
      'policies[1].onBreach[1].agentId unknown_reference',
    ]);
    expect(validatePolicies([vip, standard], refs)).toEqual([]);
    expect(validatePolicies([{ ...standard, kpis: {} }], refs).map((i) => i.path)).toEqual(['policies[0].kpis']);
  });

  it('warns about a policy that can never apply', () => {
    expect(policyWarnings([standard, { ...vip, order: 3 }])).toEqual([{ path: 'policies[1]', code: 'never_applies', message: expect.stringMatching(/'Standard' comes first/) }]);
    expect(policyWarnings([vip, standard])).toEqual([]);
  });
});
