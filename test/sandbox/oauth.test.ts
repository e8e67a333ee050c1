import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenIntrospection, TokenResponse, UserInfo } from '../../src/linkedin/types.js';
import { buildSandbox, DEFAULT_SCOPES, type Sandbox } from '../../src/sandbox/index.js';
import { BASE, DAY, SECOND, testClock, VERSION } from './helpers.js';

const clock = testClock();
let sandbox: Sandbox;
const REDIRECT = 'http://localhost:3000/oauth/linkedin/callback';

beforeAll(async () => {
  sandbox = await buildSandbox({ now: clock.now, populationSize: 2000 });
});
afterAll(() => sandbox.close());

const authorizeUrl = (over: Record<string, string | undefined> = {}) => {
  const params = new URLSearchParams();
  const all: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: sandbox.clientId,
    redirect_uri: REDIRECT,
    state: 'st4te-xyz',
    scope: 'r_ads rw_ads openid profile',
    ...over,
  };
  for (const [k, v] of Object.entries(all)) if (v !== undefined) params.set(k, v);
  return `${BASE}/oauth/v2/authorization?${params}`;
};

/** Runs the scripted consent (`member=`) and returns the redirect. */
async function authorize(member = 'maya-chen', over: Record<string, string | undefined> = {}): Promise<URL> {
  const res = await sandbox.fetch(authorizeUrl({ member, ...over }), { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!);
}

const form = (fields: Record<string, string | undefined>) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) body.set(k, v);
  return body;
};

const post = (path: string, fields: Record<string, string | undefined>, headers: Record<string, string> = {}) =>
  sandbox.fetch(`${BASE}${path}`, { method: 'POST', body: form(fields), headers });

const exchange = (code: string, over: Record<string, string | undefined> = {}) =>
  post('/oauth/v2/accessToken', {
    grant_type: 'authorization_code',
    code,
    client_id: sandbox.clientId,
    client_secret: sandbox.clientSecret,
    redirect_uri: REDIRECT,
    ...over,
  });

const refresh = (refreshToken: string) =>
  post('/oauth/v2/accessToken', {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: sandbox.clientId,
    client_secret: sandbox.clientSecret,
  });

const introspect = (token: string, over: Record<string, string> = {}) =>
  post('/oauth/v2/introspectToken', {
    client_id: sandbox.clientId,
    client_secret: sandbox.clientSecret,
    token,
    ...over,
  });

const accountsWith = (token: string) =>
  sandbox.fetch(`${BASE}/rest/adAccountUsers?q=authenticatedUser`, {
    headers: { Authorization: `Bearer ${token}`, 'LinkedIn-Version': VERSION },
  });

