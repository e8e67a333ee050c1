/**
 * The client against the LinkedIn sandbox, in process: every endpoint and every error the sandbox can produce,
 * through the same code path the bot uses against LinkedIn.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLinkedInClient, type LinkedInClient } from '../../src/linkedin/client.js';
import {
  AccessDeniedError,
  OAuthError,
  RateLimitedError,
  ServerError,
  TimeoutError,
  UnauthorizedError,
  UserNotAuthorizedError,
  ValidationFailedError,
  VersionRetiredError,
} from '../../src/linkedin/errors.js';
import { paramEncode } from '../../src/linkedin/restli.js';
import {
  type AudienceDraft,
  buildInsightsRequestBody,
  normalizeInsightsRequest,
  toInsightsRequestBody,
  validateInsightsRequest,
} from '../../src/linkedin/targeting.js';
import type { AudienceInsightsRequestBody, TargetingCriteria } from '../../src/linkedin/types.js';
import { buildSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { json, testClient } from './scripted-fetch.js';

const API_URL = 'http://linkedin.sandbox/rest';
const OAUTH_URL = 'http://linkedin.sandbox/oauth/v2';
const VERSION = '202609';
const START = Date.UTC(2026, 10, 1);
const DAY = 24 * 60 * 60 * 1000;

/** The Audience Insights documentation's sample request, verbatim. */
const DOC_SAMPLE_REQUEST: AudienceInsightsRequestBody = {
  request: {
    requestMetaData: { sponsoredAccount: 'urn:li:sponsoredAccount:123' },
    targetingCriteria: {
      include: {
        and: [
          { or: { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:105080838'] } },
          { or: { 'urn:li:adTargetingFacet:interfaceLocales': ['urn:li:locale:en_US'] } },
          { or: { 'urn:li:adTargetingFacet:skills': ['urn:li:skill:236', 'urn:li:skill:242', 'urn:li:skill:252'] } },
        ],
      },
    },
    groupBy: 'urn:li:adTargetingFacet:jobFunctions',
    maxReturnCount: 5,
  },
};

const DOC_COUNT_CRITERIA: TargetingCriteria = {
  include: {
    and: [
      { or: { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:102221843'] } },
      { or: { 'urn:li:adTargetingFacet:skills': ['urn:li:skill:17'] } },
    ],
  },
};

let sandbox: Sandbox;
let now = START;
let sent: Array<{ url: string; method: string; headers: Headers; body?: string }> = [];

/** sandbox.fetch, recording what the client sends. */
const recordingFetch = ((input: string | URL | Request, init: RequestInit = {}) => {
  sent.push({
    url: String(input),
    method: init.method ?? 'GET',
    headers: new Headers(init.headers),
    body: typeof init.body === 'string' ? init.body : undefined,
  });
  return sandbox.fetch(input, init);
}) as typeof fetch;

const client = (overrides: Partial<Parameters<typeof createLinkedInClient>[0]> = {}): LinkedInClient =>
  createLinkedInClient({
    apiUrl: API_URL,
    oauthUrl: OAUTH_URL,
    version: VERSION,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    fetch: recordingFetch,
    sleep: async () => {},
    now: () => now,
    ...overrides,
  });

const tokenOf = (member: string, scopes?: string[]) =>
  sandbox.issueToken(member, scopes ? { scopes } : {}).access_token;

beforeAll(async () => {
  sandbox = await buildSandbox({ now: () => now });
});

afterAll(async () => {
  await sandbox?.close();
});

beforeEach(() => {
  now = START;
  sent = [];
  Object.assign(sandbox.knobs, { latencyMs: 0, rate429: 0, rate500: 0, provisioned: true, activeVersions: undefined });
});

describe('identity and accounts', () => {
  it('userInfo returns the member behind the token', async () => {
    const me = await client().userInfo(tokenOf('maya-chen'));
    expect(me).toMatchObject({ sub: 'maya-chen', name: 'Maya Chen' });
    expect(sent[0]!.url).toBe('http://linkedin.sandbox/v2/userinfo');
    expect(sent[0]!.headers.get('linkedin-version')).toBeNull();
  });

  it('adAccounts lists the member’s accounts with names, status, currency and role', async () => {
    const accounts = await client().adAccounts(tokenOf('maya-chen'));
    expect(accounts.map((a) => [a.urn, a.name, a.currency, a.status, a.role])).toEqual([
      ['urn:li:sponsoredAccount:123', 'Northwind Traders – Global', 'USD', 'ACTIVE', 'ACCOUNT_MANAGER'],
      ['urn:li:sponsoredAccount:508915158', 'Northwind Traders – EMEA', 'EUR', 'ACTIVE', 'ACCOUNT_MANAGER'],
      ['urn:li:sponsoredAccount:516413367', 'Contoso Agency – Client Pitches', 'USD', 'ACTIVE', 'VIEWER'],
    ]);
    expect(sent.map((r) => new URL(r.url).pathname)).toEqual(['/rest/adAccountUsers', '/rest/adAccounts']);
  });

  it('adAccounts is empty for a member without accounts, with one call', async () => {
    await expect(client().adAccounts(tokenOf('noah-berg'))).resolves.toEqual([]);
    expect(sent).toHaveLength(1);
  });

  it('a cancelled account keeps its status', async () => {
    const accounts = await client().adAccounts(tokenOf('sofia-rossi'));
    expect(accounts.find((a) => a.id === 502840441)?.status).toBe('CANCELED');
  });
});

describe('targeting facets and entities', () => {
  it('listFacets includes the facets the bot offers', async () => {
    const facets = await client().listFacets(tokenOf('maya-chen'));
    const names = facets.map((f) => f.facetName);
    for (const name of ['locations', 'skills', 'titles', 'seniorities', 'jobFunctions', 'employers']) {
      expect(names).toContain(name);
    }
    expect(facets.find((f) => f.facetName === 'titles')?.adTargetingFacetUrn).toBe('urn:li:adTargetingFacet:titles');
  });

  it('facetEntities lists a static facet', async () => {
    const seniorities = await client().facetEntities(tokenOf('maya-chen'), 'urn:li:adTargetingFacet:seniorities');
    expect(seniorities).toContainEqual({
      urn: 'urn:li:seniority:9',
      facetUrn: 'urn:li:adTargetingFacet:seniorities',
      name: 'Partner',
    });
  });

  it('facetEntities honours start and count', async () => {
    const page = await client().facetEntities(tokenOf('maya-chen'), 'urn:li:adTargetingFacet:seniorities', {
      start: 2,
      count: 3,
    });
    expect(page).toHaveLength(3);
  });

  it('typeahead finds locations by prefix', async () => {
    const hits = await client().typeahead(tokenOf('maya-chen'), 'urn:li:adTargetingFacet:locations', 'afric', {
      count: 10,
    });
    expect(hits.map((h) => h.name)).toContain('Africa');
    expect(hits.find((h) => h.name === 'Africa')?.urn).toBe('urn:li:geo:103537801');
  });

  it('resolveUrns names known URNs, including tuple URNs, and leaves unknown ones out', async () => {
    const entities = await client().resolveUrns(tokenOf('maya-chen'), [
      'urn:li:function:4',
      'urn:li:seniority:9',
      'urn:li:staffCountRange:(1,1)',
      'urn:li:skill:999999999',
    ]);
    const byUrn = new Map(entities.map((e) => [e.urn, e.name]));
    expect(byUrn.get('urn:li:seniority:9')).toBe('Partner');
    expect(byUrn.has('urn:li:function:4')).toBe(true);
    expect(byUrn.has('urn:li:staffCountRange:(1,1)')).toBe(true);
    expect(byUrn.has('urn:li:skill:999999999')).toBe(false);
  });

  it('resolveEntityNames coalesces concurrent look-ups into one call and serves repeats from the cache', async () => {
    const c = client();
    const urns = ['urn:li:function:4', 'urn:li:seniority:9', 'urn:li:skill:999999999'];
    const [a, b] = await Promise.all([
      c.resolveEntityNames(tokenOf('maya-chen'), urns),
      c.resolveEntityNames(tokenOf('liam-okafor'), urns),
    ]);
    expect(sent).toHaveLength(1);
    expect(a).toEqual(b);
    expect(a.get('urn:li:seniority:9')).toBe('Partner');
    expect(a.get('urn:li:skill:999999999')).toBe('Skill 999999999');
    await c.resolveEntityNames(tokenOf('sofia-rossi'), urns);
    expect(sent).toHaveLength(1);
  });
});

describe('audience counts', () => {
  it('answers the documentation’s audienceCounts query', async () => {
    const count = await client().audienceCount(tokenOf('maya-chen'), DOC_COUNT_CRITERIA);
    expect(count.total).toBeGreaterThanOrEqual(300);
    expect(count.active).toBe(0);
    expect(sent[0]!.url).toBe(
      `${API_URL}/audienceCounts?${paramEncode({ q: 'targetingCriteriaV2', targetingCriteria: DOC_COUNT_CRITERIA })}`,
    );
  });

  it('a tunneled query gets the same answer as the same query in the URL', async () => {
    const typeahead = await client().typeahead(tokenOf('maya-chen'), 'urn:li:adTargetingFacet:locations', 'a', {
      count: 200,
    });
    const geos = typeahead.map((e) => e.urn);
    expect(geos.length).toBeGreaterThan(150);
    const criteria: TargetingCriteria = {
      include: {
        and: [
          { or: { 'urn:li:adTargetingFacet:locations': geos } },
          { or: { 'urn:li:adTargetingFacet:skills': ['urn:li:skill:17'] } },
        ],
      },
    };
    const query = paramEncode({ q: 'targetingCriteriaV2', targetingCriteria: criteria });
    // Long enough to be tunneled, short enough for the sandbox to accept it in a URL too (no 414).
    expect(query.length).toBeGreaterThan(4000);
    expect(query.length).toBeLessThan(8000);
    sent = [];
    const token = tokenOf('maya-chen');
    const tunneled = await client().audienceCount(token, criteria);
    expect(sent[0]!.method).toBe('POST');
    expect(sent[0]!.headers.get('x-http-method-override')).toBe('GET');

    const direct = await sandbox.fetch(`${API_URL}/audienceCounts?${query}`, {
      headers: { Authorization: `Bearer ${token}`, 'LinkedIn-Version': VERSION, 'X-Restli-Protocol-Version': '2.0.0' },
    });
    const body = (await direct.json()) as { elements?: Array<{ total: number }>; message?: string };
    expect(direct.status, body.message).toBe(200);
    expect(tunneled.total).toBe(body.elements![0]!.total);
  });
});

describe('Audience Insights', () => {
  it('sends the documentation’s sample request body exactly and gets a breakdown', async () => {
    const insight = await client().audienceInsights(tokenOf('maya-chen'), DOC_SAMPLE_REQUEST);
    const req = sent[0]!;
    expect(req.url).toBe(`${API_URL}/targetingAudienceInsights?action=audienceInsights`);
    expect(req.method).toBe('POST');
    expect(req.headers.get('content-type')).toBe('application/json');
    expect(req.headers.get('x-restli-protocol-version')).toBe('2.0.0');
    expect(req.headers.get('linkedin-version')).toBe(VERSION);
    expect(JSON.parse(req.body!)).toEqual(DOC_SAMPLE_REQUEST);

    expect(insight.groupedBy).toBe('urn:li:adTargetingFacet:jobFunctions');
    expect(insight.totalAudienceCount).toBeGreaterThanOrEqual(300);
    expect(insight.segments).toHaveLength(5);
    const percentages = insight.segments.map((s) => s.entityPercentage);
    expect(percentages).toEqual([...percentages].sort((a, b) => b - a));
    for (const s of insight.segments) {
      expect(s.value).toMatch(/^urn:li:function:\d+$/);
      expect(s.entityCount).toBeLessThanOrEqual(insight.totalAudienceCount);
      // "dividing its entityCount by the totalEntityCount and then times 100 to be converted to an integer".
      expect(Math.abs(s.entityPercentage - (100 * s.entityCount) / insight.totalAudienceCount)).toBeLessThanOrEqual(1);
    }
  });

  it('a request built by the validator from a draft is accepted, HIERARCHICAL included', async () => {
    const body = buildInsightsRequestBody({
      accountUrn: 'urn:li:sponsoredAccount:123',
      criteria: { include: [{ locations: ['urn:li:geo:103644278'] }, { skills: ['urn:li:skill:17'] }] },
      groupBy: 'staffCountRanges',
      orderBy: 'HIERARCHICAL',
      maxReturnCount: 20,
    });
    const insight = await client().audienceInsights(tokenOf('maya-chen'), body);
    expect(insight.groupedBy).toBe('urn:li:adTargetingFacet:staffCountRanges');
    expect(insight.segments.length).toBeLessThanOrEqual(20);
  });

  it('parses the documentation’s sample response into the same percentages (23, 15, 13, 10, 7 of 420000)', async () => {
    const { client: scripted } = testClient([
      json({
        value: {
          audienceInsight: {
            segmentations: [
              { entityCount: 96000, entityPercentage: 23, value: 'urn:li:function:4' },
              { entityCount: 61000, entityPercentage: 15, value: 'urn:li:function:20' },
              { entityCount: 55000, entityPercentage: 13, value: 'urn:li:function:18' },
              { entityCount: 40000, entityPercentage: 10, value: 'urn:li:function:13' },
              { entityCount: 31000, entityPercentage: 7, value: 'urn:li:function:5' },
            ],
            groupedBy: 'urn:li:adTargetingFacet:jobFunctions',
          },
          totalAudienceCount: 420000,
        },
      }),
    ]);
    const insight = await scripted.audienceInsights('token', DOC_SAMPLE_REQUEST);
    expect(insight.totalAudienceCount).toBe(420000);
    expect(insight.segments.map((s) => s.entityPercentage)).toEqual([23, 15, 13, 10, 7]);
    expect(insight.segments.map((s) => Math.round((100 * s.entityCount) / insight.totalAudienceCount))).toEqual([
      23, 15, 13, 10, 7,
    ]);
  });
});

describe('the validator and the sandbox agree', () => {
  it('on every documented rule: what the validator accepts the sandbox answers, what it rejects the sandbox refuses', async () => {
    const token = tokenOf('maya-chen');
    const c = client();
    const first = async (facet: string, query: string) =>
      (await c.typeahead(token, `urn:li:adTargetingFacet:${facet}`, query, { count: 1 }))[0]!.urn;
    const geo = { locations: ['urn:li:geo:103644278'] };
    const title = { titles: [await first('titles', 'engineer')] };
    const employer = { employers: [await first('employers', 'a')] };
    const industry = { industries: [await first('industries', 'software')] };
    const interest = { interests: [await first('interests', 'a')] };
    const skills = { skills: ['urn:li:skill:17'] };
    const cases: Array<[string, AudienceDraft, boolean]> = [
      ['location and skills', { include: [geo, skills] }, true],
      ['skills only', { include: [skills] }, false],
      ['location only', { include: [geo] }, false],
      ['location and age', { include: [geo, { ageRanges: ['urn:li:ageRange:(25,34)'] }] }, false],
      ['location OR-ed with skills', { include: [{ ...geo, ...skills }, title] }, false],
      ['seniorities AND titles', { include: [geo, { seniorities: ['urn:li:seniority:6'] }, title] }, false],
      ['seniorities OR titles', { include: [geo, { seniorities: ['urn:li:seniority:6'], ...title }] }, true],
      ['job functions AND titles', { include: [geo, { jobFunctions: ['urn:li:function:8'] }, title] }, false],
      ['industries AND employers', { include: [geo, industry, employer] }, false],
      [
        'company sizes AND employers',
        { include: [geo, { staffCountRanges: ['urn:li:staffCountRange:(2,10)'] }, employer] },
        false,
      ],
      ['employers alone', { include: [geo, employer] }, true],
      ['excluded genders', { include: [geo, skills], exclude: { genders: ['urn:li:gender:FEMALE'] } }, false],
      ['excluded seniorities', { include: [geo, skills], exclude: { seniorities: ['urn:li:seniority:1'] } }, true],
      ['a matched audience alone', { include: [{ audienceMatchingSegments: ['urn:li:adSegment:10011234'] }] }, true],
      [
        'dynamic segments AND interests',
        { include: [geo, { dynamicSegments: ['urn:li:adSegment:10011234'] }, interest] },
        false,
      ],
    ];
    for (const [name, criteria, valid] of cases) {
      const input = { accountUrn: 'urn:li:sponsoredAccount:123', criteria, groupBy: 'industries' };
      expect(validateInsightsRequest(input).length === 0, `validator: ${name}`).toBe(valid);
      const body = toInsightsRequestBody(normalizeInsightsRequest(input));
      const outcome = await c.audienceInsights(token, body).then(
        () => 'accepted',
        (e: unknown) => (e instanceof ValidationFailedError ? 'refused' : e),
      );
      expect(outcome, `sandbox: ${name}`).toBe(valid ? 'accepted' : 'refused');
    }
  });
});

describe('matched audiences and saved templates', () => {
  it('adSegments lists the account’s matched audiences', async () => {
    const segments = await client().adSegments(tokenOf('maya-chen'), 'urn:li:sponsoredAccount:123');
    expect(segments.length).toBeGreaterThan(0);
    for (const s of segments) {
      expect(s.account).toBe('urn:li:sponsoredAccount:123');
      expect(typeof s.approximateMemberCount).toBe('number');
    }
  });

  it('createTargetTemplate returns the new id, and listTargetTemplates finds it', async () => {
    const c = client();
    const token = tokenOf('maya-chen');
    const template = {
      account: 'urn:li:sponsoredAccount:508915158',
      name: 'EMEA engineers',
      description: 'Created from Slack',
      targetingCriteria: DOC_COUNT_CRITERIA,
    };
    const { id } = await c.createTargetTemplate(token, template);
    expect(Number.isSafeInteger(id)).toBe(true);
    const listed = await c.listTargetTemplates(token, 'urn:li:sponsoredAccount:508915158');
    expect(listed.find((t) => t.id === id)).toMatchObject(template);
  });
});

describe('OAuth', () => {
  it('authorize → exchange → introspect → refresh → revoke', async () => {
    const c = client();
    const url = c.authorizationUrl({
      redirectUri: 'http://bot.example.test/oauth/callback',
      state: 'state-123',
      scopes: ['r_ads', 'rw_ads', 'openid', 'profile'],
    });
    const consent = await sandbox.fetch(`${url}&member=maya-chen`, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const callback = new URL(consent.headers.get('location')!);
    expect(callback.searchParams.get('state')).toBe('state-123');
    const code = callback.searchParams.get('code')!;

    const tokens = await c.exchangeCode(code, 'http://bot.example.test/oauth/callback');
    expect(tokens.accessTokenExpiresAt).toBe(START + 60 * DAY);
    expect(tokens.refreshTokenExpiresAt).toBe(START + 365 * DAY);
    expect(tokens.scopes.sort()).toEqual(['openid', 'profile', 'r_ads', 'rw_ads']);
    await expect(c.userInfo(tokens.accessToken)).resolves.toMatchObject({ sub: 'maya-chen' });

    await expect(c.introspect(tokens.accessToken)).resolves.toMatchObject({ active: true, status: 'active' });

    now = START + 10 * DAY;
    const refreshed = await c.refresh(tokens.refreshToken!);
    expect(refreshed.accessTokenExpiresAt).toBe(now + 60 * DAY);
    // The refresh token's window keeps counting down from the first consent.
    expect(refreshed.refreshTokenExpiresAt).toBe(START + 365 * DAY);

    await c.revoke(refreshed.accessToken);
    const revoked = await c.userInfo(refreshed.accessToken).catch((e: unknown) => e);
    expect(revoked).toBeInstanceOf(UnauthorizedError);
    expect((revoked as UnauthorizedError).reason).toBe('revoked');
  });

  it('a used code is an OAuthError', async () => {
    const c = client();
    const url = c.authorizationUrl({ redirectUri: 'http://bot.example.test/cb', state: 's', scopes: ['r_ads'] });
    const consent = await sandbox.fetch(`${url}&member=liam-okafor`, { redirect: 'manual' });
    const code = new URL(consent.headers.get('location')!).searchParams.get('code')!;
    await c.exchangeCode(code, 'http://bot.example.test/cb');
    const again = await c.exchangeCode(code, 'http://bot.example.test/cb').catch((e: unknown) => e);
    expect(again).toBeInstanceOf(OAuthError);
    expect(again).toMatchObject({ error: 'invalid_request', status: 401 });
  });

  it('a wrong client secret is OAuthError invalid_client, without the secret in the message', async () => {
    const c = client({ clientSecret: 'wrong-secret-value' });
    const error = (await c.refresh('AQ-whatever-refresh-token').catch((e: unknown) => e)) as OAuthError;
    expect(error).toBeInstanceOf(OAuthError);
    expect(error.error).toBe('invalid_client');
    expect(error.message).not.toContain('wrong-secret-value');
  });

  it('an invalid refresh token is OAuthError', async () => {
    await expect(client().refresh('AQ-not-a-refresh-token')).rejects.toBeInstanceOf(OAuthError);
  });
});

describe('errors from the sandbox', () => {
  it('401 for an empty, an unknown and an expired token', async () => {
    const c = client();
    await expect(c.adAccounts('')).rejects.toMatchObject({ reason: 'empty', status: 401 });
    await expect(c.adAccounts('AQ-unknown-token')).rejects.toMatchObject({ reason: 'invalid', status: 401 });
    const token = tokenOf('maya-chen');
    now = START + 61 * DAY;
    const expired = await c.adAccounts(token).catch((e: unknown) => e);
    expect(expired).toBeInstanceOf(UnauthorizedError);
    expect(expired).toMatchObject({ reason: 'expired' });
  });

  it('403 ACCESS_DENIED when the app is not provisioned for Audience Insights', async () => {
    sandbox.knobs.provisioned = false;
    const error = await client()
      .audienceInsights(tokenOf('maya-chen'), DOC_SAMPLE_REQUEST)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect(error).toMatchObject({ linkedinCode: 'ACCESS_DENIED', status: 403 });
  });

  it('403 ACCESS_DENIED when a viewer saves a template', async () => {
    const error = await client()
      .createTargetTemplate(tokenOf('liam-okafor'), {
        account: 'urn:li:sponsoredAccount:516413367',
        name: 'Not allowed',
        targetingCriteria: DOC_COUNT_CRITERIA,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccessDeniedError);
  });

  it('403 USER_NOT_AUTHORIZED for an account the member has no role on', async () => {
    const body = structuredClone(DOC_SAMPLE_REQUEST);
    body.request.requestMetaData.sponsoredAccount = 'urn:li:sponsoredAccount:507404993';
    const error = await client()
      .audienceInsights(tokenOf('maya-chen'), body)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserNotAuthorizedError);
  });

  it('422 FAILED_VALIDATION_CONDITION for criteria that break a rule', async () => {
    const body = structuredClone(DOC_SAMPLE_REQUEST);
    body.request.targetingCriteria = {
      include: { and: [{ or: { 'urn:li:adTargetingFacet:skills': ['urn:li:skill:17'] } }] },
    };
    const error = await client()
      .audienceInsights(tokenOf('maya-chen'), body)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationFailedError);
    expect(error).toMatchObject({ status: 422, linkedinCode: 'FAILED_VALIDATION_CONDITION' });
  });

  it('400 for audienceCounts criteria that break a combination rule', async () => {
    const error = await client()
      .audienceCount(tokenOf('maya-chen'), {
        include: {
          and: [
            { or: { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:103644278'] } },
            { or: { 'urn:li:adTargetingFacet:seniorities': ['urn:li:seniority:6'] } },
            { or: { 'urn:li:adTargetingFacet:titles': ['urn:li:title:1'] } },
          ],
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationFailedError);
  });

  it('426 for a retired LinkedIn-Version', async () => {
    const error = await client({ version: '202001' })
      .listFacets(tokenOf('maya-chen'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VersionRetiredError);
    expect(error).toMatchObject({ version: '20200101', linkedinCode: 'NONEXISTENT_VERSION' });
  });

  it('429 is retried with backoff, then surfaces as RateLimitedError', async () => {
    sandbox.knobs.rate429 = 1;
    const sleeps: number[] = [];
    const error = await client({ retries: 2, sleep: async (ms) => void sleeps.push(ms), random: () => 0 })
      .listFacets(tokenOf('maya-chen'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ serviceErrorCode: 101 });
    expect(sent).toHaveLength(3);
    expect(sleeps).toEqual([250, 500]);
  });

  it('a 500 that clears up is retried transparently', async () => {
    sandbox.knobs.rate500 = 1;
    const calls: Array<number | string> = [];
    const c = client({
      onCall: (info) => {
        calls.push(info.status);
        sandbox.knobs.rate500 = 0;
      },
    });
    await expect(c.listFacets(tokenOf('maya-chen'))).resolves.not.toHaveLength(0);
    expect(calls).toEqual([500, 200]);
  });

  it('a 500 that persists is a ServerError carrying x-li-uuid', async () => {
    sandbox.knobs.rate500 = 1;
    const error = await client({ retries: 1 })
      .listFacets(tokenOf('maya-chen'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).requestId).toEqual(expect.any(String));
  });

  it('a slow answer times out', async () => {
    sandbox.knobs.latencyMs = 300;
    const error = await client({ timeoutMs: 20, retries: 0 })
      .listFacets(tokenOf('maya-chen'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
  });
});
