/**
 * Cognito hosted UI: authorization code with PKCE (S256). The code verifier and state have to
 * survive the redirect, so they sit in sessionStorage for that round trip only and are removed
 * when the callback is handled; the tokens themselves stay in memory.
 */
import type { WebConfig } from '../config';
import { startSession } from './session';

export type CognitoConfig = Extract<WebConfig['auth'], { mode: 'cognito' }>;

const PENDING_KEY = 'helpdesk.auth.pending';

interface Pending {
  state: string;
  verifier: string;
  next: string;
}

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

const randomString = (size = 32) => base64url(crypto.getRandomValues(new Uint8Array(size)));

export async function pkceChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

const origin = (cfg: CognitoConfig) => (cfg.domain.startsWith('https://') ? cfg.domain : `https://${cfg.domain}`).replace(/\/+$/, '');

export async function beginCognitoSignIn(cfg: CognitoConfig, next: string) {
  const pending: Pending = { state: randomString(), verifier: randomString(48), next };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(`${origin(cfg)}/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: cfg.clientId,
    redirect_uri: cfg.redirectUri,
    scope: 'openid email profile',
    state: pending.state,
    code_challenge: await pkceChallenge(pending.verifier),
    code_challenge_method: 'S256',
  }).toString();
  window.location.assign(url.toString());
}

/** True when the browser is on the redirect URI with an authorization answer. */
export function isCognitoCallback(cfg: CognitoConfig, loc: Location = window.location): boolean {
  let path: string;
  try {
    path = new URL(cfg.redirectUri).pathname;
  } catch {
    return false;
  }
  const q = new URLSearchParams(loc.search);
  return loc.pathname === path && (q.has('code') || q.has('error'));
}

/** Exchange the code for tokens; the ID token becomes the bearer. Returns where to go next. */
export async function completeCognitoSignIn(cfg: CognitoConfig): Promise<string> {
  const q = new URLSearchParams(window.location.search);
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  window.history.replaceState(null, '', '/login');
  if (q.get('error')) throw new Error(q.get('error_description') ?? q.get('error') ?? 'sign-in failed');
  const pending = raw ? (JSON.parse(raw) as Pending) : null;
  if (!pending || !q.get('state') || q.get('state') !== pending.state) throw new Error('state mismatch');
  const res = await fetch(`${origin(cfg)}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: cfg.clientId,
      code: q.get('code') ?? '',
      redirect_uri: cfg.redirectUri,
      code_verifier: pending.verifier,
    }),
  });
  if (!res.ok) throw new Error(`token endpoint answered ${res.status}`);
  const tokens = (await res.json()) as { id_token?: string };
  if (!tokens.id_token) throw new Error('no id_token');
  await startSession(tokens.id_token);
  return pending.next;
}

export function cognitoLogoutUrl(cfg: CognitoConfig): string {
  const url = new URL(`${origin(cfg)}/logout`);
  url.search = new URLSearchParams({ client_id: cfg.clientId, logout_uri: cfg.logoutUri }).toString();
  return url.toString();
}
