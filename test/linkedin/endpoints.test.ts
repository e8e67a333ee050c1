import { describe, expect, it } from 'vitest';
import { URN_BATCH_SIZE } from '../../src/linkedin/entities.js';
import { MalformedResponseError, UnauthorizedError } from '../../src/linkedin/errors.js';
import { paramDecode } from '../../src/linkedin/restli.js';
import type { AdTargetTemplateInput, AudienceInsightsRequestBody } from '../../src/linkedin/types.js';
import { json, type RecordedRequest, TOKEN, testClient } from './scripted-fetch.js';

const pathOf = (r: RecordedRequest) => r.path.split('?')[0];
const queryOf = (r: RecordedRequest) => paramDecode(r.query);

describe('audienceInsights', () => {
  const body: AudienceInsightsRequestBody = {
    request: {
      requestMetaData: { sponsoredAccount: 'urn:li:sponsoredAccount:508915158' },
      targetingCriteria: {
        include: {
          and: [
            { or: { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:103644278'] } },
            { or: { 'urn:li:adTargetingFacet:skills': ['urn:li:skill:17'] } },
          ],
        },
      },
      groupBy: 'urn:li:adTargetingFacet:jobFunctions',
      maxReturnCount: 5,
      segmentsOrderedBy: 'AUDIENCE_PERCENTAGE',
    },
  };

  it('POSTs the documented body to ?action=audienceInsights and flattens the response', async () => {
    const { client, requests } = testClient([
      json({
        value: {
          audienceInsight: {
            segmentations: [{ entityCount: 4900000, entityPercentage: 89, value: 'urn:li:interest:71363' }],
            groupedBy: 'urn:li:adTargetingFacet:interests',
          },
          totalAudienceCount: 5500000,
        },
      }),
    ]);
    await expect(client.audienceInsights(TOKEN, body)).resolves.toEqual({
      groupedBy: 'urn:li:adTargetingFacet:interests',
      totalAudienceCount: 5500000,
      segments: [{ entityCount: 4900000, entityPercentage: 89, value: 'urn:li:interest:71363' }],
    });
    const req = requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('http://linkedin.test/rest/targetingAudienceInsights?action=audienceInsights');
    expect(req.headers).toMatchObject({
      'content-type': 'application/json',
      'x-restli-method': 'action',
      'linkedin-version': '202601',
      'x-restli-protocol-version': '2.0.0',
    });
    expect(req.body).toBe(
      JSON.stringify({
        request: {
          requestMetaData: body.request.requestMetaData,
          targetingCriteria: body.request.targetingCriteria,
          groupBy: body.request.groupBy,
          segmentsOrderedBy: 'AUDIENCE_PERCENTAGE',
          maxReturnCount: 5,
        },
      }),
    );
  });

  it('sends nothing but the documented fields, and leaves out the optional ones when unset', async () => {
    const { client, requests } = testClient([json({ value: { totalAudienceCount: 0 } })]);
    const withExtras = {
      request: {
        requestMetaData: { sponsoredAccount: 'urn:li:sponsoredAccount:1', secretNote: 'x' },
        targetingCriteria: body.request.targetingCriteria,
        groupBy: 'urn:li:adTargetingFacet:skills',
        debug: true,
      },
      extra: 1,
    } as unknown as AudienceInsightsRequestBody;
    await client.audienceInsights(TOKEN, withExtras);
    expect(JSON.parse(requests[0]!.body!)).toEqual({
      request: {
        requestMetaData: { sponsoredAccount: 'urn:li:sponsoredAccount:1' },
        targetingCriteria: body.request.targetingCriteria,
        groupBy: 'urn:li:adTargetingFacet:skills',
      },
    });
  });

  it('reads an empty answer for a small audience as zero segments', async () => {
    const { client } = testClient([json({ value: { totalAudienceCount: 0 } })]);
    await expect(client.audienceInsights(TOKEN, body)).resolves.toEqual({
      groupedBy: 'urn:li:adTargetingFacet:jobFunctions',
      totalAudienceCount: 0,
      segments: [],
    });
  });

  it('rejects a response without a total as malformed', async () => {
    const { client } = testClient([json({ value: { audienceInsight: { segmentations: [] } } })]);
    await expect(client.audienceInsights(TOKEN, body)).rejects.toBeInstanceOf(MalformedResponseError);
  });
});

describe('adAccounts', () => {
  const user = (id: number, role: string) => ({
    account: `urn:li:sponsoredAccount:${id}`,
    role,
    user: 'urn:li:person:K1RwyVNukt',
    changeAuditStamps: { created: { time: 1 }, lastModified: { time: 2 } },
  });
  const account = (id: number, name: string, status = 'ACTIVE') => ({
    id,
    name,
    currency: 'USD',
    status,
    type: 'BUSINESS',
    test: false,
    servingStatuses: ['RUNNABLE'],
  });

  it('pages through adAccountUsers, then batch-gets the accounts once, keeping each role', async () => {
    const firstPage = Array.from({ length: 100 }, (_, i) => user(1000 + i, 'VIEWER'));
    const { client, requests } = testClient([
      json({ elements: firstPage, paging: { start: 0, count: 100, links: [] } }),
      json({ elements: [user(5, 'ACCOUNT_MANAGER'), user(1000, 'VIEWER')], paging: { start: 100, count: 100 } }),
      json({
        results: Object.fromEntries(
          [...firstPage.map((_, i) => 1000 + i), 5].map((id) => [String(id), account(id, `Account ${id}`)]),
        ),
        statuses: {},
        errors: {},
      }),
    ]);
    const accounts = await client.adAccounts(TOKEN);
    expect(requests.map(pathOf)).toEqual(['/rest/adAccountUsers', '/rest/adAccountUsers', '/rest/adAccounts']);
    expect(queryOf(requests[0]!)).toEqual({ q: 'authenticatedUser', start: '0', count: '100' });
    expect(queryOf(requests[1]!)).toEqual({ q: 'authenticatedUser', start: '100', count: '100' });
    expect(requests[0]!.headers['x-restli-method']).toBe('finder');
    expect(requests[2]!.headers['x-restli-method']).toBe('batch_get');
    expect(requests[2]!.query).toMatch(/^ids=List\(1000,1001,/);
    expect(accounts).toHaveLength(101);
    expect(accounts.find((a) => a.id === 5)).toEqual({
      urn: 'urn:li:sponsoredAccount:5',
      id: 5,
      name: 'Account 5',
      status: 'ACTIVE',
      currency: 'USD',
      test: false,
      role: 'ACCOUNT_MANAGER',
    });
  });

  it('stops paging at paging.total', async () => {
    const { client, requests } = testClient([
      json({ elements: [user(1, 'VIEWER')], paging: { start: 0, count: 100, total: 1 } }),
      json({ results: { '1': account(1, 'One') } }),
    ]);
    await client.adAccounts(TOKEN);
    expect(requests).toHaveLength(2);
  });

  it('answers [] without a batch call when the member has no account', async () => {
    const { client, requests } = testClient([json({ elements: [], paging: { start: 0, count: 100 } })]);
    await expect(client.adAccounts(TOKEN)).resolves.toEqual([]);
    expect(requests).toHaveLength(1);
  });

  it('leaves out accounts the batch call did not return, rather than inventing their details', async () => {
    const { client } = testClient([
      json({ elements: [user(1, 'VIEWER'), user(2, 'CAMPAIGN_MANAGER')] }),
      json({ results: { '2': account(2, 'Two', 'DRAFT') }, errors: { '1': { status: 404 } } }),
    ]);
    const accounts = await client.adAccounts(TOKEN);
    expect(accounts.map((a) => [a.id, a.role, a.status])).toEqual([[2, 'CAMPAIGN_MANAGER', 'DRAFT']]);
  });

  it('passes a 401 through as UnauthorizedError', async () => {
    const { client } = testClient([json({ status: 401, message: 'Empty oauth2_access_token' }, 401)]);
    await expect(client.adAccounts('')).rejects.toBeInstanceOf(UnauthorizedError);
  });
});

describe('adTargetingEntities and adTargetingFacets', () => {
  const entity = (urn: string, name: string, facetUrn = 'urn:li:adTargetingFacet:seniorities') => ({
    urn,
    facetUrn,
    name,
  });

  it('facetEntities uses q=adTargetingFacet with QUERY_USES_URNS', async () => {
    const { client, requests } = testClient([
      json({ elements: [entity('urn:li:seniority:1', 'Unpaid'), { urn: 'urn:li:seniority:2', name: 'Training' }] }),
    ]);
    const result = await client.facetEntities(TOKEN, 'urn:li:adTargetingFacet:seniorities', { start: 0, count: 50 });
    expect(requests[0]!.query).toBe(
      'q=adTargetingFacet&facet=urn%3Ali%3AadTargetingFacet%3Aseniorities&queryVersion=QUERY_USES_URNS&start=0&count=50',
    );
    expect(result).toEqual([
      entity('urn:li:seniority:1', 'Unpaid'),
      // facetUrn missing in the response: the facet asked about.
      entity('urn:li:seniority:2', 'Training'),
    ]);
  });

  it('typeahead uses q=typeahead with the query encoded', async () => {
    const { client, requests } = testClient([
      json({ elements: [entity('urn:li:geo:103537801', 'Africa', 'urn:li:adTargetingFacet:locations')] }),
    ]);
    await client.typeahead(TOKEN, 'urn:li:adTargetingFacet:locations', 'afric & co', { count: 10 });
    expect(requests[0]!.path).toBe(
      '/rest/adTargetingEntities?q=typeahead&facet=urn%3Ali%3AadTargetingFacet%3Alocations&query=afric%20%26%20co&queryVersion=QUERY_USES_URNS&count=10',
    );
    expect(requests[0]!.headers['x-restli-method']).toBe('finder');
  });

  it('resolveUrns deduplicates, batches in chunks, and joins the answers', async () => {
    const urns = Array.from({ length: URN_BATCH_SIZE + 3 }, (_, i) => `urn:li:skill:${i}`);
    const { client, requests } = testClient((req) => {
      const asked = queryOf(req).urns as string[];
      // Every second URN is unknown and left out, as LinkedIn does.
      return json({ elements: asked.filter((_, i) => i % 2 === 0).map((u) => ({ urn: u, name: `Name ${u}` })) });
    });
    const result = await client.resolveUrns(TOKEN, [...urns, urns[0]!]);
    expect(requests).toHaveLength(2);
    expect(queryOf(requests[0]!)).toMatchObject({ q: 'urns', queryVersion: 'QUERY_USES_URNS' });
    expect((queryOf(requests[0]!).urns as string[]).length).toBe(URN_BATCH_SIZE);
    expect((queryOf(requests[1]!).urns as string[]).length).toBe(3);
    expect(result.find((e) => e.urn === 'urn:li:skill:0')?.name).toBe('Name urn:li:skill:0');
    expect(result.some((e) => e.urn === 'urn:li:skill:1')).toBe(false);
  });

  it('resolveUrns makes no call for an empty list', async () => {
    const { client, requests } = testClient([]);
    await expect(client.resolveUrns(TOKEN, [])).resolves.toEqual([]);
    expect(requests).toHaveLength(0);
  });

  it('resolveUrns isolates a URN that makes LinkedIn reject the batch instead of failing the batch', async () => {
    const { client, requests } = testClient((req) => {
      const asked = queryOf(req).urns as string[];
      if (asked.includes('urn:li:bogus:1')) return json({ status: 400, message: 'Invalid urn' }, 400);
      return json({ elements: asked.map((u) => ({ urn: u, name: u.toUpperCase() })) });
    });
    const result = await client.resolveUrns(TOKEN, [
      'urn:li:skill:1',
      'urn:li:bogus:1',
      'urn:li:skill:2',
      'urn:li:skill:3',
    ]);
    expect(result.map((e) => e.urn).sort()).toEqual(['urn:li:skill:1', 'urn:li:skill:2', 'urn:li:skill:3']);
    expect(requests.length).toBeGreaterThan(1);
  });

  it('resolveUrns still fails on errors that are not about the URNs', async () => {
    const { client } = testClient([json({ status: 401, message: 'Invalid access token' }, 401)]);
    await expect(client.resolveUrns(TOKEN, ['urn:li:skill:1'])).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('listFacets reads both adTargetingFacetUrn and the pre-202304 $URN', async () => {
    const { client } = testClient([
      json({
        elements: [
          {
            facetName: 'titles',
            availableEntityFinders: ['AD_TARGETING_FACET', 'TYPEAHEAD', 'SIMILAR_ENTITIES'],
            entityTypes: ['TITLE'],
            adTargetingFacetUrn: 'urn:li:adTargetingFacet:titles',
          },
          { facetName: 'skills', $URN: 'urn:li:adTargetingFacet:skills', availableEntityFinders: ['TYPEAHEAD'] },
          { facetName: 'dynamicSegments' },
        ],
        paging: { count: 2147483647, links: [], start: 0 },
      }),
    ]);
    await expect(client.listFacets(TOKEN)).resolves.toEqual([
      {
        facetName: 'titles',
        adTargetingFacetUrn: 'urn:li:adTargetingFacet:titles',
        availableEntityFinders: ['AD_TARGETING_FACET', 'TYPEAHEAD', 'SIMILAR_ENTITIES'],
        entityTypes: ['TITLE'],
      },
      {
        facetName: 'skills',
        adTargetingFacetUrn: 'urn:li:adTargetingFacet:skills',
        availableEntityFinders: ['TYPEAHEAD'],
        entityTypes: [],
      },
      {
        facetName: 'dynamicSegments',
        adTargetingFacetUrn: 'urn:li:adTargetingFacet:dynamicSegments',
        availableEntityFinders: [],
        entityTypes: [],
      },
    ]);
  });
});

describe('audienceCount', () => {
  it('sends the documented targetingCriteriaV2 query and returns elements[0]', async () => {
    const { client, requests } = testClient([
      json({ elements: [{ active: 0, total: 25312600 }], paging: { count: 10, links: [], start: 0 } }),
    ]);
    const count = await client.audienceCount(TOKEN, {
      include: {
        and: [
          { or: { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:102221843'] } },
          { or: { 'urn:li:adTargetingFacet:skills': ['urn:li:skill:17'] } },
        ],
      },
    });
    expect(count).toEqual({ total: 25312600, active: 0 });
    expect(requests[0]!.url).toBe(
      'http://linkedin.test/rest/audienceCounts?q=targetingCriteriaV2&targetingCriteria=(include:(and:List((or:(urn%3Ali%3AadTargetingFacet%3Alocations:List(urn%3Ali%3Ageo%3A102221843))),(or:(urn%3Ali%3AadTargetingFacet%3Askills:List(urn%3Ali%3Askill%3A17))))))',
    );
  });

  it('encodes the exclude clause', async () => {
    const { client, requests } = testClient([json({ elements: [{ active: 0, total: 0 }] })]);
    await client.audienceCount(TOKEN, {
      include: { and: [{ or: { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:1'] } }] },
      exclude: { or: { 'urn:li:adTargetingFacet:seniorities': ['urn:li:seniority:1'] } },
    });
    expect(requests[0]!.query).toContain(
      ',exclude:(or:(urn%3Ali%3AadTargetingFacet%3Aseniorities:List(urn%3Ali%3Aseniority%3A1))))',
    );
  });

  it('treats an answer without elements as malformed rather than zero', async () => {
    const { client } = testClient([json({ elements: [] })]);
    await expect(client.audienceCount(TOKEN, { include: { and: [] } })).rejects.toBeInstanceOf(MalformedResponseError);
  });
});

describe('adSegments', () => {
  it('uses q=accounts with a List of the account URN and pages', async () => {
    const segment = {
      account: 'urn:li:sponsoredAccount:507404993',
      approximateMemberCount: 123000,
      created: { actor: 'urn:li:person:abc', time: 1601321491000 },
      lastModified: { actor: 'urn:li:person:abc', time: 1601321491000 },
      id: 10011234,
      name: 'Website visitors – 90d',
      description: '...',
      status: 'READY',
      type: 'RETARGETING',
      versionTag: '3',
    };
    const { client, requests } = testClient([json({ elements: [segment], paging: { start: 0, count: 100 } })]);
    const segments = await client.adSegments(TOKEN, 'urn:li:sponsoredAccount:507404993');
    expect(requests[0]!.query).toBe(
      'q=accounts&accounts=List(urn%3Ali%3AsponsoredAccount%3A507404993)&start=0&count=100',
    );
    const { versionTag: _ignored, ...expected } = segment;
    expect(segments).toEqual([expected]);
  });
});

describe('adTargetTemplates', () => {
  const template: AdTargetTemplateInput = {
    account: 'urn:li:sponsoredAccount:508915158',
    name: 'EMEA IT decision makers',
    description: 'Created from Slack',
    targetingCriteria: {
      include: {
        and: [
          { or: { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:100506914'] } },
          { or: { 'urn:li:adTargetingFacet:jobFunctions': ['urn:li:function:13'] } },
        ],
      },
      exclude: { or: { 'urn:li:adTargetingFacet:seniorities': ['urn:li:seniority:1'] } },
    },
  };

  it('creates with a JSON POST and reads the id from x-restli-id', async () => {
    const { client, requests } = testClient([{ status: 201, headers: { 'x-restli-id': '12345' } }]);
    await expect(client.createTargetTemplate(TOKEN, template)).resolves.toEqual({ id: 12345 });
    const req = requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('http://linkedin.test/rest/adTargetTemplates');
    expect(req.headers).toMatchObject({ 'x-restli-method': 'create', 'content-type': 'application/json' });
    expect(JSON.parse(req.body!)).toEqual(template);
  });

  it('treats a create without a usable id as malformed', async () => {
    const { client } = testClient([{ status: 201 }]);
    await expect(client.createTargetTemplate(TOKEN, template)).rejects.toBeInstanceOf(MalformedResponseError);
  });

  it('lists by account with q=account', async () => {
    const { client, requests } = testClient([
      json({ elements: [{ id: 9, ...template, approximateMemberCount: 540000, created: { time: 5 } }] }),
    ]);
    const list = await client.listTargetTemplates(TOKEN, 'urn:li:sponsoredAccount:123');
    expect(requests[0]!.query).toBe('q=account&account=urn%3Ali%3AsponsoredAccount%3A123&start=0&count=100');
    expect(list).toEqual([{ id: 9, ...template, approximateMemberCount: 540000, created: { time: 5 } }]);
  });
});

describe('the documentation’s sample response', () => {
  const sampleResponse = {
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
  };

  it('parses into the same percentages, which the counts reproduce against the total', async () => {
    const { client } = testClient([json(sampleResponse)]);
    const insight = await client.audienceInsights(TOKEN, {
      request: {
        requestMetaData: { sponsoredAccount: 'urn:li:sponsoredAccount:123' },
        targetingCriteria: {
          include: { and: [{ or: { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:105080838'] } }] },
        },
        groupBy: 'urn:li:adTargetingFacet:jobFunctions',
        maxReturnCount: 5,
      },
    });
    expect(insight.totalAudienceCount).toBe(420000);
    expect(insight.groupedBy).toBe('urn:li:adTargetingFacet:jobFunctions');
    expect(insight.segments.map((s) => s.entityPercentage)).toEqual([23, 15, 13, 10, 7]);
    expect(insight.segments.map((s) => Math.round((s.entityCount / insight.totalAudienceCount) * 100))).toEqual([
      23, 15, 13, 10, 7,
    ]);
  });
});
