import { describe, expect, it } from 'vitest';
import {
  type Condition,
  FIELDS,
  type FieldRegistry,
  type RoutingFacts,
  type RoutingRule,
  compileRuleSet,
  decideRouting,
  evaluate,
  explainMatch,
  explainResult,
  lookupField,
  numberField,
  routingFacts,
  scalarField,
  stringField,
  textField,
} from '../../../shared/domain/routing';
import { baseFacts, rule } from './support';

/** Extra fields of the types the built-in registry does not use yet (number, string). */
const EXTENDED: FieldRegistry = {
  ...FIELDS,
  sentimentScore: numberField('sentiment score', (f) => {
    const v = f.custom.sentimentScore;
    return typeof v === 'number' ? v : null;
  }),
  channelAddress: stringField('channel address', (f) => (typeof f.custom.channelAddress === 'string' ? f.custom.channelAddress : null)),
};

const matches = (conditions: Condition, facts: RoutingFacts, fields: FieldRegistry = EXTENDED) => {
  const compiled = compileRuleSet([rule({ id: 'x', conditions })], { fields });
  expect(compiled.problems).toEqual([]);
  const result = evaluate(compiled, facts);
  expect(result.skipped).toEqual([]);
  return result.matched !== null;
};

type Row = [string, Condition, Partial<RoutingFacts>, boolean];
const leaf = (field: string, op: string, value: unknown) => ({ field, op, value }) as Condition;

