/**
 * The one HTTP client: base URL from /config.json, bearer token from the in-memory session,
 * problem+json turned into ApiError, ETag handed back with the data.
 */
import { ApiError, toApiError } from './errors';

export interface ApiResponse<T> {
  data: T;
  status: number;
  /** the raw ETag header, e.g. `"3"` */
  etag: string | null;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** a version number or a raw ETag; sent as `If-Match: "<version>"` */
  ifMatch?: number | string;
  signal?: AbortSignal;
}

interface ClientSettings {
  baseUrl: string;
  getToken: () => string | null;
  onUnauthorized: () => void;
}

let settings: ClientSettings = { baseUrl: '', getToken: () => null, onUnauthorized: () => {} };

export function configureApi(next: Partial<ClientSettings>) {
  settings = { ...settings, ...next, baseUrl: (next.baseUrl ?? settings.baseUrl).replace(/\/+$/, '') };
}

export function buildUrl(path: string, query?: Query): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const q = qs.toString();
  return `${settings.baseUrl}${path}${q ? `?${q}` : ''}`;
}

const quoteEtag = (v: number | string) => (typeof v === 'number' || (!v.startsWith('"') && !v.startsWith('W/')) ? `"${v}"` : v);

/** The version number inside an ETag such as `"3"` or `W/"3"`. */
export function versionFromEtag(etag: string | null): number | undefined {
  const m = etag?.match(/(\d+)"?$/);
  return m ? Number(m[1]) : undefined;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  const token = settings.getToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.ifMatch !== undefined) headers['if-match'] = quoteEtag(opts.ifMatch);
  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error)?.name === 'AbortError') throw e;
    throw ApiError.network(e);
  }
  if (!res.ok) {
    const err = await toApiError(res);
    if (res.status === 401 && token) settings.onUnauthorized();
    throw err;
  }
  const text = res.status === 204 ? '' : await res.text();
  return { data: (text ? JSON.parse(text) : undefined) as T, status: res.status, etag: res.headers.get('etag') };
}

export const api = {
  get: <T>(path: string, opts?: Omit<RequestOptions, 'body'>) => request<T>('GET', path, opts),
  post: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions, 'body'>) => request<T>('POST', path, { ...opts, body: body ?? {} }),
  patch: <T>(path: string, body: unknown, opts?: Omit<RequestOptions, 'body'>) => request<T>('PATCH', path, { ...opts, body }),
  put: <T>(path: string, body: unknown, opts?: Omit<RequestOptions, 'body'>) => request<T>('PUT', path, { ...opts, body }),
  delete: <T = undefined>(path: string, opts?: Omit<RequestOptions, 'body'>) => request<T>('DELETE', path, opts),
};
