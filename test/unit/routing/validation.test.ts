import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../shared/domain/errors';
import { FIELDS, LIMITS, type RoutingRule, assertValidRuleSet, numberField, validateRule, validateRuleSet } from '../../../shared/domain/routing';
import { refs, rule } from './support';

const valid = (over: Partial<RoutingRule> = {}) => ({ ...rule(), ...over }) as unknown as Record<string, unknown>;
const only = (rules: unknown[]) => validateRuleSet(rules, refs).map((i) => [i.path, i.code]);

describe('validateRuleSet accepts', () => {
  it('a realistic rule set', () => {
    const rules: RoutingRule[] = [
      rule({ id: 'vip', name: 'VIP customers', order: 1, conditions: { field: 'customerTier', op: 'eq', value: 'vip' }, actions: { queueId: 'q-vip', priority: 'high' } }),
      rule({
        id: 'it',
        name: 'Hardware problems',
        order: 2,
        conditions: {
          all: [
            { field: 'subject', op: 'within', value: 'hw' },
            { any: [{ field: 'title_or_description', op: 'contains_any_word', value: ['printer', 'چاپگر', 'paper jam'] }, { field: 'product', op: 'in', value: ['p-x200'] }] },
            { not: { field: 'caseType', op: 'eq', value: 'question' } },
          ],
        },
        actions: { queueId: 'q-it', tags: ['hardware'] },
      }),
      rule({ id: 'custom', name: 'Warranty', order: 3, enabled: false, conditions: { field: 'custom.warranty', op: 'eq', value: true }, actions: { tags: ['warranty'] } }),
      rule({ id: 'score', name: 'Low score', order: 4, description: 'by the device score', conditions: { field: 'custom.score', op: 'lt', value: 0.3 }, actions: { priority: 'urgent' } }),
    ];
    expect(validateRuleSet(rules, refs)).toEqual([]);
    expect(() => assertValidRuleSet(rules, refs)).not.toThrow();
  });
  it('an empty rule set', () => {
    expect(validateRuleSet([], refs)).toEqual([]);
  });
});

