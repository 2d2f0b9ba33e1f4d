/**
 * Blob stores: S3 on AWS, a folder locally (the SMTP listener and the tests write raw mail there).
 * Which one is chosen by configuration (`BLOB_DIR` set: the folder), never by code paths.
 * Downloads are short-lived links: S3 presigned GETs, or locally links signed with a secret that
 * the local gateway checks before serving the file (`local/blobs.ts`).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { BlobStore } from '../../ports/mail';

/** Keys are relative paths of safe characters; anything else is refused before it reaches storage. */
export function checkKey(key: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._/-]{0,500}$/.test(key) || key.includes('..') || key.includes('//')) throw new Error(`invalid blob key: ${JSON.stringify(key)}`);
  return key;
}

/** `attachment; filename="..."; filename*=UTF-8''...`: always a download, any script in the name quoted away. */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7E]+/g, '_').replace(/["\\]/g, '_').slice(0, 150) || 'file';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename.slice(0, 150))}`;
}

export class S3BlobStore implements BlobStore {
  constructor(
    private readonly bucket: string,
    private readonly s3: S3Client = new S3Client({}),
  ) {}

  async put(key: string, bytes: Uint8Array, contentType: string) {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: checkKey(key), Body: bytes, ContentType: contentType }));
  }

  async get(key: string) {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: checkKey(key) }));
      return out.Body ? new Uint8Array(await out.Body.transformToByteArray()) : undefined;
    } catch (e) {
      if (e instanceof NoSuchKey || (e as { name?: string }).name === 'NoSuchKey') return undefined;
      throw e;
    }
  }

  downloadUrl(key: string, opts: { filename: string; contentType: string; expiresInSeconds: number }) {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: checkKey(key),
      ResponseContentDisposition: attachmentDisposition(opts.filename),
      ResponseContentType: opts.contentType,
    });
    return getSignedUrl(this.s3, command, { expiresIn: opts.expiresInSeconds });
  }
}

/** The signature of a local download link. */
export function signDownload(secret: string, key: string, expires: number, filename: string, contentType: string): string {
  return createHmac('sha256', secret).update(`${key}\n${expires}\n${filename}\n${contentType}`).digest('base64url');
}

export const sameSignature = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export interface LinkConfig {
  baseUrl: string;
  secret: string;
}

export class FileBlobStore implements BlobStore {
  private readonly root: string;
  private readonly links: () => LinkConfig | null;
  constructor(
    root: string,
    /** where the local gateway serves downloads, and the secret it checks (read when a link is made) */
    links: LinkConfig | null | (() => LinkConfig | null) = null,
    private readonly now: () => number = Date.now,
  ) {
    this.root = resolve(root);
    this.links = typeof links === 'function' ? links : () => links;
  }

  /** The file behind a key (for the local download handler). */
  path(key: string) {
    const p = resolve(join(this.root, checkKey(key)));
    if (!p.startsWith(this.root + sep)) throw new Error(`invalid blob key: ${JSON.stringify(key)}`);
    return p;
  }

  async put(key: string, bytes: Uint8Array) {
    const p = this.path(key);
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, bytes);
  }

  async get(key: string) {
    try {
      return new Uint8Array(await readFile(this.path(key)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async downloadUrl(key: string, opts: { filename: string; contentType: string; expiresInSeconds: number }) {
    const links = this.links();
    if (!links) throw new Error('local download links are not configured (LOCAL_BLOB_URL, LOCAL_BLOB_SECRET)');
    const expires = Math.floor(this.now() / 1000) + opts.expiresInSeconds;
    const sig = signDownload(links.secret, checkKey(key), expires, opts.filename, opts.contentType);
    const q = new URLSearchParams({ exp: String(expires), name: opts.filename, type: opts.contentType, sig });
    return `${links.baseUrl}/${key}?${q}`;
  }
}

/** BLOB_DIR (a folder) when set, else the S3 bucket named by BLOB_BUCKET. */
export function blobStoreFromEnv(env: Record<string, string | undefined> = process.env): BlobStore {
  if (env.BLOB_DIR)
    return new FileBlobStore(env.BLOB_DIR, () => (env.LOCAL_BLOB_URL && env.LOCAL_BLOB_SECRET ? { baseUrl: env.LOCAL_BLOB_URL, secret: env.LOCAL_BLOB_SECRET } : null));
  if (!env.BLOB_BUCKET) throw new Error('BLOB_BUCKET (or BLOB_DIR) is not set');
  return new S3BlobStore(env.BLOB_BUCKET);
}

/** Built on first use: functions that never touch blobs need no bucket configured. */
export function lazyBlobStore(env: Record<string, string | undefined> = process.env): BlobStore {
  let store: BlobStore | undefined;
  const get = () => (store ??= blobStoreFromEnv(env));
  return {
    put: (key, bytes, type) => get().put(key, bytes, type),
    get: (key) => get().get(key),
    downloadUrl: (key, opts) => get().downloadUrl(key, opts),
  };
}
