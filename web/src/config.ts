/** The runtime settings the app reads once at start-up from /config.json (see shared/web). */
import type { WebConfig } from '../../shared/web/security-headers';

export type { WebConfig };

let current: WebConfig | null = null;

export async function loadConfig(): Promise<WebConfig> {
  const res = await fetch('/config.json', { cache: 'no-store', headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`Could not load /config.json (HTTP ${res.status})`);
  current = (await res.json()) as WebConfig;
  return current;
}

export function getConfig(): WebConfig {
  if (!current) throw new Error('config not loaded yet');
  return current;
}
