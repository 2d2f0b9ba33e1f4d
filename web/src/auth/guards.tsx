/** Route guards: who may see which part of the app. */
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { isAdmin } from '../../../shared/domain/principal';
import { homeOf, useSession, wasSignedOut } from './session';

/** Only a same-site path may be a return target (no `//evil.example`). */
export const safeNext = (next: string | null | undefined) =>
  next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') && !next.startsWith('/login') ? next : null;

export function RequireAuth({ children }: { children: ReactNode }) {
  const session = useSession();
  const loc = useLocation();
  if (!session) {
    // after "Sign out" the next person should not land on the previous user's page
    if (wasSignedOut()) return <Navigate replace to="/login" />;
    return <Navigate replace to={`/login?next=${encodeURIComponent(loc.pathname + loc.search)}`} />;
  }
  return children;
}

/** The customer portal: staff go to their workspace. */
export function RequireCustomer({ children }: { children: ReactNode }) {
  const session = useSession();
  if (session?.staff) return <Navigate replace to="/agent" />;
  return children;
}

/** The agent workspace: customers go to the portal (and never download the workspace code). */
export function RequireStaff({ children }: { children: ReactNode }) {
  const session = useSession();
  if (session && !session.staff) return <Navigate replace to="/portal" />;
  return children;
}

/** Administration: other staff go to their workspace, customers to the portal. */
export function RequireAdmin({ children }: { children: ReactNode }) {
  const session = useSession();
  if (session && !isAdmin(session.me)) return <Navigate replace to={homeOf(session)} />;
  return children;
}

/** Managers and admins (e.g. the mail templates, which managers may read). */
export const isManagerOrAdmin = (me: { roles: readonly string[] }) => me.roles.includes('manager') || me.roles.includes('admin');

export function RequireManager({ children }: { children: ReactNode }) {
  const session = useSession();
  if (session && !isManagerOrAdmin(session.me)) return <Navigate replace to={homeOf(session)} />;
  return children;
}

export function HomeRedirect() {
  const session = useSession();
  return <Navigate replace to={session ? homeOf(session) : '/login'} />;
}
