/**
 * Wire-level shapes of the LinkedIn Marketing API endpoints the bot uses. Shared by the client, the sandbox
 * (which serves them) and the use cases (which consume them). Field names follow LinkedIn's JSON exactly.
 */

/** `urn:li:adTargetingFacet:{name}` → entity URNs. */
export type FacetValues = Record<string, string[]>;

/** LinkedIn's targeting expression: include = AND of OR-groups; exclude = OR. */
export interface TargetingCriteria {
  include: { and: Array<{ or: FacetValues }> };
  exclude?: { or: FacetValues };
}

export type SegmentsOrderedBy = 'AUDIENCE_PERCENTAGE' | 'HIERARCHICAL';

/** The body of `POST /targetingAudienceInsights?action=audienceInsights`, exactly as documented. */
export interface AudienceInsightsRequestBody {
  request: {
    requestMetaData: { sponsoredAccount: string };
    targetingCriteria: TargetingCriteria;
    groupBy: string;
    segmentsOrderedBy?: SegmentsOrderedBy;
    maxReturnCount?: number;
  };
}

export interface Segmentation {
  entityCount: number;
  entityPercentage: number;
  value: string;
}

export interface AudienceInsightsResponse {
  value: {
    audienceInsight: { segmentations: Segmentation[]; groupedBy: string };
    totalAudienceCount: number;
  };
}

/** What the client returns for an insights call: the response, flattened. */
export interface AudienceInsight {
  groupedBy: string;
  totalAudienceCount: number;
  segments: Segmentation[];
}

export type AdAccountRole =
  | 'ACCOUNT_BILLING_ADMIN'
  | 'ACCOUNT_MANAGER'
  | 'CAMPAIGN_MANAGER'
  | 'CREATIVE_MANAGER'
  | 'VIEWER';

export interface AdAccountUser {
  account: string; // urn:li:sponsoredAccount:N
  role: AdAccountRole;
  user: string; // urn:li:person:X
  changeAuditStamps?: { created: { actor?: string; time: number }; lastModified: { actor?: string; time: number } };
  version?: { versionTag: string };
}

export interface AdAccount {
  id: number;
  name: string;
  currency: string;
  status: 'ACTIVE' | 'CANCELED' | 'DRAFT' | 'PENDING_DELETION' | 'REMOVED';
  type: 'BUSINESS' | 'ENTERPRISE';
  test: boolean;
  reference?: string;
  servingStatuses?: string[];
}

/** An ad account the authenticated member can use, with the member's role on it. */
export interface MemberAdAccount {
  urn: string;
  id: number;
  name: string;
  status: AdAccount['status'];
  currency: string;
  test: boolean;
  role: AdAccountRole;
}

export interface TargetingFacet {
  facetName: string;
  adTargetingFacetUrn: string;
  availableEntityFinders: Array<'AD_TARGETING_FACET' | 'TYPEAHEAD' | 'SIMILAR_ENTITIES'>;
  entityTypes: string[];
}

export interface TargetingEntity {
  urn: string;
  facetUrn: string;
  name: string;
}

export interface AdSegment {
  id: number;
  account: string;
  name: string;
  description?: string;
  approximateMemberCount: number;
  status: 'READY' | 'BUILDING' | 'ARCHIVED' | 'EXPIRED';
  type: string;
  created?: { actor?: string; time: number };
  lastModified?: { actor?: string; time: number };
}

export interface AdTargetTemplateInput {
  account: string;
  name: string;
  description?: string;
  targetingCriteria: TargetingCriteria;
}

export interface AdTargetTemplate extends AdTargetTemplateInput {
  id: number;
  approximateMemberCount?: number;
  created?: { time: number };
  lastModified?: { time: number };
}

export interface AudienceCount {
  total: number;
  active: number;
}

/** OpenID Connect `/v2/userinfo`. */
export interface UserInfo {
  sub: string;
  name: string;
  given_name?: string;
  family_name?: string;
  picture?: string;
  locale?: string | { country: string; language: string };
  email?: string;
  email_verified?: boolean;
}

/** `POST /oauth/v2/accessToken` success body. */
export interface TokenResponse {
  access_token: string;
  expires_in: number;
  refresh_token?: string;
  refresh_token_expires_in?: number;
  scope?: string;
  token_type?: string;
  id_token?: string;
}

/** Tokens as the bot keeps them, with absolute expiry times (epoch ms). */
export interface TokenSet {
  accessToken: string;
  accessTokenExpiresAt: number;
  refreshToken?: string;
  refreshTokenExpiresAt?: number;
  scopes: string[];
}

export interface TokenIntrospection {
  active: boolean;
  client_id?: string;
  authorized_at?: number;
  created_at?: number;
  status?: 'active' | 'expired' | 'revoked';
  expires_at?: number;
  scope?: string;
  auth_type?: '2L' | '3L' | 'Enterprise_User';
}

/** LinkedIn's classic Rest.li error body. */
export interface LinkedInErrorBody {
  status?: number;
  serviceErrorCode?: number;
  code?: string;
  message: string;
}
