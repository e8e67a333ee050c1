import { describe, expect, it } from 'vitest';
import { LINKEDIN_SCOPES } from '../../src/linkedin/api.js';
import { OAuthError, ServerError } from '../../src/linkedin/errors.js';
import { parseScopes, toTokenSet } from '../../src/linkedin/oauth.js';
import { CLIENT_SECRET, json, TOKEN, testClient } from './scripted-fetch.js';

const NOW = Date.UTC(2026, 2, 1);
const form = (body: string | undefined) => Object.fromEntries(new URLSearchParams(body ?? ''));

describe('authorizationUrl', () => {
  it('builds the documented URL with space-separated, encoded scopes', () => {
    const { client } = testClient([]);
    const url = client.authorizationUrl({
      redirectUri: 'https://bot.example.test/oauth/callback?team=T1',
      state: 'st+ate/=&x',
      scopes: [...LINKEDIN_SCOPES],
    });
    expect(url).toBe(
      'http://linkedin.test/oauth/v2/authorization?response_type=code&client_id=client-id-123' +
        '&redirect_uri=https%3A%2F%2Fbot.example.test%2Foauth%2Fcallback%3Fteam%3DT1' +
        '&state=st%2Bate%2F%3D%26x&scope=r_ads%20rw_ads%20openid%20profile',
    );
    const params = new URL(url).searchParams;
    expect(params.get('scope')).toBe('r_ads rw_ads openid profile');
    expect(params.get('state')).toBe('st+ate/=&x');
  });
});

describe('token endpoint', () => {
  const tokenBody = {
    access_token: 'AQUvlL_DYEzvT2wz1QJiEPeLioeA',
    expires_in: 5184000,
    refresh_token: 'AQWAft_WjYZKwuWXLC5hQlghgTam',
    refresh_token_expires_in: 31536000,
    scope: 'r_ads,rw_ads,openid,profile',
    token_type: 'Bearer',
    id_token: 'eyJ...',
  };

  it('exchangeCode posts the form with client credentials in the body (never Basic) and returns absolute expiries', async () => {
    const { client, requests } = testClient([json(tokenBody)], { now: () => NOW });
    const tokens = await client.exchangeCode('the-code', 'https://bot.example.test/cb');
    expect(tokens).toEqual({
      accessToken: 'AQUvlL_DYEzvT2wz1QJiEPeLioeA',
      accessTokenExpiresAt: NOW + 5184000 * 1000,
      refreshToken: 'AQWAft_WjYZKwuWXLC5hQlghgTam',
      refreshTokenExpiresAt: NOW + 31536000 * 1000,
      scopes: ['r_ads', 'rw_ads', 'openid', 'profile'],
    });
    const req = requests[0]!;
    expect(req.url).toBe('http://linkedin.test/oauth/v2/accessToken');
    expect(req.method).toBe('POST');
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req.headers.authorization).toBeUndefined();
    expect(req.headers['linkedin-version']).toBeUndefined();
    expect(form(req.body)).toEqual({
      grant_type: 'authorization_code',
      code: 'the-code',
      redirect_uri: 'https://bot.example.test/cb',
      client_id: 'client-id-123',
      client_secret: CLIENT_SECRET,
    });
  });

  it('refresh posts grant_type=refresh_token with the client credentials in the body', async () => {
    const { client, requests } = testClient([json({ ...tokenBody, refresh_token_expires_in: 525600 })], {
      now: () => NOW,
    });
    const tokens = await client.refresh('AQWAft_refresh');
    // refresh_token_expires_in is read as seconds, like every other lifetime.
    expect(tokens.refreshTokenExpiresAt).toBe(NOW + 525600 * 1000);
    expect(form(requests[0]!.body)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'AQWAft_refresh',
      client_id: 'client-id-123',
      client_secret: CLIENT_SECRET,
    });
    expect(requests[0]!.headers.authorization).toBeUndefined();
  });

  it('keeps a token without refresh token or scope minimal', () => {
    expect(toTokenSet({ access_token: 'a', expires_in: 60 }, 1000)).toEqual({
      accessToken: 'a',
      accessTokenExpiresAt: 61000,
      scopes: [],
    });
  });

  it('splits comma-separated scopes, tolerating spaces', () => {
    expect(parseScopes('r_ads,rw_ads')).toEqual(['r_ads', 'rw_ads']);
    expect(parseScopes('r_ads, rw_ads openid')).toEqual(['r_ads', 'rw_ads', 'openid']);
    expect(parseScopes('')).toEqual([]);
    expect(parseScopes(undefined)).toEqual([]);
  });

  it.each([
    [401, 'invalid_request', 'Unable to retrieve access token: authorization code not found'],
    [
      400,
      'invalid_redirect_uri',
      'Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. Or authorization code expired. Or external member binding exists',
    ],
    [401, 'invalid_client', 'Client authentication failed'],
  ])('a %i %s becomes OAuthError and is not retried', async (status, error, description) => {
    const { client, requests } = testClient([json({ error, error_description: description }, status)]);
    const thrown = await client.exchangeCode('used-code', 'https://bot.example.test/cb').catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(OAuthError);
    expect(thrown).toMatchObject({ error, errorDescription: description, status, code: 'linkedin_oauth_error' });
    expect(requests).toHaveLength(1);
  });

  it('an invalid refresh token becomes OAuthError', async () => {
    const { client } = testClient([
      json(
        {
          error: 'invalid_request',
          error_description: 'The provided authorization grant or refresh token is invalid, expired or revoked.',
        },
        400,
      ),
    ]);
    await expect(client.refresh('old')).rejects.toMatchObject({ error: 'invalid_request', status: 400 });
  });

  it('never puts the client secret, code or refresh token in an error message', async () => {
    const { client } = testClient([
      json(
        { error: 'invalid_request', error_description: `bad client_secret=${CLIENT_SECRET} code=the-code-123` },
        400,
      ),
    ]);
    const thrown = (await client.exchangeCode('the-code-123', 'https://x.test/cb').catch((e: unknown) => e)) as Error;
    expect(thrown.message).not.toContain(CLIENT_SECRET);
    expect(thrown.message).not.toContain('the-code-123');
  });

  it('a code exchange is not retried after a 5xx (the code is single-use), a refresh is', async () => {
    const exchange = testClient([json({}, 503), json(tokenBody)]);
    await expect(exchange.client.exchangeCode('c0de', 'https://x.test/cb')).rejects.toBeInstanceOf(ServerError);
    expect(exchange.requests).toHaveLength(1);
    const refresh = testClient([json({}, 503), json(tokenBody)]);
    await expect(refresh.client.refresh('r3fresh')).resolves.toMatchObject({ accessToken: tokenBody.access_token });
    expect(refresh.requests).toHaveLength(2);
  });

  it('a token response without access_token is malformed', async () => {
    const { client } = testClient([json({ expires_in: 10 })]);
    await expect(client.refresh('r3fresh')).rejects.toMatchObject({ code: 'linkedin_malformed_response' });
  });
});

