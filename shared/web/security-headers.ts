/**
 * Security headers for the web app, one definition for both places that serve it: the local
 * runtime and CloudFront's response headers policy. No inline scripts anywhere.
 */
export function contentSecurityPolicy(origins: { api?: string; auth?: string } = {}): string {
  const extra = (...xs: (string | undefined)[]) => xs.filter(Boolean).map((x) => ` ${x}`).join('');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${extra(origins.api, origins.auth)}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    `form-action 'self'${extra(origins.auth)}`,
    "object-src 'none'",
  ].join('; ');
}

export const STATIC_SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

/** What the web app reads at start-up from /config.json (written at deploy time on AWS). */
export interface WebConfig {
  /** '' = same origin (local runtime); on AWS the HTTP API's URL */
  apiUrl: string;
  /** days after resolution during which a customer may reopen (the API's REOPEN_WINDOW_DAYS) */
  reopenWindowDays: number;
  auth:
    | { mode: 'local' }
    | { mode: 'cognito'; domain: string; clientId: string; redirectUri: string; logoutUri: string; region: string };
}
