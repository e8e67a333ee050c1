/**
 * Small hand-written fakes for the insights use cases: a LinkedIn that records every call (and the token it
 * came with) and answers from a tiny catalog, and a database in memory.
 */
import { randomBytes } from 'node:crypto';
import { createTokenSealer } from '../../src/crypto/sealer.js';
import { openDatabase } from '../../src/db/sqlite/client.js';
import type { AudienceQuerySpec, Database, SlackUserKey } from '../../src/db/types.js';
import { NotLinkedError } from '../../src/errors.js';
import type { LinkedInApi } from '../../src/linkedin/api.js';
import { facetName, facetUrn } from '../../src/linkedin/facets.js';
import type {
  AdSegment,
  AudienceInsight,
  AudienceInsightsRequestBody,
  MemberAdAccount,
  TargetingEntity,
} from '../../src/linkedin/types.js';

export const CATALOG: Record<string, Array<[string, string]>> = {
  jobFunctions: [
    ['urn:li:function:4', 'Business Development'],
    ['urn:li:function:8', 'Engineering'],
    ['urn:li:function:13', 'Information Technology'],
    ['urn:li:function:15', 'Marketing'],
    ['urn:li:function:16', 'Media and Communication'],
    ['urn:li:function:25', 'Sales'],
  ],
  seniorities: [
    ['urn:li:seniority:1', 'Unpaid'],
    ['urn:li:seniority:3', 'Entry'],
    ['urn:li:seniority:4', 'Senior'],
    ['urn:li:seniority:5', 'Manager'],
  ],
  staffCountRanges: [
    ['urn:li:staffCountRange:(11,50)', '11-50 employees'],
    ['urn:li:staffCountRange:(51,200)', '51-200 employees'],
    ['urn:li:staffCountRange:(1001,5000)', '1,001-5,000 employees'],
  ],
  skills: [
    ['urn:li:skill:17', 'Python'],
    ['urn:li:skill:18', 'Python (Programming Language)'],
    ['urn:li:skill:19', 'Java'],
    ['urn:li:skill:20', 'JavaScript'],
  ],
  titles: [
    ['urn:li:title:100', 'Data Engineer'],
    ['urn:li:title:101', 'Senior Data Engineer'],
    ['urn:li:title:102', 'Data Scientist'],
    ['urn:li:title:103', 'Data Analyst'],
  ],
  locations: [
    ['urn:li:geo:103644278', 'United States'],
    ['urn:li:geo:90000001', 'United States Minor Outlying Islands'],
    ['urn:li:geo:101282230', 'Germany'],
    ['urn:li:geo:102095887', 'California, United States'],
  ],
  employers: [['urn:li:organization:1035', 'Microsoft']],
};

const ALL_NAMES = new Map(Object.values(CATALOG).flat());

export const US = 'urn:li:geo:103644278';
export const PYTHON = 'urn:li:skill:17';
export const JAVA = 'urn:li:skill:19';
export const ACCOUNT = 'urn:li:sponsoredAccount:5001';

export interface RecordedCall {
  method: string;
  token: string;
  args: unknown[];
}

type Insights = (token: string, body: AudienceInsightsRequestBody) => Promise<AudienceInsight>;

/** Segments per groupBy facet, so every breakdown has something to name. */
const SEGMENTS: Record<string, string[]> = {
  jobFunctions: ['urn:li:function:8', 'urn:li:function:13', 'urn:li:function:4'],
  seniorities: ['urn:li:seniority:4', 'urn:li:seniority:3'],
  staffCountRanges: ['urn:li:staffCountRange:(51,200)', 'urn:li:staffCountRange:(11,50)'],
  skills: ['urn:li:skill:17', 'urn:li:skill:19'],
};

export const defaultInsight: Insights = async (_token, body) => {
  const group = facetName(body.request.groupBy);
  const values = (SEGMENTS[group] ?? ['urn:li:unknownThing:1']).slice(0, body.request.maxReturnCount ?? 5);
  return {
    groupedBy: body.request.groupBy,
    totalAudienceCount: 420_000,
    segments: values.map((value, i) => ({ value, entityCount: 100_000 - i * 10_000, entityPercentage: 30 - i * 5 })),
  };
};

