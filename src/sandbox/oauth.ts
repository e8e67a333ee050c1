/**
 * LinkedIn's OAuth 2.0 endpoints (reference §1) and OpenID `/v2/userinfo`: the authorize page (pick a demo member,
 * or `&member=<id>` to approve at once), code exchange, refresh, introspection and revocation.
 */
import { createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TokenIntrospection, TokenResponse, UserInfo } from '../linkedin/types.js';
import type { DemoMember } from './accounts.js';
import { type AuthorizeParams, consentPage, errorPage } from './authorize-page.js';
import { memberById, type SandboxContext } from './context.js';
import { RestError } from './errors.js';
import { authenticate } from './gateway.js';
import type { AccessToken, Grant } from './tokens.js';

/** Scopes a LinkedIn app can be granted; anything else is "Invalid scope" on the authorize page. */
const KNOWN_SCOPES = [
  'r_ads',
  'rw_ads',
  'r_ads_reporting',
  'openid',
  'profile',
  'email',
  'r_basicprofile',
  'r_liteprofile',
  'r_emailaddress',
  'w_member_social',
  'r_organization_social',
  'w_organization_social',
  'rw_organization_admin',
  'r_organization_admin',
  'rw_dmp_segments',
  'r_1st_connections_size',
];

const splitScopes = (s: string): string[] => s.split(/[\s,]+/).filter((x) => x !== '');

class PageError extends Error {
  readonly code = 'authorize_page_error';
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
  ) {
    super(title);
    this.name = 'PageError';
  }
}

class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

const missing = (name: string) => new OAuthError(400, 'invalid_request', `A required parameter "${name}" is missing`);

function formBody(req: FastifyRequest): URLSearchParams {
  const type = req.headers['content-type'] ?? '';
  return typeof req.body === 'string' && type.startsWith('application/x-www-form-urlencoded')
    ? new URLSearchParams(req.body)
    : new URLSearchParams();
}

function queryOf(req: FastifyRequest): URLSearchParams {
  const url = req.raw.url ?? req.url;
  const q = url.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
}

function isAllowedRedirect(ctx: SandboxContext, uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hash !== '' || uri.includes('#')) return false;
  return !ctx.redirectUriPrefixes || ctx.redirectUriPrefixes.some((p) => uri.startsWith(p));
}

/** Checks the authorize request like LinkedIn's consent screen does; problems become an HTML error page. */
function validateAuthorize(ctx: SandboxContext, p: URLSearchParams): { params: AuthorizeParams; scopes: string[] } {
  const get = (k: string) => p.get(k) ?? undefined;
  const responseType = get('response_type');
  if (!responseType) throw new PageError(400, 'Bad request', 'The required parameter response_type is missing.');
  if (responseType !== 'code') {
    throw new PageError(400, 'Bad request', `Unsupported response_type "${responseType}"; use response_type=code.`);
  }
  const clientId = get('client_id');
  if (!clientId) throw new PageError(400, 'Bad request', 'The required parameter client_id is missing.');
  if (clientId !== ctx.clientId)
    throw new PageError(401, 'Invalid client_id', "Client_id doesn't match a registered app.");
  const redirectUri = get('redirect_uri');
  if (!redirectUri) throw new PageError(400, 'Bad request', 'The required parameter redirect_uri is missing.');
  if (!isAllowedRedirect(ctx, redirectUri)) {
    throw new PageError(401, 'Invalid redirect_uri', "The redirect_uri doesn't match the registered value.");
  }
  const scope = get('scope');
  if (!scope) throw new PageError(400, 'Bad request', 'The required parameter scope is missing.');
  const scopes = [...new Set(splitScopes(scope))];
  const unknown = scopes.filter((s) => !KNOWN_SCOPES.includes(s));
  if (scopes.length === 0 || unknown.length > 0) {
    throw new PageError(401, 'Invalid scope', `Invalid scope: ${unknown.join(', ') || '(empty)'}.`);
  }
  const state = get('state');
  return {
    params: {
      response_type: responseType,
      client_id: clientId,
      redirect_uri: redirectUri,
      scope,
      ...(state !== undefined ? { state } : {}),
    },
    scopes,
  };
}

