/**
 * The signed-in user, kept in memory only: a page reload signs out (on Cognito the hosted UI
 * signs straight back in). Tokens never touch localStorage or sessionStorage.
 */
import { useSyncExternalStore } from 'react';
import { isStaff } from '../../../shared/domain/principal';
import { clearCaches } from '../api/cache';
import { configureApi } from '../api/client';
import { getCustomer, getMe } from '../api/endpoints';
import type { Customer, Me } from '../api/types';

export interface Session {
  token: string;
  me: Me;
  staff: boolean;
  /** customers: their own contact record (name, language...) */
  customer: Customer | null;
}

let token: string | null = null;
let session: Session | null = null;
/** why the last session ended, for the login page */
let endReason: 'expired' | null = null;
/** the user pressed "Sign out": the login page then forgets where they were */
let signedOut = false;
const listeners = new Set<() => void>();
const emit = () => {
  for (const l of listeners) l();
};

configureApi({
  getToken: () => token,
  onUnauthorized: () => {
    if (!session) return;
    endReason = 'expired';
    clear();
  },
});

function clear() {
  token = null;
  session = null;
  clearCaches();
  emit();
}

export const getSession = () => session;
export const subscribeSession = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};
export const useSession = () => useSyncExternalStore(subscribeSession, getSession, getSession);

/** Start a session with a bearer token: learn who we are, and for customers their record. */
export async function startSession(bearer: string): Promise<Session> {
  token = bearer;
  try {
    const me = await getMe();
    const staff = isStaff(me);
    const customer = !staff && me.customerId ? await getCustomer(me.customerId).catch(() => null) : null;
    session = { token: bearer, me, staff, customer };
    endReason = null;
    signedOut = false;
    emit();
    return session;
  } catch (e) {
    token = null;
    throw e;
  }
}

export function endSession() {
  endReason = null;
  signedOut = true;
  clear();
}

export const wasSignedOut = () => signedOut;

/** Read once: 'expired' when the API rejected our token. */
export function takeEndReason() {
  const r = endReason;
  endReason = null;
  return r;
}

/** Where a user lands by default. */
export const homeOf = (s: Session) => (s.staff ? '/agent' : '/portal');