describe('revoke and introspect', () => {
  it('revoke posts client_id, client_secret and token to /revoke', async () => {
    const { client, requests } = testClient([{ status: 200 }]);
    await client.revoke(TOKEN);
    expect(requests[0]!.url).toBe('http://linkedin.test/oauth/v2/revoke');
    expect(form(requests[0]!.body)).toEqual({ client_id: 'client-id-123', client_secret: CLIENT_SECRET, token: TOKEN });
  });

  it('introspect posts to /introspectToken and returns the documented fields', async () => {
    const answer = {
      active: true,
      client_id: 'client-id-123',
      authorized_at: 1493055596,
      created_at: 1493055596,
      status: 'active',
      expires_at: 1497497620,
      scope: 'r_ads,rw_ads',
      auth_type: '3L',
    };
    const { client, requests } = testClient([json(answer)]);
    await expect(client.introspect(TOKEN)).resolves.toEqual(answer);
    expect(requests[0]!.url).toBe('http://linkedin.test/oauth/v2/introspectToken');
    expect(form(requests[0]!.body)).toEqual({ client_id: 'client-id-123', client_secret: CLIENT_SECRET, token: TOKEN });
  });

  it('introspect of a foreign token answers {active:false}; unknown enum values are dropped', async () => {
    const { client } = testClient([
      json({ active: false }),
      json({ active: true, status: 'suspended', auth_type: '4L' }),
    ]);
    await expect(client.introspect(TOKEN)).resolves.toEqual({ active: false });
    await expect(client.introspect(TOKEN)).resolves.toEqual({ active: true });
  });

  it('introspect errors become OAuthError', async () => {
    const { client } = testClient([json({ error: 'invalid_request', error_description: 'malformed token' }, 400)]);
    await expect(client.introspect('x')).rejects.toBeInstanceOf(OAuthError);
  });
});
