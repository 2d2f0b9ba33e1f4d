/**
 * Blob stores: S3 on AWS, a folder locally (the SMTP listener and the tests write raw mail there).
 * Which one is chosen by configuration (`BLOB_DIR` set: the folder), never by code paths.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { BlobStore } from '../../ports/mail';

/** Keys are relative paths of safe characters; anything else is refused before it reaches storage. */
export function checkKey(key: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._/-]{0,500}$/.test(key) || key.includes('..') || key.includes('//')) throw new Error(`invalid blob key: ${JSON.stringify(key)}`);
  return key;
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
}

export class FileBlobStore implements BlobStore {
  private readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }

  private path(key: string) {
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
}

/** BLOB_DIR (a folder) when set, else the S3 bucket named by BLOB_BUCKET. */
export function blobStoreFromEnv(env: Record<string, string | undefined> = process.env): BlobStore {
  if (env.BLOB_DIR) return new FileBlobStore(env.BLOB_DIR);
  if (!env.BLOB_BUCKET) throw new Error('BLOB_BUCKET (or BLOB_DIR) is not set');
  return new S3BlobStore(env.BLOB_BUCKET);
}