describe('validateRuleSet refuses, with the exact path', () => {
  const at = (conditions: unknown) => only([valid({ conditions } as never)]);
  it.each([
    ['an unknown field', { field: 'sentiment', op: 'eq', value: 'negative' }, 'rules[0].conditions.field', 'unknown_field'],
    ['a bad custom key', { field: 'custom.no spaces', op: 'eq', value: 1 }, 'rules[0].conditions.field', 'unknown_field'],
    ['an unknown operator', { field: 'priority', op: 'like', value: 'x' }, 'rules[0].conditions.op', 'unknown_operator'],
    ['an operator not allowed for the type', { field: 'priority', op: 'gt', value: 'low' }, 'rules[0].conditions.op', 'operator_not_allowed'],
    ['within on a non-subject field', { field: 'product', op: 'within', value: 'p-x200' }, 'rules[0].conditions.op', 'operator_not_allowed'],
    ['words on an enum', { field: 'origin', op: 'contains_any_word', value: ['web'] }, 'rules[0].conditions.op', 'operator_not_allowed'],
    ['a missing value', { field: 'priority', op: 'eq' }, 'rules[0].conditions.value', 'required'],
    ['a value not in the enum', { field: 'customerTier', op: 'eq', value: 'gold' }, 'rules[0].conditions.value', 'not_in_enum'],
    ['an enum value in the wrong case', { field: 'customerTier', op: 'eq', value: 'VIP' }, 'rules[0].conditions.value', 'not_in_enum'],
    ['a list where one value is expected', { field: 'priority', op: 'eq', value: ['high'] }, 'rules[0].conditions.value', 'not_in_enum'],
    ['a single value where a list is expected', { field: 'priority', op: 'in', value: 'high' }, 'rules[0].conditions.value', 'invalid_type'],
    ['an empty in list', { field: 'priority', op: 'in', value: [] }, 'rules[0].conditions.value', 'too_small'],
    ['an empty not_in list', { field: 'custom.x', op: 'not_in', value: [] }, 'rules[0].conditions.value', 'too_small'],
    ['one bad entry of an in list', { field: 'origin', op: 'in', value: ['web', 'fax'] }, 'rules[0].conditions.value[1]', 'not_in_enum'],
    ['an unknown subject', { field: 'subject', op: 'within', value: 'nope' }, 'rules[0].conditions.value', 'unknown_reference'],
    ['an unknown product', { field: 'product', op: 'eq', value: 'p-x999' }, 'rules[0].conditions.value', 'unknown_reference'],
    ['an unknown product in a list', { field: 'product', op: 'in', value: ['p-x200', 'p-x999'] }, 'rules[0].conditions.value[1]', 'unknown_reference'],
    ['words not in a list', { field: 'title', op: 'contains_any_word', value: 'printer' }, 'rules[0].conditions.value', 'invalid_type'],
    ['an empty word list', { field: 'title', op: 'contains_all_words', value: [] }, 'rules[0].conditions.value', 'too_small'],
    ['a blank word', { field: 'title', op: 'contains_any_word', value: ['ok', '  '] }, 'rules[0].conditions.value[1]', 'too_small'],
    ['a word without letters', { field: 'title', op: 'contains_any_word', value: ['?!'] }, 'rules[0].conditions.value[0]', 'invalid_value'],
    ['a word that is too long', { field: 'title', op: 'contains_any_word', value: ['x'.repeat(LIMITS.wordLength + 1)] }, 'rules[0].conditions.value[0]', 'too_big'],
    ['a phrase that is too long', { field: 'title', op: 'contains_any_word', value: ['a b c d e f'] }, 'rules[0].conditions.value[0]', 'too_big'],
    ['too many words', { field: 'title', op: 'contains_any_word', value: Array.from({ length: LIMITS.words + 1 }, (_, i) => `w${i}`) }, 'rules[0].conditions.value', 'too_big'],
    ['a number as a word', { field: 'title', op: 'contains_any_word', value: [42] }, 'rules[0].conditions.value[0]', 'invalid_type'],
    ['a string for a number comparison', { field: 'custom.score', op: 'gt', value: '3' }, 'rules[0].conditions.value', 'invalid_type'],
    ['NaN', { field: 'custom.score', op: 'lt', value: Number.NaN }, 'rules[0].conditions.value', 'invalid_type'],
    ['an object as a custom value', { field: 'custom.x', op: 'eq', value: { a: 1 } }, 'rules[0].conditions.value', 'invalid_type'],
    ['a blank tag', { field: 'tags', op: 'has', value: '' }, 'rules[0].conditions.value', 'too_small'],
    ['an extra key on a field test', { field: 'priority', op: 'eq', value: 'high', negate: true }, 'rules[0].conditions.negate', 'unknown_key'],
    ['a condition that is not an object', 'priority = high', 'rules[0].conditions', 'invalid_type'],
    ['two combinators at once', { all: [{ field: 'priority', op: 'eq', value: 'high' }], any: [] }, 'rules[0].conditions', 'ambiguous_condition'],
    ['a combinator with a field', { not: { field: 'priority', op: 'eq', value: 'high' }, field: 'x' }, 'rules[0].conditions', 'ambiguous_condition'],
    ['an empty all', { all: [] }, 'rules[0].conditions.all', 'too_small'],
    ['an any that is not a list', { any: { field: 'priority', op: 'eq', value: 'high' } }, 'rules[0].conditions.any', 'invalid_type'],
    ['a nested problem', { all: [{ field: 'priority', op: 'eq', value: 'high' }, { any: [{ not: { field: 'language', op: 'eq', value: 'de' } }] }] }, 'rules[0].conditions.all[1].any[0].not.value', 'not_in_enum'],
    ['a missing field', { op: 'eq', value: 1 }, 'rules[0].conditions.field', 'required'],
  ] as [string, unknown, string, string][])('%s', (_name, conditions, path, code) => {
    expect(at(conditions)).toEqual([[path, code]]);
  });

  it('nesting deeper than the limit', () => {
    let c: unknown = { field: 'priority', op: 'eq', value: 'high' };
    for (let i = 0; i < LIMITS.depth - 1; i++) c = { not: c };
    expect(at(c)).toEqual([]);
    expect(at({ not: c })).toEqual([['rules[0].conditions.not.not.not.not.not', 'too_deep']]);
  });

  it('more leaves than the limit', () => {
    const leaves = Array.from({ length: LIMITS.leaves }, () => ({ field: 'priority', op: 'eq', value: 'high' }));
    expect(at({ any: leaves })).toEqual([]);
    expect(at({ any: [...leaves, leaves[0]] })).toEqual([['rules[0].conditions', 'too_many_conditions']]);
  });

  it('the rule itself: every bad property at once', () => {
    const issues = validateRuleSet([{ id: '', name: 3, enabled: 'yes', order: '1', conditions: undefined, actions: {}, color: 'red' }], refs);
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ['rules[0].color', 'unknown_key'],
      ['rules[0].id', 'too_small'],
      ['rules[0].name', 'invalid_type'],
      ['rules[0].enabled', 'invalid_type'],
      ['rules[0].order', 'invalid_type'],
      ['rules[0].conditions', 'required'],
      ['rules[0].actions', 'no_actions'],
    ]);
  });

  it.each([
    ['no actions', {}, 'rules[0].actions', 'no_actions'],
    ['only an empty tag list', { tags: [] }, 'rules[0].actions', 'no_actions'],
    ['an unknown queue', { queueId: 'q-nope' }, 'rules[0].actions.queueId', 'unknown_reference'],
    ['an unknown priority', { priority: 'critical' }, 'rules[0].actions.priority', 'invalid_value'],
    ['a bad tag', { tags: ['ok', 7] }, 'rules[0].actions.tags[1]', 'invalid_type'],
    ['too many tags', { tags: Array.from({ length: LIMITS.tags + 1 }, (_, i) => `t${i}`) }, 'rules[0].actions.tags', 'too_big'],
    ['an unknown action', { queueId: 'q-it', ownerId: 'a1' }, 'rules[0].actions.ownerId', 'unknown_key'],
    ['actions that are not an object', 'q-it', 'rules[0].actions', 'invalid_type'],
    ['an unknown agent', { agentId: 'a-ghost' }, 'rules[0].actions.agentId', 'unknown_reference'],
    ['a blank agent', { queueId: 'q-it', agentId: ' ' }, 'rules[0].actions.agentId', 'too_small'],
    ['a skill level out of range', { skills: { persian: 6 } }, 'rules[0].actions.skills.persian', 'invalid_value'],
    ['a fractional skill level', { queueId: 'q-it', skills: { persian: 2.5 } }, 'rules[0].actions.skills.persian', 'invalid_value'],
    ['skills that are not an object', { queueId: 'q-it', skills: ['persian'] }, 'rules[0].actions.skills', 'invalid_type'],
    ['only empty skills', { skills: {} }, 'rules[0].actions', 'no_actions'],
  ] as [string, unknown, string, string][])('actions: %s', (_name, actions, path, code) => {
    expect(only([valid({ actions } as never)])).toEqual([[path, code]]);
  });

  it('actions: a known agent and skills are enough on their own', () => {
    expect(only([valid({ actions: { agentId: 'a-sara' } } as never)])).toEqual([]);
    expect(only([valid({ actions: { skills: { persian: 3, billing: 1 } } } as never)])).toEqual([]);
  });

  it('duplicate ids and orders across the set', () => {
    const a = valid({ id: 'a', order: 1 });
    const b = valid({ id: 'b', order: 2 });
    const issues = validateRuleSet([a, b, valid({ id: 'a', order: 3 }), valid({ id: 'c', order: 2 })], refs);
    expect(issues).toEqual([
      { path: 'rules[2].id', code: 'duplicate', message: "id 'a' is already used by rules[0]" },
      { path: 'rules[3].order', code: 'duplicate', message: 'order 2 is already used by rules[1]; each rule needs its own place' },
    ]);
  });

  it('not a list, not a rule', () => {
    expect(only({} as never)).toEqual([['rules', 'invalid_type']]);
    expect(only([null, 'x'])).toEqual([
      ['rules[0]', 'invalid_type'],
      ['rules[1]', 'invalid_type'],
    ]);
  });

  it('messages say what to do', () => {
    const [issue] = validateRuleSet([valid({ conditions: { field: 'priority', op: 'gt', value: 'low' } } as never)], refs);
    expect(issue!.message).toBe("operator 'gt' cannot be used on priority (enum); use one of eq, neq, in, not_in");
    const [tier] = validateRuleSet([valid({ conditions: { field: 'customerTier', op: 'eq', value: 'gold' } } as never)], refs);
    expect(tier!.message).toBe("must be one of standard, premium, vip, got 'gold'");
  });

  it('assertValidRuleSet throws a validation DomainError with every issue', () => {
    try {
      assertValidRuleSet([valid({ actions: {} } as never), valid({ conditions: { field: 'nope', op: 'eq', value: 1 } } as never)], refs);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).kind).toBe('validation');
      expect((e as DomainError).errors.map((i) => i.path)).toEqual(['rules[0].actions', 'rules[1].conditions.field']);
    }
  });

  it('validateRule checks one rule under its own path, and honours an extended registry', () => {
    const r = valid({ conditions: { field: 'sentiment', op: 'lt', value: -0.2 } } as never);
    expect(validateRule(r, refs).map((i) => i.path)).toEqual(['rule.conditions.field']);
    const fields = { ...FIELDS, sentiment: numberField('sentiment', () => null) };
    expect(validateRule(r, refs, { fields })).toEqual([]);
    expect(validateRule({ ...r, conditions: { field: 'sentiment', op: 'lt', value: 'low' } }, refs, { fields, path: 'body' }).map((i) => i.path)).toEqual(['body.conditions.value']);
  });
});
