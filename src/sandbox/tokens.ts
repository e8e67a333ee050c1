/**
 * OAuth state of one sandbox: authorization codes, grants, access and refresh tokens, all in memory. Lifetimes
 * follow LinkedIn (reference §1): codes 30 minutes and single-use, access tokens 60 days, refresh tokens 365 days
 * counted from the original consent (refreshing does not extend them). Token strings are crypto-random and shaped
 * like LinkedIn's opaque `AQ…` tokens.
 */
import { randomBytes } from 'node:crypto';

const CODE_TTL_SECONDS = 30 * 60;
const ACCESS_TOKEN_TTL_SECONDS = 60 * 24 * 3600;
const REFRESH_TOKEN_TTL_SECONDS = 365 * 24 * 3600;

const opaque = (prefix: string, bytes: number): string => `${prefix}${randomBytes(bytes).toString('base64url')}`;

export interface Grant {
  id: string;
  memberId: string;
  clientId: string;
  scopes: string[];
  authorizedAt: number;
  refreshToken: string;
  refreshExpiresAt: number;
  revoked: boolean;
}

export interface AccessToken {
  token: string;
  grant: Grant;
  createdAt: number;
  expiresAt: number;
  revoked: boolean;
}

export interface AuthorizationCode {
  code: string;
  clientId: string;
  redirectUri: string;
  memberId: string;
  scopes: string[];
  expiresAt: number;
}

export type TokenState = 'active' | 'expired' | 'revoked';

export class TokenStore {
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly grantsByRefresh = new Map<string, Grant>();

  constructor(private readonly now: () => number) {}

  issueCode(input: Omit<AuthorizationCode, 'code' | 'expiresAt'>): AuthorizationCode {
    const code: AuthorizationCode = {
      ...input,
      code: opaque('AQ', 150),
      expiresAt: this.now() + CODE_TTL_SECONDS * 1000,
    };
    this.codes.set(code.code, code);
    return code;
  }

  /** Takes a code out of the store: a code is usable once, and not after 30 minutes. */
  consumeCode(code: string): AuthorizationCode | undefined {
    const found = this.codes.get(code);
    if (!found) return undefined;
    this.codes.delete(code);
    return found.expiresAt > this.now() ? found : undefined;
  }

  /** A new consent: a grant with its refresh token, and a first access token. */
  grant(memberId: string, clientId: string, scopes: string[]): { grant: Grant; access: AccessToken } {
    const now = this.now();
    const grant: Grant = {
      id: opaque('', 12),
      memberId,
      clientId,
      scopes,
      authorizedAt: now,
      refreshToken: opaque('AQW', 200),
      refreshExpiresAt: now + REFRESH_TOKEN_TTL_SECONDS * 1000,
      revoked: false,
    };
    this.grantsByRefresh.set(grant.refreshToken, grant);
    return { grant, access: this.mint(grant) };
  }

  /** A fresh access token from a refresh token that is still valid; the refresh token keeps its original expiry. */
  refresh(refreshToken: string, clientId: string): { grant: Grant; access: AccessToken } | undefined {
    const grant = this.grantsByRefresh.get(refreshToken);
    if (!grant || grant.revoked || grant.clientId !== clientId || grant.refreshExpiresAt <= this.now())
      return undefined;
    return { grant, access: this.mint(grant) };
  }

  private mint(grant: Grant): AccessToken {
    const now = this.now();
    const access: AccessToken = {
      token: opaque('AQV', 210),
      grant,
      createdAt: now,
      expiresAt: now + ACCESS_TOKEN_TTL_SECONDS * 1000,
      revoked: false,
    };
    this.accessTokens.set(access.token, access);
    return access;
  }

  accessToken(token: string): { access: AccessToken; state: TokenState } | undefined {
    const access = this.accessTokens.get(token);
    if (!access) return undefined;
    return { access, state: this.stateOf(access.revoked || access.grant.revoked, access.expiresAt) };
  }

  refreshTokenGrant(token: string): { grant: Grant; state: TokenState } | undefined {
    const grant = this.grantsByRefresh.get(token);
    if (!grant) return undefined;
    return { grant, state: this.stateOf(grant.revoked, grant.refreshExpiresAt) };
  }

  /** Revoking an access token ends that token; revoking a refresh token ends the whole grant. */
  revoke(token: string, clientId: string): boolean {
    const access = this.accessTokens.get(token);
    if (access && access.grant.clientId === clientId) {
      access.revoked = true;
      return true;
    }
    const grant = this.grantsByRefresh.get(token);
    if (grant && grant.clientId === clientId) {
      grant.revoked = true;
      return true;
    }
    return false;
  }

  private stateOf(revoked: boolean, expiresAt: number): TokenState {
    if (revoked) return 'revoked';
    return expiresAt > this.now() ? 'active' : 'expired';
  }
}