describe('authorization page', () => {
  it('shows an HTML consent page listing the demo members', async () => {
    const res = await sandbox.fetch(authorizeUrl());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    for (const m of sandbox.members) expect(html).toContain(m.id);
    expect(html).toContain('ACCOUNT_MANAGER on Northwind Traders – Global (123)');
    expect(html).toContain('no ad accounts');
    expect(html).toContain('name="state" value="st4te-xyz"');
    expect(html).toMatch(/<form method="post" action="authorization">/);
  });

  it('escapes what it echoes', async () => {
    const html = await (await sandbox.fetch(authorizeUrl({ state: '"><script>alert(1)</script>' }))).text();
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script&gt;');
  });

  it('approves at once with &member= and redirects with code and state', async () => {
    const location = await authorize('sofia-rossi');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('st4te-xyz');
    expect(location.searchParams.get('code')!.length).toBeGreaterThan(100);
  });

  it('approves through the consent form', async () => {
    const params = Object.fromEntries(new URL(authorizeUrl()).searchParams);
    const res = await post('/oauth/v2/authorization', { ...params, member: 'liam-okafor', decision: 'allow' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    const token = (await (await exchange(location.searchParams.get('code')!)).json()) as TokenResponse;
    const info = (await (
      await sandbox.fetch(`${BASE}/v2/userinfo`, { headers: { Authorization: `Bearer ${token.access_token}` } })
    ).json()) as UserInfo;
    expect(info.sub).toBe('liam-okafor');
  });

  it('redirects with user_cancelled_authorize when the person cancels', async () => {
    const params = Object.fromEntries(new URL(authorizeUrl()).searchParams);
    const res = await post('/oauth/v2/authorization', { ...params, decision: 'cancel' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('user_cancelled_authorize');
    expect(location.searchParams.get('error_description')).toBeTruthy();
    expect(location.searchParams.get('state')).toBe('st4te-xyz');
    expect(location.searchParams.has('code')).toBe(false);
  });

  it('keeps query parameters already on the redirect_uri', async () => {
    const location = await authorize('maya-chen', { redirect_uri: `${REDIRECT}?team=T1` });
    expect(location.searchParams.get('team')).toBe('T1');
    expect(location.searchParams.get('code')).toBeTruthy();
  });

  it.each([
    ['a missing response_type', { response_type: undefined }, 400, /response_type/],
    ['a wrong response_type', { response_type: 'token' }, 400, /response_type/],
    ['a missing client_id', { client_id: undefined }, 400, /client_id/],
    ['a wrong client_id', { client_id: 'someone-else' }, 401, /Client_id/],
    ['a missing redirect_uri', { redirect_uri: undefined }, 400, /redirect_uri/],
    ['a non-http redirect_uri', { redirect_uri: 'ftp://example.test/cb' }, 401, /redirect_uri/],
    ['a redirect_uri with a fragment', { redirect_uri: `${REDIRECT}#x` }, 401, /redirect_uri/],
    ['a missing scope', { scope: undefined }, 400, /scope/],
    ['an invalid scope', { scope: 'r_ads r_everything' }, 401, /Invalid scope: r_everything/],
    ['an unknown member', { member: 'nobody' }, 400, /nobody/],
  ])('shows an HTML error page for %s', async (_name, over, status, text) => {
    const res = await sandbox.fetch(authorizeUrl(over), { redirect: 'manual' });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toMatch(text);
  });

  it('accepts comma-separated scopes', async () => {
    const location = await authorize('maya-chen', { scope: 'r_ads,rw_ads' });
    const token = (await (await exchange(location.searchParams.get('code')!)).json()) as TokenResponse;
    expect(token.scope).toBe('r_ads,rw_ads');
  });

  it('restricts redirect_uri to the configured prefixes', async () => {
    const strict = await buildSandbox({
      now: clock.now,
      populationSize: 2000,
      redirectUriPrefixes: ['https://bot.example.com/'],
    });
    try {
      const url = (redirect: string) =>
        `${BASE}/oauth/v2/authorization?response_type=code&client_id=${strict.clientId}&scope=r_ads&member=maya-chen&redirect_uri=${encodeURIComponent(redirect)}`;
      expect((await strict.fetch(url(REDIRECT), { redirect: 'manual' })).status).toBe(401);
      expect((await strict.fetch(url('https://bot.example.com/oauth/cb'), { redirect: 'manual' })).status).toBe(302);
    } finally {
      await strict.close();
    }
  });
});

describe('code exchange', () => {
  it('returns LinkedIn-shaped tokens that work on the API', async () => {
    const code = (await authorize()).searchParams.get('code')!;
    const res = await exchange(code);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const token = (await res.json()) as TokenResponse;
    expect(token).toMatchObject({
      expires_in: 5184000,
      refresh_token_expires_in: 31536000,
      scope: 'r_ads,rw_ads,openid,profile',
      token_type: 'Bearer',
    });
    expect(token.access_token).toMatch(/^AQ[A-Za-z0-9_-]{150,}$/);
    expect(token.refresh_token).toMatch(/^AQ[A-Za-z0-9_-]{150,}$/);
    expect(token.id_token!.split('.')).toHaveLength(3);
    const claims = JSON.parse(Buffer.from(token.id_token!.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ sub: 'maya-chen', aud: sandbox.clientId, name: 'Maya Chen' });
    expect((await accountsWith(token.access_token)).status).toBe(200);
  });

  it('makes codes single-use', async () => {
    const code = (await authorize()).searchParams.get('code')!;
    expect((await exchange(code)).status).toBe(200);
    const again = await exchange(code);
    expect(again.status).toBe(401);
    expect(await again.json()).toEqual({
      error: 'invalid_request',
      error_description: 'Unable to retrieve access token: authorization code not found',
    });
  });

  it('expires codes after 30 minutes', async () => {
    const fresh = (await authorize()).searchParams.get('code')!;
    const stale = (await authorize()).searchParams.get('code')!;
    clock.advance(29 * 60 * SECOND);
    expect((await exchange(fresh)).status).toBe(200);
    clock.advance(2 * 60 * SECOND);
    expect((await exchange(stale)).status).toBe(401);
  });

  it('binds a code to its redirect_uri', async () => {
    const code = (await authorize()).searchParams.get('code')!;
    const res = await exchange(code, { redirect_uri: 'http://localhost:3000/elsewhere' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_redirect_uri');
  });

  it.each(['grant_type', 'code', 'redirect_uri', 'client_id', 'client_secret'])(
    '400 when %s is missing',
    async (field) => {
      const code = (await authorize()).searchParams.get('code')!;
      const res = await exchange(code, { [field]: undefined });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: 'invalid_request',
        error_description: `A required parameter "${field}" is missing`,
      });
    },
  );

  it('wants client credentials in the body: Basic auth alone is "client_id is missing"', async () => {
    const code = (await authorize()).searchParams.get('code')!;
    const basic = Buffer.from(`${sandbox.clientId}:${sandbox.clientSecret}`).toString('base64');
    const res = await post(
      '/oauth/v2/accessToken',
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT },
      { Authorization: `Basic ${basic}` },
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error_description: string }).error_description).toBe(
      'A required parameter "client_id" is missing',
    );
  });

  it('401 invalid_client for a wrong secret', async () => {
    const code = (await authorize()).searchParams.get('code')!;
    const res = await exchange(code, { client_secret: 'wrong' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed' });
  });

  it('refuses other grants', async () => {
    const cc = await post('/oauth/v2/accessToken', {
      grant_type: 'client_credentials',
      client_id: sandbox.clientId,
      client_secret: sandbox.clientSecret,
    });
    expect(cc.status).toBe(401);
    const weird = await post('/oauth/v2/accessToken', { grant_type: 'password' });
    expect(weird.status).toBe(400);
    expect(((await weird.json()) as { error: string }).error).toBe('unsupported_grant_type');
  });

  it('issues unguessable, distinct tokens', async () => {
    const tokens = new Set<string>();
    for (let i = 0; i < 20; i++) tokens.add(sandbox.issueToken('maya-chen').access_token);
    expect(tokens.size).toBe(20);
  });
});

describe('refresh tokens', () => {
  it('refresh without extending the 365-day window', async () => {
    const local = testClock();
    const sb = await buildSandbox({ now: local.now, populationSize: 2000 });
    try {
      const first = sb.issueToken('maya-chen');
      const refreshWith = (rt: string) =>
        sb.fetch(`${BASE}/oauth/v2/accessToken`, {
          method: 'POST',
          body: form({
            grant_type: 'refresh_token',
            refresh_token: rt,
            client_id: sb.clientId,
            client_secret: sb.clientSecret,
          }),
        });
      local.advance(100 * DAY);
      const second = (await (await refreshWith(first.refresh_token!)).json()) as TokenResponse;
      expect(second.expires_in).toBe(5184000);
      expect(second.refresh_token_expires_in).toBe(31536000 - 100 * 86400);
      expect(second.access_token).not.toBe(first.access_token);
      local.advance(200 * DAY);
      const third = (await (await refreshWith(second.refresh_token!)).json()) as TokenResponse;
      expect(third.refresh_token_expires_in).toBe(31536000 - 300 * 86400);
      local.advance(66 * DAY);
      const expired = await refreshWith(third.refresh_token!);
      expect(expired.status).toBe(400);
      expect(await expired.json()).toEqual({
        error: 'invalid_request',
        error_description: 'The provided authorization grant or refresh token is invalid, expired or revoked.',
      });
    } finally {
      await sb.close();
    }
  });

  it('refuses an unknown refresh token', async () => {
    expect((await refresh('AQWunknown0000000000000000')).status).toBe(400);
  });
});

describe('revoke and introspect', () => {
  it('introspects an active token', async () => {
    const token = sandbox.issueToken('maya-chen');
    const res = await introspect(token.access_token);
    expect(res.status).toBe(200);
    const info = (await res.json()) as TokenIntrospection;
    const now = Math.floor(clock.now() / 1000);
    expect(info).toEqual({
      active: true,
      client_id: sandbox.clientId,
      authorized_at: now,
      created_at: now,
      status: 'active',
      expires_at: now + 5184000,
      scope: DEFAULT_SCOPES.join(','),
      auth_type: '3L',
    });
  });

  it('revokes an access token', async () => {
    const token = sandbox.issueToken('maya-chen');
    const res = await post('/oauth/v2/revoke', {
      client_id: sandbox.clientId,
      client_secret: sandbox.clientSecret,
      token: token.access_token,
    });
    expect(res.status).toBe(200);
    const api = await accountsWith(token.access_token);
    expect(api.status).toBe(401);
    expect(((await api.json()) as { code: string }).code).toBe('REVOKED_ACCESS_TOKEN');
    expect(await (await introspect(token.access_token)).json()).toMatchObject({ active: false, status: 'revoked' });
    // The refresh token still works: only that access token was revoked.
    expect((await refresh(token.refresh_token!)).status).toBe(200);
  });

  it('revoking the refresh token ends the grant', async () => {
    const token = sandbox.issueToken('maya-chen');
    await post('/oauth/v2/revoke', {
      client_id: sandbox.clientId,
      client_secret: sandbox.clientSecret,
      token: token.refresh_token,
    });
    expect((await refresh(token.refresh_token!)).status).toBe(400);
    expect((await accountsWith(token.access_token)).status).toBe(401);
  });

  it('reports expired tokens, unknown ones, and client errors', async () => {
    const token = sandbox.issueToken('maya-chen');
    clock.advance(61 * DAY);
    expect(await (await introspect(token.access_token)).json()).toMatchObject({ active: false, status: 'expired' });
    expect(await (await introspect('AQVunknown00000000000000000000')).json()).toEqual({ active: false });
    expect((await introspect('not-a-token')).status).toBe(400);
    expect((await introspect(token.access_token, { client_id: 'other' })).status).toBe(400);
    expect((await introspect(token.access_token, { client_secret: 'wrong' })).status).toBe(401);
  });
});

describe('/v2/userinfo', () => {
  const userinfo = (token: string) =>
    sandbox.fetch(`${BASE}/v2/userinfo`, { headers: { Authorization: `Bearer ${token}` } });

  it('returns the OpenID profile without a version header', async () => {
    const res = await userinfo(
      sandbox.issueToken('maya-chen', { scopes: ['openid', 'profile', 'email'] }).access_token,
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      sub: 'maya-chen',
      name: 'Maya Chen',
      given_name: 'Maya',
      family_name: 'Chen',
      locale: 'en-US',
      email: 'maya.chen@example.com',
      email_verified: true,
    });
  });

  it('serves both locale shapes seen in the wild', async () => {
    const liam = (await (await userinfo(sandbox.issueToken('liam-okafor').access_token)).json()) as UserInfo;
    expect(liam.locale).toEqual({ country: 'GB', language: 'en' });
    expect(liam.email).toBeUndefined();
  });

  it('needs the openid scope and a valid token', async () => {
    const res = await userinfo(sandbox.issueToken('maya-chen', { scopes: ['r_ads'] }).access_token);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('ACCESS_DENIED');
    expect((await sandbox.fetch(`${BASE}/v2/userinfo`)).status).toBe(401);
  });
});
