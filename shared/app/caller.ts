/** The caller of a use case: the principal, and for customers the contact record they act as. */
import type { Actor } from '../domain/case';
import { DomainError, forbidden } from '../domain/errors';
import { type Principal, isAdmin, isStaff } from '../domain/principal';
import type { Deps } from './deps';

export interface Caller {
  principal: Principal;
  actor: Actor;
  /** set for customers: the contact they are */
  customerId: string | null;
}

export async function resolveCaller(deps: Deps, principal: Principal): Promise<Caller> {
  if (isStaff(principal))
    return { principal, actor: { sub: principal.sub, kind: 'staff', email: principal.email }, customerId: null };
  const customerId = principal.email ? await deps.customers.findIdByEmail(principal.email) : undefined;
  if (!customerId)
    throw new DomainError('forbidden', 'Your sign-in is not linked to a customer record. Please contact support.');
  return { principal, actor: { sub: principal.sub, kind: 'customer', email: principal.email }, customerId };
}

export const requireStaff = (c: Caller) => {
  if (!isStaff(c.principal)) throw forbidden('Only agents, managers and admins may do this.');
};
export const requireAdmin = (c: Caller) => {
  if (!isAdmin(c.principal)) throw forbidden('Only admins may change configuration.');
};
