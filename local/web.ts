/**
 * Serves the built web app (web/dist) from the local gateway, the way S3 + CloudFront serve it
 * on AWS: static files with security headers, `/config.json` with the runtime settings, and the
 * SPA's index.html for any other page path that is not an API route.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { STATIC_SECURITY_HEADERS, type WebConfig, contentSecurityPolicy } from '../shared/web/security-headers';
import { configFromEnv } from '../shared/adapters/aws/deps';
import { compileRoutes, findRoute } from './gateway';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export const DEFAULT_WEB_DIR = resolve(import.meta.dirname, '..', 'web', 'dist');

export function webHandler(opts: { dir?: string; config?: WebConfig } = {}) {
  const dir = opts.dir ?? DEFAULT_WEB_DIR;
  const config: WebConfig = opts.config ?? { apiUrl: '', reopenWindowDays: configFromEnv().reopenWindowDays, auth: { mode: 'local' } };
  const routes = compileRoutes();
  const auth = config.auth.mode === 'cognito' ? (config.auth.domain.startsWith('https://') ? config.auth.domain : `https://${config.auth.domain}`) : undefined;
  const headers = { ...STATIC_SECURITY_HEADERS, 'content-security-policy': contentSecurityPolicy({ auth }) };

  const send = (res: ServerResponse, status: number, type: string, body: Buffer | string, cache: string) => {
    res.writeHead(status, { ...headers, 'content-type': type, 'cache-control': cache });
    res.end(body);
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (path.startsWith('/local/') || findRoute(routes, 'GET', path)) return false;
    if (path === '/config.json') {
      send(res, 200, TYPES['.json']!, JSON.stringify(config), 'no-store');
      return true;
    }
    const file = normalize(join(dir, path));
    if (file.startsWith(dir + sep) && existsSync(file) && statSync(file).isFile()) {
      const immutable = path.startsWith('/assets/');
      send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file), immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      return true;
    }
    const index = join(dir, 'index.html');
    if (!existsSync(index)) {
      send(res, 503, 'text/plain; charset=utf-8', 'The web app is not built yet: run `npm run build:web` (npm start does it for you).', 'no-store');
      return true;
    }
    // a page of the single-page app: its index; a missing asset: 404
    if (extname(path) && !path.endsWith('.html')) {
      send(res, 404, 'text/plain; charset=utf-8', 'Not found', 'no-store');
      return true;
    }
    send(res, 200, TYPES['.html']!, readFileSync(index), 'no-cache');
    return true;
  };
}