function redirectWith(redirectUri: string, values: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(values)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

function approve(ctx: SandboxContext, params: AuthorizeParams, scopes: string[], member: DemoMember): string {
  const code = ctx.tokens.issueCode({
    clientId: params.client_id,
    redirectUri: params.redirect_uri,
    memberId: member.id,
    scopes,
  });
  return redirectWith(params.redirect_uri, { code: code.code, state: params.state });
}

/** OpenID id_token, HS256-signed with the client secret (LinkedIn signs RS256; the claims are the same). */
function idToken(ctx: SandboxContext, member: DemoMember, scopes: string[]): string {
  const now = Math.floor(ctx.now() / 1000);
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = b64({ alg: 'HS256', typ: 'JWT' });
  const body = b64({
    iss: 'https://www.linkedin.com/oauth',
    aud: ctx.clientId,
    iat: now,
    exp: now + 3600,
    sub: member.id,
    ...(scopes.includes('profile')
      ? { name: member.name, given_name: member.firstName, family_name: member.lastName, locale: member.locale }
      : {}),
    ...(scopes.includes('email') ? { email: member.email, email_verified: true } : {}),
  });
  const signature = createHmac('sha256', ctx.clientSecret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${signature}`;
}

export function tokenResponse(ctx: SandboxContext, grant: Grant, access: AccessToken): TokenResponse {
  const now = ctx.now();
  const member = memberById(ctx, grant.memberId)!;
  return {
    access_token: access.token,
    expires_in: Math.floor((access.expiresAt - now) / 1000),
    refresh_token: grant.refreshToken,
    refresh_token_expires_in: Math.max(0, Math.floor((grant.refreshExpiresAt - now) / 1000)),
    scope: grant.scopes.join(','),
    token_type: 'Bearer',
    ...(grant.scopes.includes('openid') ? { id_token: idToken(ctx, member, grant.scopes) } : {}),
  };
}

/** client_id and client_secret must be in the form body (LinkedIn ignores HTTP Basic, reference libraries §5.2). */
function authenticateClient(ctx: SandboxContext, form: URLSearchParams): void {
  const clientId = form.get('client_id');
  if (!clientId) throw missing('client_id');
  const secret = form.get('client_secret');
  if (!secret) throw missing('client_secret');
  if (clientId !== ctx.clientId || secret !== ctx.clientSecret) {
    throw new OAuthError(401, 'invalid_client', 'Client authentication failed');
  }
}

function accessTokenEndpoint(ctx: SandboxContext, form: URLSearchParams): TokenResponse {
  const grantType = form.get('grant_type');
  if (!grantType) throw missing('grant_type');
  if (!['authorization_code', 'refresh_token', 'client_credentials'].includes(grantType)) {
    throw new OAuthError(400, 'unsupported_grant_type', `The grant_type "${grantType}" is not supported`);
  }
  authenticateClient(ctx, form);
  if (grantType === 'client_credentials') {
    // Not enabled by default and unusable for Marketing APIs (reference §1.5).
    throw new OAuthError(401, 'access_denied', 'This application is not allowed to create application tokens');
  }
  if (grantType === 'refresh_token') {
    const refreshToken = form.get('refresh_token');
    if (!refreshToken) throw missing('refresh_token');
    const refreshed = ctx.tokens.refresh(refreshToken, ctx.clientId);
    if (!refreshed) {
      throw new OAuthError(
        400,
        'invalid_request',
        'The provided authorization grant or refresh token is invalid, expired or revoked.',
      );
    }
    return tokenResponse(ctx, refreshed.grant, refreshed.access);
  }
  const code = form.get('code');
  if (!code) throw missing('code');
  const redirectUri = form.get('redirect_uri');
  if (!redirectUri) throw missing('redirect_uri');
  const found = ctx.tokens.consumeCode(code);
  if (!found) {
    throw new OAuthError(401, 'invalid_request', 'Unable to retrieve access token: authorization code not found');
  }
  if (found.clientId !== form.get('client_id') || found.redirectUri !== redirectUri) {
    throw new OAuthError(
      400,
      'invalid_redirect_uri',
      'Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. Or authorization code expired. Or external member binding exists',
    );
  }
  const { grant, access } = ctx.tokens.grant(found.memberId, found.clientId, found.scopes);
  return tokenResponse(ctx, grant, access);
}

const TOKEN_SHAPE = /^AQ[A-Za-z0-9_-]{16,}$/;

function introspect(ctx: SandboxContext, form: URLSearchParams): TokenIntrospection {
  const clientId = form.get('client_id');
  if (!clientId) throw missing('client_id');
  const secret = form.get('client_secret');
  if (!secret) throw missing('client_secret');
  const token = form.get('token');
  if (!token) throw missing('token');
  if (clientId !== ctx.clientId) throw new OAuthError(400, 'invalid_request', 'The client_id is invalid');
  if (secret !== ctx.clientSecret) throw new OAuthError(401, 'invalid_client', 'Client authentication failed');
  if (!TOKEN_SHAPE.test(token)) throw new OAuthError(400, 'invalid_request', 'The token is malformed');
  const sec = (ms: number) => Math.floor(ms / 1000);
  const access = ctx.tokens.accessToken(token);
  const grantInfo = access
    ? {
        grant: access.access.grant,
        state: access.state,
        createdAt: access.access.createdAt,
        expiresAt: access.access.expiresAt,
      }
    : (() => {
        const r = ctx.tokens.refreshTokenGrant(token);
        return r
          ? { grant: r.grant, state: r.state, createdAt: r.grant.authorizedAt, expiresAt: r.grant.refreshExpiresAt }
          : undefined;
      })();
  // Unknown tokens, and tokens of another app, are simply not active.
  if (!grantInfo || grantInfo.grant.clientId !== clientId) return { active: false };
  return {
    active: grantInfo.state === 'active',
    client_id: grantInfo.grant.clientId,
    authorized_at: sec(grantInfo.grant.authorizedAt),
    created_at: sec(grantInfo.createdAt),
    status: grantInfo.state,
    expires_at: sec(grantInfo.expiresAt),
    scope: grantInfo.grant.scopes.join(','),
    auth_type: '3L',
  };
}

function userInfo(ctx: SandboxContext, access: AccessToken): UserInfo {
  const member = memberById(ctx, access.grant.memberId)!;
  const scopes = access.grant.scopes;
  // Without `profile` LinkedIn returns only the subject; UserInfo types name as required, hence the cast.
  return {
    sub: member.id,
    ...(scopes.includes('profile')
      ? { name: member.name, given_name: member.firstName, family_name: member.lastName, locale: member.locale }
      : {}),
    ...(scopes.includes('email') ? { email: member.email, email_verified: true } : {}),
  } as UserInfo;
}

export function registerOAuthRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const page = (reply: FastifyReply, e: unknown) => {
    if (!(e instanceof PageError)) throw e;
    return reply.code(e.status).type('text/html; charset=utf-8').send(errorPage(e.title, e.detail));
  };
  const json = async (reply: FastifyReply, run: () => unknown) => {
    if (ctx.knobs.latencyMs > 0) await ctx.sleep(ctx.knobs.latencyMs);
    reply.header('cache-control', 'no-store');
    try {
      const body = run();
      return body === undefined
        ? reply.code(200).send()
        : reply.code(200).type('application/json').send(JSON.stringify(body));
    } catch (e) {
      if (!(e instanceof OAuthError)) throw e;
      return reply
        .code(e.status)
        .type('application/json')
        .send(JSON.stringify({ error: e.code, error_description: e.description }));
    }
  };

  app.get('/oauth/v2/authorization', async (req, reply) => {
    try {
      const query = queryOf(req);
      const { params, scopes } = validateAuthorize(ctx, query);
      const memberId = query.get('member');
      if (memberId !== null) {
        const member = memberById(ctx, memberId);
        if (!member) throw new PageError(400, 'Unknown member', `There is no demo member "${memberId}".`);
        return reply.redirect(approve(ctx, params, scopes, member), 302);
      }
      return reply.type('text/html; charset=utf-8').send(consentPage(params, scopes, ctx.members));
    } catch (e) {
      return page(reply, e);
    }
  });

  app.post('/oauth/v2/authorization', async (req, reply) => {
    try {
      const form = formBody(req);
      const { params, scopes } = validateAuthorize(ctx, form);
      if (form.get('decision') === 'cancel') {
        return reply.redirect(
          redirectWith(params.redirect_uri, {
            error: 'user_cancelled_authorize',
            error_description: 'The user cancelled the authorization',
            state: params.state,
          }),
          302,
        );
      }
      const member = memberById(ctx, form.get('member') ?? '');
      if (!member) throw new PageError(400, 'No member chosen', 'Pick one of the demo members to sign in as.');
      return reply.redirect(approve(ctx, params, scopes, member), 302);
    } catch (e) {
      return page(reply, e);
    }
  });

  app.post('/oauth/v2/accessToken', (req, reply) => json(reply, () => accessTokenEndpoint(ctx, formBody(req))));
  app.post('/oauth/v2/introspectToken', (req, reply) => json(reply, () => introspect(ctx, formBody(req))));
  app.post('/oauth/v2/revoke', (req, reply) =>
    json(reply, () => {
      const form = formBody(req);
      authenticateClient(ctx, form);
      const token = form.get('token');
      if (!token) throw missing('token');
      ctx.tokens.revoke(token, ctx.clientId);
      return undefined;
    }),
  );

  app.get('/v2/userinfo', async (req, reply) => {
    if (ctx.knobs.latencyMs > 0) await ctx.sleep(ctx.knobs.latencyMs);
    try {
      const auth = req.headers.authorization;
      const access = authenticate(ctx, Array.isArray(auth) ? auth[0] : auth);
      if (!access.grant.scopes.includes('openid')) {
        throw new RestError(403, {
          status: 403,
          serviceErrorCode: 100,
          code: 'ACCESS_DENIED',
          message: 'Not enough permissions to access: userinfo.GET.NO_VERSION',
        });
      }
      return reply.type('application/json').send(JSON.stringify(userInfo(ctx, access)));
    } catch (e) {
      if (!(e instanceof RestError)) throw e;
      return reply.code(e.status).type('application/json').send(JSON.stringify(e.body));
    }
  });
}