describe('operators by field type', () => {
  const rows: Row[] = [
    // enum
    ['enum eq', leaf('caseType', 'eq', 'problem'), {}, true],
    ['enum eq other', leaf('caseType', 'eq', 'question'), {}, false],
    ['enum neq', leaf('priority', 'neq', 'urgent'), {}, true],
    ['enum neq same', leaf('priority', 'neq', 'normal'), {}, false],
    ['enum in', leaf('origin', 'in', ['email', 'web']), {}, true],
    ['enum in miss', leaf('origin', 'in', ['email', 'phone']), {}, false],
    ['enum not_in', leaf('customerTier', 'not_in', ['vip', 'premium']), {}, true],
    ['enum not_in hit', leaf('customerTier', 'not_in', ['vip', 'premium']), { customerTier: 'vip' }, false],
    ['enum language', leaf('language', 'eq', 'fa'), { language: 'fa' }, true],
    ['enum value in other case (unvalidated) still matches', leaf('customerTier', 'eq', 'VIP'), { customerTier: 'vip' }, true],
    // id
    ['id eq', leaf('product', 'eq', 'p-x200'), {}, true],
    ['id eq is case-sensitive', leaf('product', 'eq', 'P-X200'), {}, false],
    ['id neq', leaf('product', 'neq', 'p-x300'), {}, true],
    ['id eq without product', leaf('product', 'eq', 'p-x200'), { productId: null }, false],
    ['id neq without product', leaf('product', 'neq', 'p-x200'), { productId: null }, true],
    ['id in', leaf('product', 'in', ['p-x300', 'p-x200']), {}, true],
    ['id not_in without product', leaf('product', 'not_in', ['p-x200']), { productId: null }, true],
    ['id not_in hit', leaf('product', 'not_in', ['p-x200']), {}, false],
    // subject
    ['within: the subject itself', leaf('subject', 'within', 'hw-printers-laser'), {}, true],
    ['within: an ancestor', leaf('subject', 'within', 'hw'), {}, true],
    ['within: a middle ancestor', leaf('subject', 'within', 'hw-printers'), {}, true],
    ['within: a sibling', leaf('subject', 'within', 'hw-scanners'), {}, false],
    ['within: a descendant of the case subject is not within', leaf('subject', 'within', 'hw-printers-laser'), { subjectPath: ['hw', 'hw-printers'] }, false],
    ['within: no subject', leaf('subject', 'within', 'hw'), { subjectPath: [] }, false],
    // text
    ['any word, title', leaf('title', 'contains_any_word', ['scanner', 'printer']), {}, true],
    ['any word, case-insensitive', leaf('title', 'contains_any_word', ['PRINTER']), {}, true],
    ['any word, whole words only', leaf('title', 'contains_any_word', ['print']), {}, false],
    ['any word, not a prefix of a longer word', leaf('title', 'contains_any_word', ['printers']), {}, false],
    ['any word, punctuation separates', leaf('description', 'contains_any_word', ['e']), {}, true],
    ['any word, digits are words', leaf('description', 'contains_any_word', ['42']), {}, true],
    ['any word, title does not search description', leaf('title', 'contains_any_word', ['tray']), {}, false],
    ['any word, description', leaf('description', 'contains_any_word', ['tray']), {}, true],
    ['any word, title_or_description', leaf('title_or_description', 'contains_any_word', ['tray']), {}, true],
    ['any word, phrase', leaf('description', 'contains_any_word', ['paper jam']), {}, true],
    ['any word, phrase words must be consecutive', leaf('description', 'contains_any_word', ['paper tray']), {}, false],
    ['any word, phrase across title and description does not join', leaf('title_or_description', 'contains_any_word', ['jammed paper']), {}, false],
    ['all words', leaf('title_or_description', 'contains_all_words', ['printer', 'monday']), {}, true],
    ['all words, one missing', leaf('title_or_description', 'contains_all_words', ['printer', 'tuesday']), {}, false],
    ['all words, Unicode letters', leaf('title', 'contains_all_words', ['café']), { title: 'Le Café est fermé' }, true],
    ['any word, accented letter is a letter (no boundary inside)', leaf('title', 'contains_any_word', ['caf']), { title: 'Le Café' }, false],
    ['any word, empty text', leaf('title', 'contains_any_word', ['printer']), { title: '' }, false],
    // number (extension field)
    ['number eq', leaf('sentimentScore', 'eq', -0.5), { custom: { sentimentScore: -0.5 } }, true],
    ['number neq', leaf('sentimentScore', 'neq', -0.5), { custom: { sentimentScore: 0 } }, true],
    ['number gt', leaf('sentimentScore', 'gt', 0), { custom: { sentimentScore: 0.1 } }, true],
    ['number gt equal', leaf('sentimentScore', 'gt', 0), { custom: { sentimentScore: 0 } }, false],
    ['number gte equal', leaf('sentimentScore', 'gte', 0), { custom: { sentimentScore: 0 } }, true],
    ['number lt', leaf('sentimentScore', 'lt', -0.3), { custom: { sentimentScore: -0.4 } }, true],
    ['number lt equal', leaf('sentimentScore', 'lt', -0.3), { custom: { sentimentScore: -0.3 } }, false],
    ['number lte equal', leaf('sentimentScore', 'lte', -0.3), { custom: { sentimentScore: -0.3 } }, true],
    ['number missing fails lt', leaf('sentimentScore', 'lt', 100), { custom: {} }, false],
    ['number missing passes neq', leaf('sentimentScore', 'neq', 1), { custom: {} }, true],
    // string (extension field)
    ['string eq, normalised', leaf('channelAddress', 'eq', 'Support@Example.com '), { custom: { channelAddress: 'support@example.com' } }, true],
    ['string eq, Persian letters folded', leaf('channelAddress', 'eq', 'کیان'), { custom: { channelAddress: 'كيان' } }, true],
    ['string neq', leaf('channelAddress', 'neq', 'a'), { custom: { channelAddress: 'A' } }, false],
    ['string in', leaf('channelAddress', 'in', ['a', 'b']), { custom: { channelAddress: 'B' } }, true],
    ['string not_in missing', leaf('channelAddress', 'not_in', ['a']), { custom: {} }, true],
    // tags
    ['tags has, case-insensitive', leaf('tags', 'has', 'onboarding'), {}, true],
    ['tags has miss', leaf('tags', 'has', 'billing'), {}, false],
    ['tags has_any', leaf('tags', 'has_any', ['billing', 'EU']), {}, true],
    ['tags has_any miss', leaf('tags', 'has_any', ['billing', 'us']), {}, false],
    ['tags has_all', leaf('tags', 'has_all', ['eu', 'onboarding']), {}, true],
    ['tags has_all one missing', leaf('tags', 'has_all', ['eu', 'billing']), {}, false],
    ['tags none', leaf('tags', 'has_any', ['eu']), { tags: [] }, false],
    // custom.* (untyped)
    ['custom eq string, case-insensitive', leaf('custom.deviceModel', 'eq', 'x200'), {}, true],
    ['custom eq number', leaf('custom.score', 'eq', 0.25), {}, true],
    ['custom eq: a number is not the same string', leaf('custom.score', 'eq', '0.25'), {}, false],
    ['custom eq boolean', leaf('custom.warranty', 'eq', true), {}, true],
    ['custom eq boolean false', leaf('custom.warranty', 'eq', false), {}, false],
    ['custom eq null (stored null)', leaf('custom.region', 'eq', null), {}, true],
    ['custom eq null (unknown key)', leaf('custom.nothing', 'eq', null), {}, true],
    ['custom neq on unknown key', leaf('custom.nothing', 'neq', 'x'), {}, true],
    ['custom in mixed', leaf('custom.deviceModel', 'in', [1, 'X300', 'X200']), {}, true],
    ['custom not_in', leaf('custom.deviceModel', 'not_in', ['X300']), {}, true],
    ['custom not_in unknown key', leaf('custom.nothing', 'not_in', ['X300']), {}, true],
    ['custom in with null matches unknown key', leaf('custom.nothing', 'in', [null, 'a']), {}, true],
    ['custom gt', leaf('custom.score', 'gt', 0.2), {}, true],
    ['custom gte', leaf('custom.score', 'gte', 0.25), {}, true],
    ['custom lt', leaf('custom.score', 'lt', 0.25), {}, false],
    ['custom lte', leaf('custom.score', 'lte', 0.25), {}, true],
    ['custom gt on a string is false', leaf('custom.deviceModel', 'gt', 0), {}, false],
    ['custom gt on unknown key is false', leaf('custom.nothing', 'gt', -1), {}, false],
    ['custom: inherited properties are not values', leaf('custom.constructor', 'eq', null), {}, true],
    // combinators
    ['all', { all: [leaf('caseType', 'eq', 'problem'), leaf('tags', 'has', 'eu')] }, {}, true],
    ['all, one false', { all: [leaf('caseType', 'eq', 'problem'), leaf('tags', 'has', 'us')] }, {}, false],
    ['any', { any: [leaf('caseType', 'eq', 'question'), leaf('tags', 'has', 'eu')] }, {}, true],
    ['any, none', { any: [leaf('caseType', 'eq', 'question'), leaf('tags', 'has', 'us')] }, {}, false],
    ['not', { not: leaf('caseType', 'eq', 'question') }, {}, true],
    ['not not', { not: { not: leaf('caseType', 'eq', 'question') } }, {}, false],
    ['nested', { all: [{ any: [leaf('priority', 'eq', 'high'), { not: leaf('language', 'eq', 'fa') }] }, leaf('subject', 'within', 'hw')] }, {}, true],
  ];
  it.each(rows)('%s', (_name, conditions, over, expected) => {
    expect(matches(conditions, baseFacts(over))).toBe(expected);
  });

  it('covers every operator of every built-in type', () => {
    const used = new Set(rows.map(([, c]) => ('field' in c ? `${lookupField(c.field, EXTENDED)!.type}:${c.op}` : '')));
    for (const def of [...Object.values(EXTENDED), lookupField('custom.any')!]) for (const op of def.ops) expect(used, `${def.type}:${op}`).toContain(`${def.type}:${op}`);
  });
});

