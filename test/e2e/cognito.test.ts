/// <reference lib="dom" />
/**
 * Sign-in on AWS: the web app in Cognito mode (authorization code with PKCE) against a stand-in
 * of the hosted UI's two endpoints, answered by the browser's request interception. The ID token
 * it hands out is signed by the local identity, so the API accepts it as the authorizer would.
 */
import { createHash } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/dynamodb-local';
import type { Runtime } from '../../local/runtime';
import { launchBrowser, newPage, startWebRuntime } from '../support/web';

const DOMAIN = 'helpdesk-test.auth.eu-west-1.amazoncognito.com';
let rt: Runtime;
let browser: Browser;
let port: number;
beforeAll(async () => {
  // the redirect URI names the runtime's port, so pick a free one first
  port = await freePort();
  rt = await startWebRuntime({
    port,
    cases: 2,
    config: {
      apiUrl: '',
      reopenWindowDays: 7,
      auth: { mode: 'cognito', domain: DOMAIN, clientId: 'web-client', redirectUri: `http://127.0.0.1:${port}/auth/callback`, logoutUri: `http://127.0.0.1:${port}/login`, region: 'eu-west-1' },
    },
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

describe('Cognito sign-in (code + PKCE)', () => {
  it('redirects with an S256 challenge and state, exchanges the code with the verifier, keeps tokens in memory', async () => {
    expect(new URL(rt.url).port).toBe(String(port));
    const { page, problems, close } = await newPage(browser);
    const seen: { challenge?: string; state?: string; verifier?: string; clientId?: string } = {};
    try {
      await page.route(`https://${DOMAIN}/oauth2/authorize**`, async (route) => {
        const u = new URL(route.request().url());
        expect(u.searchParams.get('response_type')).toBe('code');
        expect(u.searchParams.get('code_challenge_method')).toBe('S256');
        seen.challenge = u.searchParams.get('code_challenge')!;
        seen.state = u.searchParams.get('state')!;
        seen.clientId = u.searchParams.get('client_id')!;
        const back = new URL(u.searchParams.get('redirect_uri')!);
        back.search = new URLSearchParams({ code: 'the-code', state: seen.state }).toString();
        await route.fulfill({ status: 302, headers: { location: back.toString() } });
      });
      await page.route(`https://${DOMAIN}/oauth2/token`, async (route) => {
        const form = new URLSearchParams(route.request().postData() ?? '');
        seen.verifier = form.get('code_verifier')!;
        const ok =
          form.get('grant_type') === 'authorization_code' &&
          form.get('code') === 'the-code' &&
          createHash('sha256').update(seen.verifier).digest('base64url') === seen.challenge;
        if (!ok) return route.fulfill({ status: 400, contentType: 'application/json', body: '{"error":"invalid_grant"}' });
        const user = rt.identity.findUser('customer1@example.com')!;
        const idToken = await rt.identity.issue(user);
        await route.fulfill({
          status: 200,
          contentType: 'application/json',
          headers: { 'access-control-allow-origin': `http://127.0.0.1:${port}` },
          body: JSON.stringify({ id_token: idToken, access_token: 'opaque', token_type: 'Bearer', expires_in: 3600 }),
        });
      });

      await page.goto(`${rt.url}/portal`);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('heading', { name: 'My cases' }).waitFor();
      expect(seen.clientId).toBe('web-client');
      expect(seen.verifier!.length).toBeGreaterThanOrEqual(43);
      const storage = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
      expect(storage).not.toMatch(/eyJ[\w-]+\.[\w-]+/); // no token in web storage
      expect(storage).not.toContain(seen.verifier!); // the verifier is gone after the exchange
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('refuses a callback whose state does not match', async () => {
    const { page, close } = await newPage(browser);
    try {
      await page.goto(`${rt.url}/auth/callback?code=stolen&state=forged`);
      await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
      expect(await page.getByRole('heading', { name: 'My cases' }).count()).toBe(0);
    } finally {
      await close();
    }
  });
});
