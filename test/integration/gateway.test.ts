/** The local gateway behaves like API Gateway with a JWT authorizer. */
import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../local/auth';
import { type Harness, harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => h?.close());

describe('local gateway', () => {
  const http = () => h.transports.http;

  it('answers 401 like the JWT authorizer for missing, forged and expired tokens', async () => {
    expect((await http()(undefined, 'GET', '/me')).status).toBe(401);
    expect((await http()('not-a-jwt', 'GET', '/me')).body).toEqual({ message: 'Unauthorized' });
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ 'cognito:groups': ['admin'], email: 'admin@example.com' })
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject('x')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime('1h')
      .sign(privateKey);
    expect((await http()(forged, 'GET', '/me')).status).toBe(401);
    const expired = await h.identity.issue({ sub: 's', email: 'agent1@example.com', groups: ['agent'] }, -10);
    expect((await http()(expired, 'GET', '/me')).status).toBe(401);
    const good = await h.token('agent1@example.com');
    const me = await http()(good, 'GET', '/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: 'agent1@example.com', roles: ['agent'], customerId: null });
  });

  it('issues tokens for demo users and refuses wrong passwords without saying which part was wrong', async () => {
    const base = await h.gatewayUrl();
    const ok = await fetch(`${base}/local/token`, { method: 'POST', body: JSON.stringify({ email: 'customer1@example.com', password: 'demo' }) });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { accessToken: string }).accessToken).toMatch(/^ey/);
    const bad = await fetch(`${base}/local/token`, { method: 'POST', body: JSON.stringify({ email: 'customer1@example.com', password: 'nope' }) });
    expect(bad.status).toBe(401);
    const unknown = await fetch(`${base}/local/token`, { method: 'POST', body: JSON.stringify({ email: 'nobody@example.com', password: 'demo' }) });
    expect(unknown.status).toBe(401);
    expect(((await bad.json()) as { detail: string }).detail).toBe(((await unknown.json()) as { detail: string }).detail);
    expect((await fetch(`${base}/local/token`, { method: 'POST', body: '{' })).status).toBe(400);
  });

  it('serves health, the OpenAPI 3.1 document and the docs page without a token', async () => {
    const health = await http()(undefined, 'GET', '/health');
    expect(health.body.status).toBe('ok');
    const doc = await http()(undefined, 'GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/cases', '/cases/{id}', '/cases/by-ticket/{ticketNumber}', '/customers/{id}', '/subjects', '/products']));
    expect(doc.body.components.schemas.Case.required).toEqual(expect.arrayContaining(['id', 'ticketNumber', 'state', 'status', 'version']));
    expect(doc.body.paths['/cases/{id}'].patch.responses).toHaveProperty('428');
    const docs = await http()(undefined, 'GET', '/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
    expect(docs.headers['content-security-policy']).toContain("default-src 'none'");
    expect(docs.text).toContain('/cases/{id}/resolve');
    expect(docs.text).not.toContain('<script');
  });

  it('answers unknown routes like API Gateway', async () => {
    const r = await http()(await h.token('agent1@example.com'), 'DELETE', '/cases');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ message: 'Not Found' });
  });
});