describe('Persian and Arabic text', () => {
  const word = (value: string[], op = 'contains_any_word') => leaf('title', op, value);
  const cases: [string, string[], string, boolean][] = [
    ['a Persian word in text typed with Arabic kaf/yeh', ['چاپگر'], 'چاپگر كار نمي‌كند', true],
    ['a rule word with Persian kaf matches Arabic kaf', ['کار'], 'چاپگر كار نمي‌كند', true],
    ['a rule word with Arabic letters matches Persian text', ['كار'], 'چاپگر کار نمی‌کند', true],
    ['half-space word written with Arabic letters', ['نمی‌کند'], 'چاپگر كار نمي‌كند', true],
    ['half-space word written without the half-space', ['نمی‌کند'], 'چاپگر کار نمیکند', true],
    ['a phrase', ['کار نمی‌کند'], 'چاپگر كار نمي‌كند!', true],
    ['whole words: the plural is another word', ['چاپگر'], 'چاپگرها خراب‌اند', false],
    ['whole words: a part of a word does not match', ['کند'], 'چاپگر کار نمی‌کند', false],
    ['Persian punctuation separates words', ['چاپگر'], 'سلام،چاپگر؟', true],
    ['diacritics and tatweel are ignored', ['چاپگر'], 'چـاپـگَر', true],
    ['Persian digits equal ASCII digits', ['2024'], 'خطای ۲۰۲۴', true],
    ['Arabic-Indic digits equal ASCII digits', ['42'], 'error ٤٢', true],
    ['alef maksura folds to Persian yeh', ['یی'], 'ىى', true],
    ['Arabic presentation forms fold (NFKC)', ['کار'], 'ﻛﺎﺭ', true],
  ];
  it.each(cases)('%s', (_name, value, title, expected) => {
    expect(matches(word(value), baseFacts({ title }))).toBe(expected);
  });
  it('explains with the rule word as written', () => {
    const compiled = compileRuleSet([rule({ id: 'p', name: 'چاپگرها', order: 7, conditions: word(['چاپگر', 'اسکنر']) })]);
    const r = evaluate(compiled, baseFacts({ title: 'چاپگر كار نمي‌كند' }));
    expect(explainMatch(r.matched!)).toBe("Rule 'چاپگرها' (#7) matched: title contains 'چاپگر'");
  });
});

