import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSandbox, mountSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { testClock, VERSION } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await buildSandbox({ now: testClock().now, populationSize: 2000 });
});
afterAll(() => sandbox.close());

describe('in-process fetch', () => {
  it('routes any origin’s path and query, and returns a real Response', async () => {
    const token = sandbox.issueToken('maya-chen').access_token;
    const res = await sandbox.fetch('https://api.example.test/rest/adAccountUsers?q=authenticatedUser', {
      headers: { Authorization: `Bearer ${token}`, 'LinkedIn-Version': VERSION },
    });
    expect(res).toBeInstanceOf(Response);
    expect(res.ok).toBe(true);
    expect(res.url).toBe('https://api.example.test/rest/adAccountUsers?q=authenticatedUser');
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(((await res.json()) as { elements: unknown[] }).elements).toHaveLength(3);
  });

  it('sends URLSearchParams as a form, strings and JSON as given, and accepts Request objects', async () => {
    const token = sandbox.issueToken('maya-chen').access_token;
    const form = new URLSearchParams({ client_id: sandbox.clientId, client_secret: sandbox.clientSecret, token });
    const viaForm = await sandbox.fetch('http://x/oauth/v2/introspectToken', { method: 'POST', body: form });
    expect(((await viaForm.json()) as { active: boolean }).active).toBe(true);
    const viaString = await sandbox.fetch('http://x/oauth/v2/introspectToken', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(((await viaString.json()) as { active: boolean }).active).toBe(true);
    const viaRequest = await sandbox.fetch(
      new Request('http://x/oauth/v2/introspectToken', { method: 'POST', body: form }),
    );
    expect(viaRequest.status).toBe(200);
  });

  it('returns a 204 with no body', async () => {
    const token = sandbox.issueToken('maya-chen').access_token;
    const headers = {
      Authorization: `Bearer ${token}`,
      'LinkedIn-Version': VERSION,
      'Content-Type': 'application/json',
    };
    const created = await sandbox.fetch('http://x/rest/adTargetTemplates', {
      method: 'POST',
      headers,
      body: JSON.stringify({
        account: 'urn:li:sponsoredAccount:123',
        name: 't',
        targetingCriteria: {
          include: { and: [{ or: { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:103644278'] } }] },
        },
      }),
    });
    const id = created.headers.get('x-restli-id');
    const deleted = await sandbox.fetch(`http://x/rest/adTargetTemplates/${id}`, { method: 'DELETE', headers });
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeNull();
  });

  it('does not follow a redirect to another host (the OAuth callback)', async () => {
    const url = `http://x/oauth/v2/authorization?response_type=code&client_id=${sandbox.clientId}&redirect_uri=${encodeURIComponent('https://bot.example.test/cb')}&scope=r_ads&member=maya-chen`;
    const res = await sandbox.fetch(url);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^https:\/\/bot\.example\.test\/cb\?code=/);
  });

  it('honours an abort signal', async () => {
    sandbox.knobs.latencyMs = 200;
    try {
      const controller = new AbortController();
      const pending = sandbox.fetch('http://x/v2/userinfo', { signal: controller.signal });
      controller.abort();
      await expect(pending).rejects.toThrow(/abort/i);
    } finally {
      sandbox.knobs.latencyMs = 0;
    }
  });
});

describe('mountSandbox', () => {
  it('serves the authorize page and the API under a prefix of another server', async () => {
    const main = Fastify();
    main.get('/health', async () => ({ ok: true }));
    await main.register(mountSandbox(sandbox), { prefix: '/linkedin-sandbox' });
    await main.ready();
    try {
      const redirect = 'http://localhost:3000/oauth/linkedin/callback';
      const query = `response_type=code&client_id=${sandbox.clientId}&redirect_uri=${encodeURIComponent(redirect)}&scope=r_ads%20openid&state=s1`;
      const page = await main.inject({ method: 'GET', url: `/linkedin-sandbox/oauth/v2/authorization?${query}` });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('action="authorization"');

      // The consent form posts back to the page's own (prefixed) URL.
      const consent = await main.inject({
        method: 'POST',
        url: '/linkedin-sandbox/oauth/v2/authorization',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `${query}&member=maya-chen&decision=allow`,
      });
      expect(consent.statusCode).toBe(302);
      const code = new URL(consent.headers.location as string).searchParams.get('code')!;

      const token = await main.inject({
        method: 'POST',
        url: '/linkedin-sandbox/oauth/v2/accessToken',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirect,
          client_id: sandbox.clientId,
          client_secret: sandbox.clientSecret,
        }).toString(),
      });
      expect(token.statusCode).toBe(200);
      const access = (token.json() as { access_token: string }).access_token;
      const me = await main.inject({
        method: 'GET',
        url: '/linkedin-sandbox/v2/userinfo',
        headers: { authorization: `Bearer ${access}` },
      });
      expect(me.json()).toMatchObject({ sub: 'maya-chen' });
      // The parent's own routes and JSON parsing are untouched.
      expect((await main.inject({ method: 'GET', url: '/health' })).json()).toEqual({ ok: true });
    } finally {
      await main.close();
    }
  });
});
