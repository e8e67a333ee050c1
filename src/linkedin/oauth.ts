import { z } from 'zod';
import type { LinkedInApi } from './api.js';
import { expectShape, type RequestCore } from './core.js';
import type { TokenIntrospection, TokenResponse, TokenSet, UserInfo } from './types.js';

export interface OAuthOptions {
  oauthUrl: string;
  userInfoUrl: string;
  clientId: string;
  clientSecret: string;
  /** Epoch ms, for turning `expires_in` into absolute expiry times. */
  now: () => number;
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.number(),
  refresh_token: z.string().optional(),
  refresh_token_expires_in: z.number().optional(),
  scope: z.string().optional(),
  token_type: z.string().optional(),
  id_token: z.string().optional(),
});

const introspection = z.object({
  active: z.boolean(),
  client_id: z.string().optional(),
  authorized_at: z.number().optional(),
  created_at: z.number().optional(),
  // Values outside the documented enums are dropped rather than failing the whole check.
  status: z.enum(['active', 'expired', 'revoked']).optional().catch(undefined),
  expires_at: z.number().optional(),
  scope: z.string().optional(),
  auth_type: z.enum(['2L', '3L', 'Enterprise_User']).optional().catch(undefined),
});

const userInfo = z.object({
  sub: z.string(),
  name: z.string(),
  given_name: z.string().optional(),
  family_name: z.string().optional(),
  picture: z.string().optional(),
  // Observed both as "en-US" and as {country, language}.
  locale: z.union([z.string(), z.object({ country: z.string(), language: z.string() })]).optional(),
  email: z.string().optional(),
  email_verified: z.boolean().optional(),
});

/** LinkedIn returns scopes comma-separated (`"r_ads,rw_ads"`); tolerate spaces too. */
export const parseScopes = (scope: string | undefined): string[] =>
  (scope ?? '')
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');

/** Converts relative lifetimes (seconds, including `refresh_token_expires_in`) into absolute epoch-ms times. */
export const toTokenSet = (response: TokenResponse, now: number): TokenSet => ({
  accessToken: response.access_token,
  accessTokenExpiresAt: now + response.expires_in * 1000,
  ...(response.refresh_token
    ? {
        refreshToken: response.refresh_token,
        ...(response.refresh_token_expires_in !== undefined
          ? { refreshTokenExpiresAt: now + response.refresh_token_expires_in * 1000 }
          : {}),
      }
    : {}),
  scopes: parseScopes(response.scope),
});

export const oauthEndpoints = (
  core: RequestCore,
  opts: OAuthOptions,
): Pick<LinkedInApi, 'authorizationUrl' | 'exchangeCode' | 'refresh' | 'revoke' | 'introspect' | 'userInfo'> => {
  const client = { client_id: opts.clientId, client_secret: opts.clientSecret };

  const requestTokens = async (endpoint: string, form: Record<string, string>, idempotent: boolean) => {
    const sentAt = opts.now();
    const response = await core.form({
      endpoint,
      url: `${opts.oauthUrl}/accessToken`,
      form: { ...form, ...client },
      idempotent,
      secrets: [opts.clientSecret, ...Object.values(form)],
    });
    return toTokenSet(expectShape(tokenResponse, response, endpoint), sentAt);
  };

  return {
    authorizationUrl({ redirectUri, state, scopes }) {
      const params = new URLSearchParams({
        response_type: 'code',
        client_id: opts.clientId,
        redirect_uri: redirectUri,
        state,
        scope: scopes.join(' '),
      });
      // URLSearchParams writes spaces as `+`; a literal `+` is already `%2B`, so every `+` left is a space and
      // can take the `%20` form LinkedIn documents.
      return `${opts.oauthUrl}/authorization?${params.toString().replace(/\+/g, '%20')}`;
    },

    // A code is single-use: only a 429 (not processed) is retried.
    exchangeCode(code, redirectUri) {
      return requestTokens(
        'oauth.accessToken.authorizationCode',
        { grant_type: 'authorization_code', code, redirect_uri: redirectUri },
        false,
      );
    },

    refresh(refreshToken) {
      return requestTokens(
        'oauth.accessToken.refreshToken',
        { grant_type: 'refresh_token', refresh_token: refreshToken },
        true,
      );
    },

    async revoke(token) {
      await core.form({
        endpoint: 'oauth.revoke',
        url: `${opts.oauthUrl}/revoke`,
        form: { ...client, token },
        secrets: [opts.clientSecret, token],
      });
    },

    async introspect(token): Promise<TokenIntrospection> {
      const endpoint = 'oauth.introspectToken';
      const response = await core.form({
        endpoint,
        url: `${opts.oauthUrl}/introspectToken`,
        form: { ...client, token },
        secrets: [opts.clientSecret, token],
      });
      return expectShape(introspection, response, endpoint);
    },

    async userInfo(token): Promise<UserInfo> {
      const endpoint = 'userinfo';
      const response = await core.bearerGet({ endpoint, url: opts.userInfoUrl, token });
      return expectShape(userInfo, response, endpoint);
    },
  };
};