describe('rule order, disabled rules and failures', () => {
  const vip = { field: 'customerTier', op: 'eq', value: 'vip' } as const;
  const printer = { field: 'title', op: 'contains_any_word', value: ['printer'] } as const;

  it('the first enabled match in order wins, whatever the list order', () => {
    const rules = [rule({ id: 'late', order: 20, conditions: printer }), rule({ id: 'early', order: 10, conditions: printer }), rule({ id: 'first', order: 5, conditions: vip })];
    const r = evaluate(compileRuleSet(rules), baseFacts());
    expect(r.matched?.ruleId).toBe('early');
    expect(r.evaluated).toBe(2);
  });

  it('equal orders fall back to id order, deterministically', () => {
    const rules = [rule({ id: 'b', order: 1, conditions: printer }), rule({ id: 'a', order: 1, conditions: printer })];
    expect(evaluate(compileRuleSet(rules), baseFacts()).matched?.ruleId).toBe('a');
    expect(evaluate(compileRuleSet([...rules].reverse()), baseFacts()).matched?.ruleId).toBe('a');
  });

  it('disabled rules are ignored', () => {
    const rules = [rule({ id: 'off', order: 1, enabled: false, conditions: printer }), rule({ id: 'on', order: 2, conditions: printer })];
    const compiled = compileRuleSet(rules);
    expect(compiled.disabled).toBe(1);
    const r = evaluate(compiled, baseFacts());
    expect(r.matched?.ruleId).toBe('on');
    expect(r.evaluated).toBe(1);
  });

  it('no match gives null, having looked at every enabled rule', () => {
    const r = evaluate(compileRuleSet([rule({ conditions: vip }), rule({ conditions: vip, enabled: false }), rule({ conditions: vip })]), baseFacts());
    expect(r).toEqual({ matched: null, skipped: [], evaluated: 2 });
  });

  it('a rule whose field accessor throws is skipped and reported; the next rule still matches', () => {
    const fields: FieldRegistry = {
      ...FIELDS,
      boom: scalarField('boom', () => {
        throw new Error('sentiment service returned garbage');
      }),
    };
    const rules = [rule({ id: 'bad', name: 'Angry customers', order: 1, conditions: { field: 'boom', op: 'eq', value: 'angry' } }), rule({ id: 'good', order: 2, conditions: printer })];
    const r = evaluate(compileRuleSet(rules, { fields }), baseFacts());
    expect(r.matched?.ruleId).toBe('good');
    expect(r.skipped).toEqual([{ ruleId: 'bad', ruleName: 'Angry customers', error: 'sentiment service returned garbage' }]);
    expect(r.evaluated).toBe(2);
    expect(explainResult(r)).toContain("Rule 'Angry customers' (id bad) was skipped: sentiment service returned garbage");
  });

  it('an accessor returning the wrong type is skipped too', () => {
    const fields: FieldRegistry = { ...FIELDS, weird: textField('weird', () => [42 as unknown as string]) };
    const rules = [rule({ id: 'bad', order: 1, conditions: { field: 'weird', op: 'contains_any_word', value: ['x'] } }), rule({ id: 'good', order: 2, conditions: printer })];
    const r = evaluate(compileRuleSet(rules, { fields }), baseFacts());
    expect(r.matched?.ruleId).toBe('good');
    expect(r.skipped.map((s) => s.ruleId)).toEqual(['bad']);
    expect(r.skipped[0]!.error).toMatch(/expected text/);
  });

  it('a malformed rule (never validated) compiles to a skipped rule instead of failing the set', () => {
    const broken = rule({ id: 'broken', order: 1, conditions: { field: 'nonsense', op: 'eq', value: 1 } as Condition });
    const wrongOp = rule({ id: 'wrong-op', order: 2, conditions: { field: 'title', op: 'eq', value: 'x' } as Condition });
    const empty = rule({ id: 'empty', order: 3, conditions: { all: [] } });
    const compiled = compileRuleSet([broken, wrongOp, empty, rule({ id: 'good', order: 4, conditions: printer })]);
    expect(compiled.problems.map((p) => p.ruleId)).toEqual(['broken', 'wrong-op', 'empty']);
    expect(compiled.problems[0]!.error).toBe("conditions.field: unknown field 'nonsense'");
    const r = evaluate(compiled, baseFacts());
    expect(r.matched?.ruleId).toBe('good');
    expect(r.skipped.map((s) => s.ruleId)).toEqual(['broken', 'wrong-op', 'empty']);
  });

  it('a throwing condition after a decisive branch is never reached', () => {
    const fields: FieldRegistry = {
      ...FIELDS,
      boom: scalarField('boom', () => {
        throw new Error('x');
      }),
    };
    const r = evaluate(compileRuleSet([rule({ id: 'short', conditions: { any: [printer, { field: 'boom', op: 'eq', value: 1 }] } })], { fields }), baseFacts());
    expect(r.matched?.ruleId).toBe('short');
    expect(r.skipped).toEqual([]);
  });

  it('compiling copies the actions: later edits of the input do not leak in', () => {
    const input = rule({ actions: { queueId: 'q-it', tags: ['a'] } });
    const compiled = compileRuleSet([input]);
    input.actions.tags!.push('b');
    input.actions.queueId = 'q-edu';
    expect(evaluate(compiled, baseFacts()).matched?.actions).toEqual({ queueId: 'q-it', tags: ['a'] });
  });
});

