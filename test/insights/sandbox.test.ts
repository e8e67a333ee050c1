/**
 * The insights use cases end to end against the real pieces: the LinkedIn client talking to the in-process
 * sandbox, SQLite storage and the link service. Every LinkedIn request the client makes is recorded, so call
 * counts and the token each request carried are checked at the HTTP level.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AudienceQuerySpec, Database, SlackUserKey } from '../../src/db/types.js';
import { InvalidQueryError } from '../../src/errors.js';
import { describeAudience } from '../../src/insights/describe.js';
import { describeError, QueryFailedError } from '../../src/insights/errors.js';
import { createFacetOptions } from '../../src/insights/facetOptions.js';
import { parseQuickQuery, resolveQuickQuery } from '../../src/insights/quickQuery.js';
import { createInsightsService, type InsightsService } from '../../src/insights/service.js';
import { createLinkedInClient, type LinkedInClient } from '../../src/linkedin/client.js';
import { facetUrn } from '../../src/linkedin/facets.js';
import { validateInsightsRequest } from '../../src/linkedin/targeting.js';
import { createLinkService } from '../../src/linking/service.js';
import type { LinkService } from '../../src/linking/types.js';
import { buildSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { memoryDb } from './fakes.js';

const START = Date.UTC(2026, 10, 1);
const MAYA: SlackUserKey = { teamId: 'T1', userId: 'UMAYA' };
const LIAM: SlackUserKey = { teamId: 'T1', userId: 'ULIAM' };
const NOAH: SlackUserKey = { teamId: 'T1', userId: 'UNOAH' };
const NORTHWIND = 'urn:li:sponsoredAccount:123';
const CONTOSO = 'urn:li:sponsoredAccount:516413367';
const US = 'urn:li:geo:103644278';
const PYTHON = 'urn:li:skill:107';

let sandbox: Sandbox;
let now = START;
let requests: Array<{ path: string; token: string }> = [];
let db: Database;
let client: LinkedInClient;
let links: LinkService;
let insights: InsightsService;
const tokens = new Map<string, string>();

const recordingFetch = ((input: string | URL | Request, init: RequestInit = {}) => {
  const url = new URL(String(input));
  const auth = new Headers(init.headers).get('authorization') ?? '';
  requests.push({ path: `${url.pathname}${url.search}`, token: auth.replace(/^Bearer /, '') });
  return sandbox.fetch(input, init);
}) as typeof fetch;

const linkedInRequests = () => requests.filter((r) => r.path.startsWith('/rest/'));
const insightsRequests = () => requests.filter((r) => r.path.startsWith('/rest/targetingAudienceInsights'));

const link = (key: SlackUserKey, memberId: string) => {
  const issued = sandbox.issueToken(memberId);
  tokens.set(key.userId, issued.access_token);
  db.repos.links.upsert({
    ...key,
    memberUrn: `urn:li:person:${memberId}`,
    memberName: memberId,
    accessToken: issued.access_token,
    accessTokenExpiresAt: now + issued.expires_in * 1000,
    refreshToken: issued.refresh_token,
    refreshTokenExpiresAt: issued.refresh_token_expires_in ? now + issued.refresh_token_expires_in * 1000 : undefined,
    scopes: ['r_ads', 'rw_ads', 'openid', 'profile'],
    status: 'active',
  });
};

const spec = (overrides: Partial<AudienceQuerySpec> = {}): AudienceQuerySpec => ({
  accountUrn: CONTOSO,
  criteria: {
    include: { and: [{ or: { [facetUrn('locations')]: [US] } }, { or: { [facetUrn('skills')]: [PYTHON] } }] },
  },
  groupBy: facetUrn('jobFunctions'),
  orderBy: 'AUDIENCE_PERCENTAGE',
  maxReturnCount: 5,
  ...overrides,
});

const failed = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(QueryFailedError);
  return err as QueryFailedError;
};

beforeAll(async () => {
  sandbox = await buildSandbox({ now: () => now });
});
afterAll(async () => {
  await sandbox?.close();
});

beforeEach(() => {
  now = START;
  requests = [];
  Object.assign(sandbox.knobs, { latencyMs: 0, rate429: 0, rate500: 0, provisioned: true, activeVersions: undefined });
  db = memoryDb(() => now);
  client = createLinkedInClient({
    apiUrl: 'http://linkedin.sandbox/rest',
    oauthUrl: 'http://linkedin.sandbox/oauth/v2',
    version: '202609',
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    fetch: recordingFetch,
    retries: 2,
    sleep: async () => {},
    now: () => now,
  });
  links = createLinkService({
    repos: db.repos,
    linkedin: client,
    now: () => now,
    notify: async () => {},
    ticketKey: randomBytes(32),
    publicUrl: 'http://bot.test',
  });
  insights = createInsightsService({
    linkedin: client,
    accessTokenFor: links.accessTokenFor,
    reportRejectedToken: links.reportRejectedToken,
    repos: db.repos,
    now: () => now,
    validate: validateInsightsRequest,
  });
  link(MAYA, 'maya-chen');
  link(LIAM, 'liam-okafor');
  link(NOAH, 'noah-berg');
});
afterEach(() => db.close());

describe('run against the sandbox', () => {
  it('a fresh query makes 2 LinkedIn calls and stores the breakdown with names; a repeat makes 0', async () => {
    const query = await insights.run(MAYA, spec(), { channelId: 'C1' });
    expect(linkedInRequests().map((r) => r.path.split('?')[0])).toEqual([
      '/rest/targetingAudienceInsights',
      '/rest/adTargetingEntities',
    ]);
    expect(new Set(linkedInRequests().map((r) => r.token))).toEqual(new Set([tokens.get('UMAYA')]));

    expect(query.status).toBe('done');
    expect(query.result!.totalAudienceCount).toBeGreaterThan(0);
    expect(query.result!.segments.length).toBeGreaterThan(0);
    for (const segment of query.result!.segments) {
      expect(segment.value).toMatch(/^urn:li:function:\d+$/);
      expect(query.names![segment.value]).toBeTruthy();
    }
    expect(query.names).toMatchObject({ [US]: 'United States', [PYTHON]: 'Python' });
    expect(db.repos.queries.get(query.id)).toEqual(query);

    const description = describeAudience(query.spec, query.names);
    expect(description.summary).toBe('Locations: United States · Skills: Python');
    expect(description.groupBy.label).toBe('Job Functions');

    requests = [];
    const again = await insights.run(MAYA, spec());
    expect(requests).toEqual([]);
    expect(again).toMatchObject({ status: 'done', result: query.result, names: query.names });
  });

  it('another member asking the same is answered by LinkedIn with their own token', async () => {
    await insights.run(MAYA, spec());
    requests = [];
    const liam = await insights.run(LIAM, spec());
    expect(insightsRequests().map((r) => r.token)).toEqual([tokens.get('ULIAM')]);
    expect(liam).toMatchObject({ ...LIAM, status: 'done' });
  });

  it('sends nothing to LinkedIn for an invalid audience', async () => {
    const err = await insights
      .run(MAYA, spec({ criteria: { include: { and: [{ or: { [facetUrn('skills')]: [PYTHON] } }] } } }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidQueryError);
    expect(requests).toEqual([]);
    expect(insights.recent(MAYA)).toEqual([]);
  });
});

describe('failures against the sandbox are stored, rethrown and described', () => {
  it('an app without Audience Insights access → ACCESS_DENIED', async () => {
    sandbox.knobs.provisioned = false;
    const err = await failed(insights.run(MAYA, spec()));
    expect(db.repos.queries.get(err.queryId)).toMatchObject({
      status: 'failed',
      error: { code: 'linkedin_access_denied', status: 403 },
    });
    expect(describeError(err)).toMatchObject({ code: 'app_not_provisioned', retryable: false, relink: false });
    expect(describeError(err).nextStep).toMatch(/admin/);
  });

  it('LinkedIn’s rate limit, after the client’s retries → 429, retryable', async () => {
    sandbox.knobs.rate429 = 1;
    const err = await failed(insights.run(MAYA, spec()));
    expect(insightsRequests()).toHaveLength(3);
    expect(db.repos.queries.get(err.queryId)).toMatchObject({ error: { code: 'linkedin_rate_limited', status: 429 } });
    expect(describeError(err)).toMatchObject({ code: 'rate_limited', retryable: true });

    // The kept query can be re-run with one click once LinkedIn answers again.
    sandbox.knobs.rate429 = 0;
    const retried = await insights.rerun(MAYA, err.queryId);
    expect(retried).toMatchObject({ id: err.queryId, status: 'done' });
    expect(retried.error).toBeUndefined();
  });

  it('LinkedIn failing → 500, retryable', async () => {
    sandbox.knobs.rate500 = 1;
    const err = await failed(insights.run(MAYA, spec()));
    expect(describeError(err)).toMatchObject({ code: 'linkedin_unavailable', retryable: true });
    expect(db.repos.queries.get(err.queryId)?.error?.status).toBe(500);
  });

  it('an ad account the member has no role on → USER_NOT_AUTHORIZED', async () => {
    const err = await failed(insights.run(LIAM, spec({ accountUrn: NORTHWIND })));
    expect(db.repos.queries.get(err.queryId)).toMatchObject({
      error: { code: 'linkedin_user_not_authorized', status: 403 },
    });
    expect(describeError(err)).toMatchObject({ code: 'no_account_role', retryable: false, relink: false });
  });

  it('a retired LinkedIn-Version → 426, for the admin', async () => {
    sandbox.knobs.activeVersions = ['202610'];
    const err = await failed(insights.run(MAYA, spec()));
    expect(db.repos.queries.get(err.queryId)?.error).toMatchObject({ code: 'linkedin_version_retired', status: 426 });
    expect(describeError(err).nextStep).toMatch(/LINKEDIN_VERSION/);
  });

  it('a token LinkedIn rejects marks the link for re-linking; the next query asks to re-link', async () => {
    db.repos.links.updateTokens(MAYA, { accessToken: 'revoked-or-forged', accessTokenExpiresAt: now + 86_400_000 });
    const err = await failed(insights.run(MAYA, spec()));
    expect(describeError(err)).toMatchObject({ code: 'relink_required', relink: true });
    expect(db.repos.links.get(MAYA)?.status).toBe('needs_relink');

    requests = [];
    const next = await failed(insights.run(MAYA, spec()));
    expect(describeError(next)).toMatchObject({ code: 'relink_required', relink: true });
    expect(insightsRequests()).toEqual([]);
  });

  it('a Slack user without a link is told to link', async () => {
    const err = await failed(insights.run({ teamId: 'T1', userId: 'UNOBODY' }, spec()));
    expect(describeError(err)).toMatchObject({ code: 'not_linked', relink: true });
    expect(requests).toEqual([]);
  });

  it('describes every stored error without a token', async () => {
    sandbox.knobs.provisioned = false;
    const err = await failed(insights.run(MAYA, spec()));
    const stored = JSON.stringify(db.repos.queries.get(err.queryId));
    const described = JSON.stringify(describeError(err));
    for (const token of tokens.values()) {
      expect(stored).not.toContain(token);
      expect(described).not.toContain(token);
    }
  });
});

describe('follow-ups against the sandbox', () => {
  it('another user re-running a shared query uses their own token, and their own ad account when told', async () => {
    const maya = await insights.run(MAYA, spec({ accountUrn: NORTHWIND }));
    requests = [];

    // Liam has no role on Maya's account: LinkedIn refuses him, not Maya's token answering for him.
    const refused = await failed(insights.rerun(LIAM, maya.id));
    expect(insightsRequests().map((r) => r.token)).toEqual([tokens.get('ULIAM')]);
    expect(describeError(refused).code).toBe('no_account_role');
    expect(refused.query).toMatchObject({ ...LIAM, parentId: maya.id });

    const onHisAccount = await insights.rerun(LIAM, maya.id, { accountUrn: CONTOSO });
    expect(onHisAccount).toMatchObject({ ...LIAM, status: 'done', parentId: maya.id });
    expect(onHisAccount.spec.accountUrn).toBe(CONTOSO);
    expect(new Set(insightsRequests().map((r) => r.token))).toEqual(new Set([tokens.get('ULIAM')]));
  });

  it('regroups by a hierarchical facet and keeps the order, then by a flat one and resets it', async () => {
    const base = await insights.run(
      MAYA,
      spec({ groupBy: facetUrn('seniorities'), orderBy: 'HIERARCHICAL', maxReturnCount: 10 }),
    );
    const seniorities = base.result!.segments.map((s) => Number(s.value.split(':').pop()));
    expect(seniorities).toEqual([...seniorities].sort((a, b) => a - b));

    const bySize = await insights.regroup(MAYA, base.id, facetUrn('staffCountRanges'));
    expect(bySize.spec).toMatchObject({
      groupBy: facetUrn('staffCountRanges'),
      orderBy: 'HIERARCHICAL',
      maxReturnCount: 10,
    });
    expect(bySize.result!.segments[0]?.value).toMatch(/^urn:li:staffCountRange:/);
    expect(bySize.names![bySize.result!.segments[0]!.value]).toMatch(/employees|Myself/);

    const byCountry = await insights.regroup(MAYA, base.id, facetUrn('bingCountry'));
    expect(byCountry.spec).toMatchObject({ orderBy: 'AUDIENCE_PERCENTAGE' });
    expect(byCountry.result!.groupedBy).toBe(facetUrn('bingCountry'));
  });

  it('compares two audiences, grouped the same way, in one stored query', async () => {
    const us = await insights.run(MAYA, spec());
    requests = [];
    const germany = {
      criteria: {
        include: {
          and: [
            { or: { [facetUrn('locations')]: ['urn:li:geo:101282230'] } },
            { or: { [facetUrn('skills')]: [PYTHON] } },
          ],
        },
      },
    };
    const compared = await insights.compare(MAYA, us.id, germany);
    // The first audience comes from the member's cache; only the second one is asked for.
    expect(insightsRequests()).toHaveLength(1);
    expect(compared).toMatchObject({ status: 'done', parentId: us.id });
    expect(compared.result).toEqual(us.result);
    expect(compared.compareResult!.groupedBy).toBe(compared.result!.groupedBy);
    expect(compared.compareResult!.totalAudienceCount).not.toBe(compared.result!.totalAudienceCount);
    expect(compared.names).toMatchObject({ 'urn:li:geo:101282230': 'Germany', [US]: 'United States' });
    expect(db.repos.queries.get(compared.id)?.compareSpec?.criteria).toEqual(germany.criteria);
  });
});

describe('quick queries against the sandbox', () => {
  const resolveAs = async (key: SlackUserKey, text: string) => {
    const token = await links.accessTokenFor(key);
    const { draft, problems } = parseQuickQuery(text);
    expect(problems).toEqual([]);
    return resolveQuickQuery(draft, {
      token,
      linkedin: client,
      accounts: await client.adAccounts(token),
      facetOptions: createFacetOptions({ linkedin: client, now: () => now }),
    });
  };

  it('resolves the help example, runs it, and says how each name was read', async () => {
    const resolved = await resolveAs(
      MAYA,
      '/audience by:function location:“United States” skill:Python -seniority:unpaid title:"Data Engineer" account:global top:10',
    );
    expect(resolved.resolutions.map((r) => [r.input, r.name, r.excluded])).toEqual([
      ['United States', 'United States', false],
      ['Python', 'Python', false],
      ['Data Engineer', 'Data Engineer', false],
      ['unpaid', 'Unpaid', true],
    ]);
    expect(resolved.account).toEqual({ urn: NORTHWIND, name: 'Northwind Traders – Global' });
    expect(resolved.spec).toMatchObject({ groupBy: facetUrn('jobFunctions'), maxReturnCount: 10 });
    const query = await insights.run(MAYA, resolved.spec);
    expect(query.status).toBe('done');
    expect(query.names).toMatchObject(resolved.names);
  });

  it('runs a resolved quick query end to end', async () => {
    const resolved = await resolveAs(
      MAYA,
      'location:"United States" skill:Python size:"51-200" account:123 by:seniority order:hierarchical',
    );
    expect(validateInsightsRequest(resolved.spec)).toEqual([]);
    const query = await insights.run(MAYA, resolved.spec);
    expect(query.status).toBe('done');
    expect(query.names![resolved.spec.criteria.include.and[2]!.or[facetUrn('staffCountRanges')]![0]!]).toBe(
      '51-200 employees',
    );
  });

  it('explains ambiguous and unknown names with LinkedIn’s suggestions', async () => {
    const err = await resolveAs(MAYA, 'location:Germany title:Data skill:Pythn account:123').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidQueryError);
    const messages = (err as InvalidQueryError).problems.map((p) => p.message);
    expect(messages[0]).toMatch(/^“Data” matches several job title values\. Did you mean: “Data Engineer”, /);
    expect(messages[1]).toMatch(/^No skill matches “Pythn”\. Did you mean: “Python”/);
  });

  it('tells a member without ad accounts so', async () => {
    const err = await resolveAs(NOAH, 'location:Germany skill:Python').catch((e: unknown) => e);
    expect(describeError(err).message).toMatch(/no LinkedIn ad account/);
  });
});