export function fakeLinkedIn(options: { segments?: AdSegment[] } = {}) {
  const calls: RecordedCall[] = [];
  let insights: Insights = defaultInsight;
  let names: ((token: string, urns: readonly string[]) => Promise<Map<string, string>>) | undefined;
  const record = (method: string, token: string, ...args: unknown[]) => calls.push({ method, token, args });
  const entities = (facet: string): TargetingEntity[] =>
    (CATALOG[facetName(facet)] ?? []).map(([urn, name]) => ({ urn, name, facetUrn: facetUrn(facetName(facet)) }));

  const api: Pick<LinkedInApi, 'audienceInsights' | 'facetEntities' | 'typeahead' | 'adSegments'> & {
    resolveEntityNames(token: string, urns: readonly string[]): Promise<Map<string, string>>;
  } = {
    async audienceInsights(token, body) {
      record('audienceInsights', token, body);
      return insights(token, body);
    },
    async resolveEntityNames(token, urns) {
      record('resolveEntityNames', token, [...urns]);
      if (names) return names(token, urns);
      return new Map(urns.filter((u) => ALL_NAMES.has(u)).map((u) => [u, ALL_NAMES.get(u)!] as const));
    },
    async facetEntities(token, facet, opts) {
      record('facetEntities', token, facet, opts);
      return entities(facet);
    },
    async typeahead(token, facet, query, opts) {
      record('typeahead', token, facet, query, opts);
      const q = query.toLowerCase();
      return entities(facet)
        .filter((e) =>
          e.name
            .toLowerCase()
            .split(/[\s,()]+/)
            .some((_, i, words) => words.slice(i).join(' ').startsWith(q)),
        )
        .slice(0, opts?.count ?? 10);
    },
    async adSegments(token, accountUrn) {
      record('adSegments', token, accountUrn);
      return options.segments ?? [];
    },
  };

  return {
    api,
    calls,
    /** Calls of one method (or all LinkedIn calls). */
    count: (method?: string) => calls.filter((c) => !method || c.method === method).length,
    tokensOf: (method: string) => calls.filter((c) => c.method === method).map((c) => c.token),
    reset: () => {
      calls.length = 0;
    },
    answerInsightsWith: (fn: Insights) => {
      insights = fn;
    },
    answerNamesWith: (fn: (token: string, urns: readonly string[]) => Promise<Map<string, string>>) => {
      names = fn;
    },
  };
}

export type FakeLinkedIn = ReturnType<typeof fakeLinkedIn>;

export const ALICE: SlackUserKey = { teamId: 'T1', userId: 'UALICE' };
export const BOB: SlackUserKey = { teamId: 'T1', userId: 'UBOB' };
export const CAROL: SlackUserKey = { teamId: 'T1', userId: 'UCAROL' };

export function memoryDb(now: () => number = Date.now): Database {
  return openDatabase({ url: ':memory:', sealer: createTokenSealer({ current: randomBytes(32) }), now });
}

/** Links Slack users to LinkedIn members; tokens are per Slack user, so each person's calls are recognisable. */
export function linkUsers(db: Database, users: Array<{ key: SlackUserKey; member: string; token: string }>) {
  for (const u of users) {
    db.repos.links.upsert({
      ...u.key,
      memberUrn: u.member,
      memberName: u.member,
      accessToken: u.token,
      accessTokenExpiresAt: Number.MAX_SAFE_INTEGER,
      scopes: ['r_ads'],
      status: 'active',
    });
  }
}

/** `accessTokenFor` over the links repo, as the link service does it (minus refresh). */
export const tokensFromLinks =
  (db: Database) =>
  async (key: SlackUserKey): Promise<string> => {
    const link = db.repos.links.get(key);
    if (!link) throw new NotLinkedError();
    return link.accessToken;
  };

export function manualClock(start = 1_750_000_000_000) {
  let value = start;
  return { now: () => value, advance: (ms: number) => (value += ms) };
}

export function spec(overrides: Partial<AudienceQuerySpec> = {}): AudienceQuerySpec {
  return {
    accountUrn: ACCOUNT,
    criteria: {
      include: {
        and: [{ or: { [facetUrn('locations')]: [US] } }, { or: { [facetUrn('skills')]: [PYTHON, JAVA] } }],
      },
      exclude: { or: { [facetUrn('seniorities')]: ['urn:li:seniority:1'] } },
    },
    groupBy: facetUrn('jobFunctions'),
    orderBy: 'AUDIENCE_PERCENTAGE',
    maxReturnCount: 5,
    ...overrides,
  };
}

export const accounts: MemberAdAccount[] = [
  { urn: ACCOUNT, id: 5001, name: 'Acme Marketing', status: 'ACTIVE', currency: 'USD', test: false, role: 'VIEWER' },
  {
    urn: 'urn:li:sponsoredAccount:5002',
    id: 5002,
    name: 'Acme Sales',
    status: 'ACTIVE',
    currency: 'USD',
    test: false,
    role: 'ACCOUNT_MANAGER',
  },
  {
    urn: 'urn:li:sponsoredAccount:6001',
    id: 6001,
    name: 'Globex',
    status: 'ACTIVE',
    currency: 'EUR',
    test: false,
    role: 'VIEWER',
  },
];
