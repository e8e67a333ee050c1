import type {
  AdSegment,
  AdTargetTemplate,
  AdTargetTemplateInput,
  AudienceCount,
  AudienceInsight,
  AudienceInsightsRequestBody,
  MemberAdAccount,
  TargetingCriteria,
  TargetingEntity,
  TargetingFacet,
  TokenIntrospection,
  TokenSet,
  UserInfo,
} from './types.js';

/**
 * The contract between the bot and LinkedIn. `createLinkedInClient` (client.ts) implements it over HTTP; the
 * same implementation talks to the sandbox, through a loopback port or an in-process `fetch`.
 * Every call takes the member's access token; none keeps one.
 * Failures reject with a `LinkedInError` subclass (errors.ts).
 */
export interface LinkedInApi {
  audienceInsights(token: string, body: AudienceInsightsRequestBody): Promise<AudienceInsight>;
  /** `adAccountUsers?q=authenticatedUser`, then names and status from one batched `adAccounts` call. */
  adAccounts(token: string): Promise<MemberAdAccount[]>;
  listFacets(token: string): Promise<TargetingFacet[]>;
  /** Full listing of a facet's values (`q=adTargetingFacet`). */
  facetEntities(token: string, facetUrn: string, opts?: { start?: number; count?: number }): Promise<TargetingEntity[]>;
  typeahead(token: string, facetUrn: string, query: string, opts?: { count?: number }): Promise<TargetingEntity[]>;
  /** `q=urns`, batched; unknown URNs are left out, never fail the batch. */
  resolveUrns(token: string, urns: string[]): Promise<TargetingEntity[]>;
  audienceCount(token: string, criteria: TargetingCriteria): Promise<AudienceCount>;
  adSegments(token: string, accountUrn: string): Promise<AdSegment[]>;
  createTargetTemplate(token: string, template: AdTargetTemplateInput): Promise<{ id: number }>;
  listTargetTemplates(token: string, accountUrn: string): Promise<AdTargetTemplate[]>;
  userInfo(token: string): Promise<UserInfo>;
  /** The browser-facing authorization URL (space-separated scopes, properly encoded). */
  authorizationUrl(params: { redirectUri: string; state: string; scopes: string[] }): string;
  exchangeCode(code: string, redirectUri: string): Promise<TokenSet>;
  refresh(refreshToken: string): Promise<TokenSet>;
  revoke(token: string): Promise<void>;
  introspect(token: string): Promise<TokenIntrospection>;
}

/** Scopes the bot asks for in one go (LinkedIn may invalidate tokens issued for another scope set). */
export const LINKEDIN_SCOPES = ['r_ads', 'rw_ads', 'openid', 'profile'] as const;
