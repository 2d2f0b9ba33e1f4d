/** Pieces of the local runtime the other tests only use: static web serving and table upgrades. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { INDEXES } from '../../shared/adapters/aws/dynamodb/schema';
import { ensureTable } from '../../local/table';
import { webHandler } from '../../local/web';

describe('static web serving', () => {
  let url: string;
  const server = createServer(async (req, res) => {
    const handled = await handler(req, res);
    if (!handled) {
      res.writeHead(599);
      res.end('not mine');
    }
  });
  const dir = mkdtempSync(join(tmpdir(), 'web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  const handler = webHandler({ dir, config: { apiUrl: '', reopenWindowDays: 3, auth: { mode: 'local' } } });
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    currentUrl = url;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('serves assets immutable, pages through the SPA fallback, and config.json, all with the CSP', async () => {
    const asset = await fetch(`${url}/assets/app.js`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(asset.headers.get('content-type')).toContain('javascript');
    const page = await fetch(`${url}/portal/cases/123`);
    expect(await page.text()).toContain('<title>app</title>');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(await (await fetch(`${url}/config.json`)).json()).toEqual({ apiUrl: '', reopenWindowDays: 3, auth: { mode: 'local' } });
  });

  it('never serves files outside its folder, 404s missing assets, and leaves API routes alone', async () => {
    // encoded slashes survive URL parsing and are decoded by the handler: the raw path must be refused
    const outside = await rawGet('/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd');
    expect(outside).not.toContain('root:');
    expect(outside).toContain('<title>app</title>'); // treated as an app page, nothing read from disk
    expect((await fetch(`${url}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${url}/cases`)).status).toBe(599); // an API route: the gateway's, not the web's
    expect((await fetch(`${url}/local/token`)).status).toBe(599);
    expect((await fetch(`${url}/assets/app.js`, { method: 'POST' })).status).toBe(599);
  });
});

function rawGet(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port: Number(new URL(currentUrl).port), path }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}
let currentUrl = '';

describe('table bootstrap', () => {
  it('adds the indexes an older data folder lacks', async () => {
    const client = new DynamoDBClient({ endpoint: inject('dynamoEndpoint') });
    const table = `old-${Date.now()}`;
    await client.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
    const { created } = await ensureTable(client, table);
    expect(created).toBe(false);
    const out = await client.send(new DescribeTableCommand({ TableName: table }));
    expect((out.Table?.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName).sort()).toEqual([...INDEXES].sort());
    client.destroy();
  });
});