describe('explanations', () => {
  const names = { subjects: new Map([['hw', 'Hardware']]), products: new Map([['p-x200', 'Printer X200']]), queues: new Map([['q-vip', 'VIP desk']]) };
  const explainOne = (conditions: Condition, facts: RoutingFacts = baseFacts()) => {
    const r = evaluate(compileRuleSet([rule({ id: 'e', name: 'VIP customers', order: 3, conditions, actions: { queueId: 'q-vip', priority: 'high' } })], { fields: EXTENDED, names }), facts, { trace: true });
    return r.matched ? r.matched.reasons : r.trace![0]!.reasons;
  };

  it('writes the timeline line of the issue', () => {
    const r = evaluate(compileRuleSet([rule({ id: 'v', name: 'VIP customers', order: 3, conditions: leaf('customerTier', 'eq', 'vip'), actions: { queueId: 'q-vip', priority: 'high' } })]), baseFacts({ customerTier: 'vip' }));
    expect(explainMatch(r.matched!)).toBe("Rule 'VIP customers' (#3) matched: customer tier is vip");
    expect(explainResult(r, names)).toBe("Rule 'VIP customers' (#3) matched: customer tier is vip. Actions: queue VIP desk (id q-vip), priority high.");
  });

  it.each([
    ['subject within', leaf('subject', 'within', 'hw'), ['subject is within Hardware (id hw)']],
    ['subject not within', { not: leaf('subject', 'within', 'hw-scanners') }, ['subject is not within hw-scanners']],
    ['product', leaf('product', 'eq', 'p-x200'), ['product is Printer X200 (id p-x200)']],
    ['title word', leaf('title', 'contains_any_word', ['scanner', 'printer', 'jammed']), ["title contains 'printer', 'jammed'"]],
    ['all words', leaf('description', 'contains_all_words', ['paper', 'jam']), ["description contains 'paper', 'jam'"]],
    ['in', leaf('priority', 'in', ['normal', 'high']), ['priority is normal (one of normal, high)']],
    ['not_in', leaf('origin', 'not_in', ['email', 'phone']), ['origin is web, not one of email, phone']],
    ['neq', leaf('caseType', 'neq', 'question'), ['case type is problem, not question']],
    ['tags', leaf('tags', 'has_any', ['eu', 'us']), ["tags include 'eu'"]],
    ['custom number', leaf('custom.score', 'lt', 0.5), ['custom.score is 0.25, less than 0.5']],
    ['custom string', leaf('custom.deviceModel', 'eq', 'X200'), ["custom.deviceModel is 'X200'"]],
    ['all: every clause', { all: [leaf('caseType', 'eq', 'problem'), leaf('tags', 'has', 'eu')] }, ['case type is problem', "tags include 'eu'"]],
    ['any: the clause that held', { any: [leaf('caseType', 'eq', 'question'), leaf('tags', 'has', 'eu')] }, ["tags include 'eu'"]],
    ['not any: every clause failed', { not: { any: [leaf('caseType', 'eq', 'question'), leaf('language', 'eq', 'fa')] } }, ['case type is problem, not question', 'language is en, not fa']],
    ['not all: the clause that failed', { not: { all: [leaf('caseType', 'eq', 'problem'), leaf('language', 'eq', 'fa')] } }, ['language is en, not fa']],
  ] as [string, Condition, string[]][])('%s', (_name, conditions, reasons) => {
    expect(explainOne(conditions)).toEqual(reasons);
  });

  it('the dry run traces why earlier rules did not match', () => {
    const rules = [
      rule({ id: 'a', name: 'Training', order: 1, conditions: { all: [leaf('subject', 'within', 'training'), leaf('caseType', 'eq', 'question')] } }),
      rule({ id: 'b', name: 'Persian', order: 2, conditions: leaf('language', 'eq', 'fa') }),
      rule({ id: 'c', name: 'Printers', order: 3, conditions: leaf('title', 'contains_any_word', ['printer']) }),
      rule({ id: 'd', name: 'Never looked at', order: 4 }),
    ];
    const r = evaluate(compileRuleSet(rules), baseFacts({ subjectPath: [] }), { trace: true });
    expect(r.trace).toEqual([
      { ruleId: 'a', ruleName: 'Training', order: 1, outcome: 'no_match', reasons: ['the case has no subject (so not within training)'] },
      { ruleId: 'b', ruleName: 'Persian', order: 2, outcome: 'no_match', reasons: ['language is en, not fa'] },
      { ruleId: 'c', ruleName: 'Printers', order: 3, outcome: 'matched', reasons: ["title contains 'printer'"] },
    ]);
  });

  it('no trace unless asked', () => {
    expect(evaluate(compileRuleSet([rule()]), baseFacts())).not.toHaveProperty('trace');
  });
});

