/**
 * The facts routing reads about a case, and the registry of fields rules may test.
 *
 * A rule's leaf condition is `{ field, op, value }`. `field` names an entry of a `FieldRegistry`
 * (the built-in `FIELDS`, or an extension of it); the entry gives the field's type, the operators
 * allowed on it, a human label for explanations and an accessor that reads the value from
 * `RoutingFacts`. The type decides how values are validated and compared.
 *
 * Adding a field later (no redesign):
 * - a value that already sits in the open `custom` bag needs nothing: `custom.<key>` is accepted
 *   for any key matching `CUSTOM_FIELD` (an absent key reads as null);
 * - to give it a proper type (e.g. `sentiment` as an enum), add an entry to the registry:
 *   `{ ...FIELDS, sentiment: enumField('sentiment', ['negative', 'neutral', 'positive'],
 *   (f) => f.custom.sentiment ...) }`, or add an optional property to `RoutingFacts` and read it;
 *   a registry entry named `custom.<key>` overrides the generic untyped one.
 * Validation, compilation and explanations all go through the registry, so nothing else changes.
 */
import type { Case, CaseType, Origin, Priority } from '../case';
import { CASE_TYPES, ORIGINS, PRIORITIES } from '../case';
import type { Subject } from '../catalog';
import type { Customer, Language, Tier } from '../customer';
import { LANGUAGES, TIERS } from '../customer';

/** A value in the open `custom` bag and in `custom.*` conditions. */
export type Scalar = string | number | boolean | null;

/** What routing knows about a case when it routes it. Built by `routingFacts` from stored data. */
export interface RoutingFacts {
  caseType: CaseType;
  priority: Priority;
  origin: Origin;
  /** subject ids from the root down to the case's subject; [] when the case has no subject */
  subjectPath: readonly string[];
  productId: string | null;
  customerTier: Tier;
  language: Language;
  title: string;
  description: string;
  tags: readonly string[];
  /** later facts (sentiment, custom fields...), read by `custom.<key>` conditions */
  custom: Readonly<Record<string, Scalar>>;
}

export const OPERATORS = [
  'eq',
  'neq',
  'in',
  'not_in',
  'within',
  'contains_any_word',
  'contains_all_words',
  'gt',
  'gte',
  'lt',
  'lte',
  'has',
  'has_any',
  'has_all',
] as const;
export type Operator = (typeof OPERATORS)[number];

/**
 * Field types and what they mean:
 * - `enum`: one of a fixed list of lower-case values (case type, tier...), compared exactly;
 * - `id`: an identifier of a catalogue record (product), compared exactly, checked against the
 *   known ids when saved;
 * - `string`: free string compared after normalisation (case-insensitive, Persian letters folded);
 * - `subject`: the case's subject path; `within` is true for the subject and its descendants;
 * - `text`: free text searched for whole words (see ./text.ts);
 * - `number`: a finite number; a missing value fails every comparison;
 * - `tags`: a list of tags compared after normalisation;
 * - `scalar`: an untyped value (string, number, boolean or null), as in `custom.*`.
 */
