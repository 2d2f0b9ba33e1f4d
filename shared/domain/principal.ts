/** Who is calling, as the JWT authorizer (or the local gateway) describes them. */
export const ROLES = ['customer', 'agent', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  sub: string;
  email: string;
  roles: Role[];
}

/** Agents, managers and admins work cases; customers only their own. */
export const isStaff = (p: Principal) => p.roles.some((r) => r === 'agent' || r === 'manager' || r === 'admin');
export const isAdmin = (p: Principal) => p.roles.includes('admin');
export const isManager = (p: Principal) => p.roles.some((r) => r === 'manager' || r === 'admin');
export const isCustomerOnly = (p: Principal) => !isStaff(p);

/**
 * Cognito puts groups in `cognito:groups` as an array; API Gateway's JWT authorizer flattens array
 * claims to a string such as `[agent manager]`. Accept both, keep only roles we know.
 */
export function rolesFromClaim(raw: unknown): Role[] {
  let values: string[] = [];
  if (Array.isArray(raw)) values = raw.map(String);
  else if (typeof raw === 'string') {
    const trimmed = raw.trim().replace(/^\[/, '').replace(/\]$/, '');
    values = trimmed.split(/[\s,]+/).filter(Boolean);
  }
  const known = new Set<string>(ROLES);
  const roles = [...new Set(values.map((v) => v.toLowerCase()).filter((v) => known.has(v)))] as Role[];
  return roles.length ? roles : ['customer'];
}