describe('decideRouting', () => {
  it('uses the matched rule queue, priority and tags', () => {
    const r = evaluate(compileRuleSet([rule({ id: 'v', actions: { queueId: 'q-vip', priority: 'urgent', tags: ['vip'] } })]), baseFacts());
    expect(decideRouting(r, 'q-default')).toMatchObject({ queueId: 'q-vip', priority: 'urgent', tags: ['vip'], ruleId: 'v', defaultQueue: false });
  });
  it('no match goes to the default queue', () => {
    const r = evaluate(compileRuleSet([rule({ conditions: leaf('language', 'eq', 'fa') })]), baseFacts());
    const d = decideRouting(r, 'q-default');
    expect(d).toMatchObject({ queueId: 'q-default', priority: null, tags: [], ruleId: null, defaultQueue: true });
    expect(d.text).toBe('No routing rule matched (1 evaluated); the case goes to the default queue.');
  });
  it('a rule that only sets the priority leaves the case in the default queue', () => {
    const r = evaluate(compileRuleSet([rule({ id: 'p', actions: { priority: 'high' } })]), baseFacts());
    const d = decideRouting(r, 'q-default');
    expect(d).toMatchObject({ queueId: 'q-default', priority: 'high', ruleId: 'p', defaultQueue: true });
    expect(d.text).toMatch(/sets no queue/);
  });
});

