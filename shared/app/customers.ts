import type { Customer, CustomerKind, Language, Tier } from '../domain/customer';
import { notFound, preconditionFailed, validationError } from '../domain/errors';
import { assertAllowedFields } from '../domain/case';
import type { CustomerQuery, Reference } from '../ports';
import { type Caller, requireStaff } from './caller';
import type { Deps } from './deps';

export interface NewCustomer {
  kind: CustomerKind;
  name: string;
  email?: string;
  phone?: string;
  tier?: Tier;
  language?: Language;
  accountId?: string;
}
export type CustomerPatch = Partial<Pick<Customer, 'name' | 'email' | 'phone' | 'tier' | 'language' | 'accountId'>>;

const CUSTOMER_SELF_FIELDS = ['name', 'phone', 'language'] as const;

function checkShape(c: Pick<Customer, 'kind' | 'email' | 'accountId'>) {
  if (c.kind === 'contact' && !c.email)
    throw validationError('A contact needs an e-mail address.', [{ path: 'email', code: 'required', message: 'required for contacts' }]);
  if (c.kind === 'account' && c.accountId)
    throw validationError('Accounts do not belong to other accounts.', [
      { path: 'accountId', code: 'not_allowed', message: 'only contacts belong to an account' },
    ]);
}

const accountRef = (accountId: string | null | undefined): Reference[] =>
  accountId ? [{ field: 'accountId', kind: 'account', id: accountId }] : [];

export async function createCustomer(deps: Deps, caller: Caller, input: NewCustomer): Promise<Customer> {
  requireStaff(caller);
  const now = deps.clock.now().toISOString();
  const c: Customer = {
    id: deps.ids.id(),
    kind: input.kind,
    name: input.name,
    email: input.email ?? null,
    phone: input.phone ?? null,
    tier: input.tier ?? 'standard',
    language: input.language ?? 'en',
    accountId: input.accountId ?? null,
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  checkShape(c);
  await deps.customers.create(c, accountRef(c.accountId));
  return c;
}

function ensureVisible(caller: Caller, c: Customer | undefined): Customer {
  if (!c || (caller.customerId && c.id !== caller.customerId)) throw notFound('Customer');
  return c;
}

export async function readCustomer(deps: Deps, caller: Caller, id: string) {
  return ensureVisible(caller, await deps.customers.get(id));
}

export async function updateCustomer(deps: Deps, caller: Caller, id: string, patch: CustomerPatch, ifMatch: number) {
  if (caller.customerId) assertAllowedFields(patch, CUSTOMER_SELF_FIELDS, 'customers');
  const current = ensureVisible(caller, await deps.customers.get(id));
  if (current.version !== ifMatch) throw preconditionFailed(current.version, 'customer');
  const next: Customer = { ...current };
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) (next as unknown as Record<string, unknown>)[k] = v;
  // a new address has not bounced (yet)
  if (patch.email !== undefined && patch.email !== current.email) next.emailBounce = null;
  if (patch.accountId && patch.accountId === id)
    throw validationError('A customer cannot belong to itself.', [{ path: 'accountId', code: 'invalid', message: 'must be another account' }]);
  checkShape(next);
  if (JSON.stringify(next) === JSON.stringify(current)) return current;
  next.updatedAt = deps.clock.now().toISOString();
  next.version = current.version + 1;
  await deps.customers.save(next, current, patch.accountId ? accountRef(patch.accountId) : []);
  return next;
}

export async function listCustomers(deps: Deps, caller: Caller, q: CustomerQuery) {
  requireStaff(caller);
  return deps.customers.list(q);
}