export const FIELD_TYPES = ['enum', 'id', 'string', 'subject', 'text', 'number', 'tags', 'scalar'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export const OPERATORS_BY_TYPE: Readonly<Record<FieldType, readonly Operator[]>> = {
  enum: ['eq', 'neq', 'in', 'not_in'],
  id: ['eq', 'neq', 'in', 'not_in'],
  string: ['eq', 'neq', 'in', 'not_in'],
  subject: ['within'],
  text: ['contains_any_word', 'contains_all_words'],
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'],
  tags: ['has', 'has_any', 'has_all'],
  scalar: ['eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte'],
};

/** Kinds of records a rule may reference; each must exist when the rule is saved. */
export type RefKind = 'queue' | 'subject' | 'product';

type Accessor<T> = (facts: RoutingFacts) => T;
interface FieldCommon {
  /** used in explanations: "customer tier is vip" */
  label: string;
  /** operators allowed on this field: OPERATORS_BY_TYPE[type] or a subset */
  ops: readonly Operator[];
}
export type FieldDef =
  | (FieldCommon & { type: 'enum'; values: readonly string[]; get: Accessor<string | null> })
  | (FieldCommon & { type: 'id'; ref?: RefKind; get: Accessor<string | null> })
  | (FieldCommon & { type: 'string'; get: Accessor<string | null> })
  | (FieldCommon & { type: 'subject'; get: Accessor<readonly string[]> })
  /** the accessor returns the texts searched (one per part, e.g. title and description) */
  | (FieldCommon & { type: 'text'; get: Accessor<readonly string[]> })
  | (FieldCommon & { type: 'number'; get: Accessor<number | null> })
  | (FieldCommon & { type: 'tags'; get: Accessor<readonly string[]> })
  | (FieldCommon & { type: 'scalar'; get: Accessor<Scalar> });

export type FieldRegistry = Readonly<Record<string, FieldDef>>;

export const enumField = (label: string, values: readonly string[], get: Accessor<string | null>): FieldDef => ({
  type: 'enum',
  label,
  values,
  ops: OPERATORS_BY_TYPE.enum,
  get,
});
export const idField = (label: string, ref: RefKind | undefined, get: Accessor<string | null>): FieldDef => ({
  type: 'id',
  label,
  ...(ref ? { ref } : {}),
  ops: OPERATORS_BY_TYPE.id,
  get,
});
export const stringField = (label: string, get: Accessor<string | null>): FieldDef => ({ type: 'string', label, ops: OPERATORS_BY_TYPE.string, get });
export const textField = (label: string, get: Accessor<readonly string[]>): FieldDef => ({ type: 'text', label, ops: OPERATORS_BY_TYPE.text, get });
export const numberField = (label: string, get: Accessor<number | null>): FieldDef => ({ type: 'number', label, ops: OPERATORS_BY_TYPE.number, get });
export const tagsField = (label: string, get: Accessor<readonly string[]>): FieldDef => ({ type: 'tags', label, ops: OPERATORS_BY_TYPE.tags, get });
export const scalarField = (label: string, get: Accessor<Scalar>): FieldDef => ({ type: 'scalar', label, ops: OPERATORS_BY_TYPE.scalar, get });

/**
 * Reads `custom[key]`; absent, undefined and non-scalar values (objects, and so inherited
 * properties such as `constructor`) read as null.
 */
export const customValue = (facts: RoutingFacts, key: string): Scalar => {
  const bag = facts.custom;
  if (!bag) return null;
  const v = bag[key];
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : null;
};

/** The built-in fields. Names are what rules store; keep them stable. */
export const FIELDS = {
  caseType: enumField('case type', CASE_TYPES, (f) => f.caseType),
  priority: enumField('priority', PRIORITIES, (f) => f.priority),
  origin: enumField('origin', ORIGINS, (f) => f.origin),
  customerTier: enumField('customer tier', TIERS, (f) => f.customerTier),
  language: enumField('language', LANGUAGES, (f) => f.language),
  subject: { type: 'subject', label: 'subject', ops: OPERATORS_BY_TYPE.subject, get: (f) => f.subjectPath ?? [] },
  product: idField('product', 'product', (f) => f.productId ?? null),
  title: textField('title', (f) => [f.title]),
  description: textField('description', (f) => [f.description]),
  title_or_description: textField('title or description', (f) => [f.title, f.description]),
  tags: tagsField('tags', (f) => f.tags ?? []),
} as const satisfies FieldRegistry;
export type BuiltInField = keyof typeof FIELDS;

/** `custom.<key>`: a letter, then up to 63 letters, digits, `_` or `-`. */
export const CUSTOM_FIELD = /^custom\.([A-Za-z][A-Za-z0-9_-]{0,63})$/;

/**
 * The definition of a field name: a registry entry, else the generic untyped `custom.<key>`,
 * else undefined (unknown field).
 */
export function lookupField(name: string, registry: FieldRegistry = FIELDS): FieldDef | undefined {
  if (Object.hasOwn(registry, name)) return registry[name];
  const m = CUSTOM_FIELD.exec(name);
  if (!m) return undefined;
  const key = m[1]!;
  return scalarField(name, (f) => customValue(f, key));
}

/**
 * Case fields whose change can change the facts (and so the routing); the stream handler re-routes
 * on these. Routing's own writes (queue, priority, tags set by a rule) must not trigger re-routing,
 * or two rules that set each other's condition would loop.
 */
export const ROUTING_CASE_FIELDS = [
  'title',
  'description',
  'subjectId',
  'productId',
  'origin',
  'caseType',
  'priority',
  'customerId',
] as const satisfies readonly (keyof Case)[];

/** Builds the facts from stored records; the caller loads the subject and the customer. */
export function routingFacts(
  c: Pick<Case, 'caseType' | 'priority' | 'origin' | 'productId' | 'title' | 'description'>,
  context: {
    subject: Pick<Subject, 'path'> | null;
    customer: Pick<Customer, 'tier' | 'language'>;
    tags?: readonly string[];
    custom?: Readonly<Record<string, Scalar>>;
  },
): RoutingFacts {
  return {
    caseType: c.caseType,
    priority: c.priority,
    origin: c.origin,
    subjectPath: context.subject ? [...context.subject.path] : [],
    productId: c.productId,
    customerTier: context.customer.tier,
    language: context.customer.language,
    title: c.title,
    description: c.description,
    tags: context.tags ? [...context.tags] : [],
    custom: context.custom ? { ...context.custom } : {},
  };
}