describe('routingFacts', () => {
  it('builds the facts from a case, its subject and its customer', () => {
    const facts = routingFacts(
      { caseType: 'request', priority: 'low', origin: 'email', productId: null, title: 't', description: 'd' },
      { subject: { path: ['a', 'b'] }, customer: { tier: 'premium', language: 'fa' } },
    );
    expect(facts).toEqual({ caseType: 'request', priority: 'low', origin: 'email', subjectPath: ['a', 'b'], productId: null, customerTier: 'premium', language: 'fa', title: 't', description: 'd', tags: [], custom: {} });
    expect(routingFacts({ ...facts, productId: 'p' }, { subject: null, customer: { tier: 'vip', language: 'en' } }).subjectPath).toEqual([]);
  });
});

describe('the field registry', () => {
  it('resolves built-ins, custom.<key>, and refuses the rest', () => {
    expect(lookupField('customerTier')?.type).toBe('enum');
    expect(lookupField('custom.deviceModel')?.type).toBe('scalar');
    expect(lookupField('custom.')).toBeUndefined();
    expect(lookupField('custom.a b')).toBeUndefined();
    expect(lookupField('toString')).toBeUndefined();
    expect(lookupField('sentiment')).toBeUndefined();
  });
  it('a registry entry can type a custom field', () => {
    const fields: FieldRegistry = { ...FIELDS, 'custom.deviceModel': stringField('device model', (f) => String(f.custom.deviceModel ?? '')) };
    expect(lookupField('custom.deviceModel', fields)?.label).toBe('device model');
    const rules: RoutingRule[] = [rule({ conditions: leaf('custom.deviceModel', 'in', ['x200']) })];
    expect(evaluate(compileRuleSet(rules, { fields }), baseFacts()).matched).not.toBeNull();
  });
});
