import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { decodeRestli, QueryParams, RestliDecodeError, splitQuery } from '../../src/sandbox/restli.js';
import { type Api, BASE, restliEncode, sandboxWithApi, VERSION } from './helpers.js';

describe('decodeRestli (port of the js client decoder)', () => {
  it('decodes the reference examples', () => {
    expect(
      decodeRestli(
        '(include:(and:List((or:(urn%3Ali%3AadTargetingFacet%3Alocations:List(urn%3Ali%3Ageo%3A102221843))),(or:(urn%3Ali%3AadTargetingFacet%3Askills:List(urn%3Ali%3Askill%3A17))))))',
      ),
    ).toEqual({
      include: {
        and: [
          { or: { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:102221843'] } },
          { or: { 'urn:li:adTargetingFacet:skills': ['urn:li:skill:17'] } },
        ],
      },
    });
    expect(decodeRestli('List(urn%3Ali%3Afunction%3A4,urn%3Ali%3AstaffCountRange%3A%281%2C1%29)')).toEqual([
      'urn:li:function:4',
      'urn:li:staffCountRange:(1,1)',
    ]);
    expect(decodeRestli('(status:(values:List(ACTIVE)),test:false)')).toEqual({
      status: { values: ['ACTIVE'] },
      test: 'false',
    });
    expect(decodeRestli('(language:en,country:US)')).toEqual({ language: 'en', country: 'US' });
    expect(decodeRestli('List()')).toEqual([]);
    expect(decodeRestli('()')).toEqual({});
    expect(decodeRestli("''")).toBe('');
    expect(decodeRestli('it%27s%20%28x%29')).toBe("it's (x)");
  });

  it('keeps + as a plus and accepts raw colons in simple values', () => {
    expect(decodeRestli('a+b')).toBe('a+b');
    expect(decodeRestli('urn:li:adTargetingFacet:seniorities')).toBe('urn:li:adTargetingFacet:seniorities');
  });

  it('round-trips what the client encoder produces', () => {
    const value = {
      include: { and: [{ or: { 'urn:li:adTargetingFacet:titles': ['urn:li:title:1', 'urn:li:title:2'] } }] },
      exclude: { or: { 'urn:li:adTargetingFacet:staffCountRanges': ['urn:li:staffCountRange:(1,1)'] } },
      name: "O'Brien & Co, (x): y",
    };
    expect(decodeRestli(restliEncode(value))).toEqual(value);
  });

  it.each(['List(a,b', '(a:b', 'List(a))', '(a:(b:c)x)', '(novalue)', 'bad%zz', 'a)b'])('rejects %s', (s) => {
    expect(() => decodeRestli(s)).toThrow(RestliDecodeError);
  });

  it('splits a query without decoding values', () => {
    const q = splitQuery('q=search&search=(id:(values:List(1)))&empty=&x%20y=1');
    expect(q.get('search')).toBe('(id:(values:List(1)))');
    expect(q.get('empty')).toBe("''");
    expect(q.get('x y')).toBe('1');
  });

  it('rejects percent-encoded structure where a structure is expected', () => {
    const q = QueryParams.parse('search=%28status%3A%28values%3AList%28ACTIVE%29%29%29');
    expect(() => q.object('search')).toThrow(/Invalid param/);
  });
});

describe('Rest.li over HTTP', () => {
  let sandbox: Sandbox;
  let api: Api;
  beforeAll(async () => {
    ({ sandbox, api } = await sandboxWithApi({ populationSize: 20_000 }));
  });
  afterAll(() => sandbox.close());

  const typeahead = `q=typeahead&facet=urn%3Ali%3AadTargetingFacet%3Atitles&query=software%20engineer&queryVersion=QUERY_USES_URNS&locale=(language:en,country:US)&start=0&count=3`;

  it('answers PARAM_INVALID (new error schema) for percent-encoded structural characters', async () => {
    const res = await api.get('/rest/adAccounts?q=search&search=%28status%3A%28values%3AList%28ACTIVE%29%29%29');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      errorDetailType: 'com.linkedin.common.error.BadRequest',
      message: 'Invalid param. Please see errorDetails for more information.',
      errorDetails: {
        inputErrors: [
          {
            description: 'Invalid value for param; wrong type or other syntax error',
            input: { inputPath: { fieldPath: 'search' } },
            code: 'PARAM_INVALID',
          },
        ],
      },
      status: 400,
    });
    const tc = encodeURIComponent(
      '(include:(and:List((or:(urn:li:adTargetingFacet:locations:List(urn:li:geo:103644278))))))',
    );
    const counts = await api.get(`/rest/audienceCounts?q=targetingCriteriaV2&targetingCriteria=${tc}`);
    expect(counts.status).toBe(400);
    expect(JSON.stringify(await counts.json())).toContain('PARAM_INVALID');
  });

  it('answers PARAM_INVALID for unbalanced structures', async () => {
    const res = await api.get('/rest/adTargetingEntities?q=urns&urns=List(urn%3Ali%3Afunction%3A4');
    expect(res.status).toBe(400);
    expect(
      ((await res.json()) as { errorDetails: { inputErrors: Array<{ code: string }> } }).errorDetails.inputErrors[0]!
        .code,
    ).toBe('PARAM_INVALID');
  });

  it('accepts raw colons in simple parameters', async () => {
    const res = await api.get('/rest/adTargetingEntities?q=adTargetingFacet&facet=urn:li:adTargetingFacet:seniorities');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { elements: unknown[] }).elements).toHaveLength(10);
  });

  it('rejects unknown query parameters (QUERY_PARAM_NOT_ALLOWED)', async () => {
    const res = await api.get('/rest/adAccountUsers?q=authenticatedUser&foo=bar');
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('QUERY_PARAM_NOT_ALLOWED');
  });

  it('requires X-Restli-Protocol-Version 2.0.0 for Rest.li 2.0 syntax only', async () => {
    const headers = { Authorization: `Bearer ${api.token}`, 'LinkedIn-Version': VERSION };
    const structured = await sandbox.fetch(`${BASE}/rest/adTargetingEntities?${typeahead}`, { headers });
    expect(structured.status).toBe(400);
    expect(((await structured.json()) as { message: string }).message).toMatch(/X-Restli-Protocol-Version: 2.0.0/);
    const simple = await sandbox.fetch(`${BASE}/rest/adAccountUsers?q=authenticatedUser`, { headers });
    expect(simple.status).toBe(200);
    const withHeader = await api.get(`/rest/adTargetingEntities?${typeahead}`);
    expect(withHeader.status).toBe(200);
    const complexKey =
      '/rest/adAccountUsers/(account:urn%3Ali%3AsponsoredAccount%3A123,user:urn%3Ali%3Aperson%3Amaya-chen)';
    expect((await sandbox.fetch(`${BASE}${complexKey}`, { headers })).status).toBe(400);
    expect((await api.get(complexKey)).status).toBe(200);
  });

  it('accepts query tunneling with a form body', async () => {
    const direct = await (await api.get(`/rest/adTargetingEntities?${typeahead}`)).json();
    const tunneled = await api.call('/rest/adTargetingEntities', {
      method: 'POST',
      headers: { 'X-HTTP-Method-Override': 'GET', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: typeahead,
    });
    expect(tunneled.status).toBe(200);
    expect(await tunneled.json()).toEqual(direct);
  });

  it('accepts a long audienceCounts query only when tunneled (414 otherwise)', async () => {
    const titles = sandbox.catalog.titles.slice(0, 100).map((t) => t.urn);
    const skills = sandbox.catalog.skills.slice(0, 100).map((s) => s.urn);
    const employers = sandbox.catalog.employers.slice(0, 200).map((e) => e.urn);
    const tc = restliEncode({
      include: {
        and: [
          { or: { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:103644278'] } },
          {
            or: {
              'urn:li:adTargetingFacet:titles': titles,
              'urn:li:adTargetingFacet:skills': skills,
              'urn:li:adTargetingFacet:employers': employers,
            },
          },
        ],
      },
    });
    const query = `q=targetingCriteriaV2&targetingCriteria=${tc}`;
    expect(query.length).toBeGreaterThan(8192);
    expect((await api.get(`/rest/audienceCounts?${query}`)).status).toBe(414);
    const tunneled = await api.call('/rest/audienceCounts', {
      method: 'POST',
      headers: { 'X-HTTP-Method-Override': 'GET', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: query,
    });
    expect(tunneled.status).toBe(200);
    expect(((await tunneled.json()) as { elements: Array<{ total: number }> }).elements[0]!.total).toBeGreaterThan(0);
  });

  it('accepts multipart/mixed tunneling (query part + JSON part)', async () => {
    const boundary = 'xyz123';
    const body = [
      `--${boundary}`,
      'Content-Type: application/x-www-form-urlencoded',
      '',
      'action=audienceInsights',
      `--${boundary}`,
      'Content-Type: application/json',
      '',
      JSON.stringify({
        request: {
          requestMetaData: { sponsoredAccount: 'urn:li:sponsoredAccount:123' },
          targetingCriteria: {
            include: {
              and: [
                { or: { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:103644278'] } },
                { or: { 'urn:li:adTargetingFacet:skills': ['urn:li:skill:17'] } },
              ],
            },
          },
          groupBy: 'urn:li:adTargetingFacet:seniorities',
        },
      }),
      `--${boundary}--`,
    ].join('\r\n');
    const res = await api.call('/rest/targetingAudienceInsights', {
      method: 'POST',
      headers: { 'X-HTTP-Method-Override': 'POST', 'Content-Type': `multipart/mixed; boundary=${boundary}` },
      body,
    });
    expect(res.status).toBe(200);
    expect(
      ((await res.json()) as { value: { audienceInsight: { groupedBy: string } } }).value.audienceInsight.groupedBy,
    ).toBe('urn:li:adTargetingFacet:seniorities');
  });

  it('rejects a tunneled request with the wrong content type', async () => {
    const res = await api.call('/rest/adTargetingEntities', {
      method: 'POST',
      headers: { 'X-HTTP-Method-Override': 'GET', 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(400);
  });
});
