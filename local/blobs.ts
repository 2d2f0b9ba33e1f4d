/**
 * Serves the local blob folder's signed download links (what S3 presigned URLs are on AWS): the
 * signature and expiry are checked, the file is always a download under the signed name, never
 * rendered (`Content-Disposition: attachment`, `nosniff`, a CSP that forbids everything).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FileBlobStore, attachmentDisposition, sameSignature, signDownload } from '../shared/adapters/aws/blob-store';

export const BLOB_PATH = '/local/blobs/';

export function blobDownloadHandler(root: string, secret: string, now: () => number = Date.now) {
  const store = new FileBlobStore(root);
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (!url.pathname.startsWith(BLOB_PATH) || req.method !== 'GET') return false;
    const deny = (status: number, text: string) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(text);
      return true;
    };
    const key = decodeURIComponent(url.pathname.slice(BLOB_PATH.length));
    const exp = Number(url.searchParams.get('exp'));
    const name = url.searchParams.get('name') ?? '';
    const type = url.searchParams.get('type') ?? '';
    const sig = url.searchParams.get('sig') ?? '';
    let path: string;
    try {
      path = store.path(key);
    } catch {
      return deny(400, 'bad key');
    }
    if (!sameSignature(sig, signDownload(secret, key, exp, name, type))) return deny(403, 'bad signature');
    if (!(exp * 1000 > now())) return deny(403, 'link expired');
    try {
      const info = await stat(path);
      res.writeHead(200, {
        'content-type': type || 'application/octet-stream',
        'content-length': String(info.size),
        'content-disposition': attachmentDisposition(name || 'file'),
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; sandbox",
        'cache-control': 'private, no-store',
      });
      createReadStream(path).pipe(res);
      return true;
    } catch {
      return deny(404, 'not found');
    }
  };
}
