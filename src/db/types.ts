/**
 * What the rest of the bot may ask of storage. Implemented on Drizzle + better-sqlite3 (sqlite/*.ts);
 * another database can be added by implementing these interfaces, without touching callers.
 * Tokens cross this boundary in plain text only: the implementation seals them (AES-256-GCM) before writing.
 */
import type { AudienceInsight, MemberAdAccount, SegmentsOrderedBy, TargetingCriteria } from '../linkedin/types.js';

export interface SlackUserKey {
  teamId: string;
  userId: string;
}

export type LinkStatus = 'active' | 'needs_relink';

export interface LinkedInLink extends SlackUserKey {
  memberUrn: string; // urn:li:person:{sub}
  memberName: string;
  accessToken: string;
  accessTokenExpiresAt: number; // epoch ms
  refreshToken?: string;
  refreshTokenExpiresAt?: number; // epoch ms
  scopes: string[];
  status: LinkStatus;
  /** When the person was told the link needs re-linking, so they are told once. */
  relinkNotifiedAt?: number;
  createdAt: number;
  updatedAt: number;
}

export interface LinksRepo {
  /** Throws a `SealedTokenError` (crypto/errors.ts) when a stored token cannot be opened with the configured keys. */
  get(key: SlackUserKey): LinkedInLink | undefined;
  /** Inserts or replaces the link of one Slack user; at most one link per (team, user). */
  upsert(link: Omit<LinkedInLink, 'createdAt' | 'updatedAt'>): LinkedInLink;
  /**
   * Without a `refreshToken` the stored one (and its expiry) is kept: LinkedIn's previous refresh token stays
   * valid. Fresh tokens make the link `active` again and clear `relinkNotifiedAt`. No link: nothing happens.
   */
  updateTokens(
    key: SlackUserKey,
    tokens: Pick<LinkedInLink, 'accessToken' | 'accessTokenExpiresAt' | 'refreshToken' | 'refreshTokenExpiresAt'>,
  ): void;
  /** Without `notifiedAt`, an earlier notification time is kept. */
  markNeedsRelink(key: SlackUserKey, notifiedAt?: number): void;
  delete(key: SlackUserKey): boolean;
  count(): number;
}

export type OAuthStateKind = 'link_ticket' | 'oauth_state';

export interface OAuthStateRecord extends SlackUserKey {
  id: string;
  kind: OAuthStateKind;
  createdAt: number;
  expiresAt: number;
  consumedAt?: number;
  /** Anything the flow needs back (e.g. the Slack channel to confirm in). */
  data?: Record<string, unknown>;
}

export type ConsumeResult =
  | { ok: true; record: OAuthStateRecord }
  | { ok: false; reason: 'unknown' | 'expired' | 'used' };

export interface OAuthStatesRepo {
  create(record: Omit<OAuthStateRecord, 'consumedAt'>): void;
  /** Marks the record used, atomically: a second consume of the same id answers `used`. */
  consume(id: string, kind: OAuthStateKind, now: number): ConsumeResult;
  deleteExpired(now: number): number;
}

export type QueryStatus = 'pending' | 'done' | 'failed';

export interface QueryError {
  code: string;
  message: string;
  status?: number;
}

/** One audience as a person described it: everything needed to re-run it. */
export interface AudienceQuerySpec {
  accountUrn: string;
  criteria: TargetingCriteria;
  groupBy: string;
  orderBy: SegmentsOrderedBy;
  maxReturnCount: number;
}

export interface StoredQuery extends SlackUserKey {
  id: string;
  spec: AudienceQuerySpec;
  /** A second audience, for comparisons. */
  compareSpec?: AudienceQuerySpec;
  parentId?: string;
  status: QueryStatus;
  result?: AudienceInsight;
  compareResult?: AudienceInsight;
  /** URN → display name, as resolved when the result arrived. */
  names?: Record<string, string>;
  error?: QueryError;
  chartStyle?: string;
  /** Where the person asked (for replies) and where the result was shared (for threads). */
  channelId?: string;
  sharedChannelId?: string;
  sharedTs?: string;
  createdAt: number;
  updatedAt: number;
}

export interface QueriesRepo {
  /** `parentId`, when given, must name a stored query. */
  create(query: Omit<StoredQuery, 'createdAt' | 'updatedAt'>): StoredQuery;
  get(id: string): StoredQuery | undefined;
  /** A key present in the patch with `undefined` clears that field; absent keys are left as they are. */
  update(
    id: string,
    patch: Partial<Omit<StoredQuery, 'id' | 'teamId' | 'userId' | 'createdAt'>>,
  ): StoredQuery | undefined;
  listRecent(key: SlackUserKey, limit: number): StoredQuery[];
}

export interface PreferencesRepo {
  getDefaultAccount(key: SlackUserKey): string | undefined;
  setDefaultAccount(key: SlackUserKey, accountUrn: string | undefined): void;
  /** The ad accounts last read from LinkedIn for this user, to pre-fill pickers without a call. */
  getCachedAccounts(key: SlackUserKey): MemberAdAccount[] | undefined;
  setCachedAccounts(key: SlackUserKey, accounts: MemberAdAccount[]): void;
  getWorkspaceChartStyle(teamId: string): string | undefined;
  setWorkspaceChartStyle(teamId: string, style: string | undefined): void;
}

export interface Repositories {
  links: LinksRepo;
  oauthStates: OAuthStatesRepo;
  queries: QueriesRepo;
  preferences: PreferencesRepo;
}

export interface Database {
  repos: Repositories;
  /** Integrity check and a trivial read, for /healthz. */
  ping(): boolean;
  close(): void;
}
