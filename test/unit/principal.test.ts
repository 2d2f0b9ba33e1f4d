import { describe, expect, it } from 'vitest';
import { isStaff, rolesFromClaim } from '../../shared/domain/principal';

describe('roles from the cognito:groups claim', () => {
  it('reads the array Cognito signs and the string API Gateway passes on', () => {
    expect(rolesFromClaim(['agent', 'manager'])).toEqual(['agent', 'manager']);
    expect(rolesFromClaim('[agent manager]')).toEqual(['agent', 'manager']);
    expect(rolesFromClaim('[admin]')).toEqual(['admin']);
  });
  it('ignores unknown groups and falls back to customer', () => {
    expect(rolesFromClaim('[superuser]')).toEqual(['customer']);
    expect(rolesFromClaim(undefined)).toEqual(['customer']);
    expect(rolesFromClaim('[]')).toEqual(['customer']);
  });
  it('counts agents, managers and admins as staff, never customers', () => {
    expect(isStaff({ sub: 's', email: 'e', roles: ['customer'] })).toBe(false);
    expect(isStaff({ sub: 's', email: 'e', roles: ['manager'] })).toBe(true);
  });
});
