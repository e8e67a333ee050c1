import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdSegment, AdTargetTemplate, TargetingCriteria } from '../../src/linkedin/types.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { type Api, apiFor, restliEncode, SECOND, sandboxWithApi } from './helpers.js';

let sandbox: Sandbox;
let maya: Api;
let clock: { advance: (ms: number) => void; now: () => number };
const as = (member: string, scopes?: string[]) =>
  apiFor(sandbox, sandbox.issueToken(member, scopes ? { scopes } : {}).access_token);

beforeAll(async () => {
  ({ sandbox, api: maya, clock } = await sandboxWithApi());
});
afterAll(() => sandbox.close());

const criteria = (...groups: Array<Record<string, string[]>>): TargetingCriteria => ({
  include: { and: groups.map((or) => ({ or })) },
});
const US_ENGINEERS = criteria(
  { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:103644278'] },
  { 'urn:li:adTargetingFacet:jobFunctions': ['urn:li:function:8'] },
);

const count = async (api: Api, tc: unknown, status = 200) => {
  const res = await api.get(`/rest/audienceCounts?q=targetingCriteriaV2&targetingCriteria=${restliEncode(tc)}`);
  expect(res.status, await res.clone().text()).toBe(status);
  return (await res.json()) as {
    elements: Array<{ active: number; total: number }>;
    paging: unknown;
    message?: string;
  };
};

describe('audienceCounts', () => {
  it('answers the documented shape with a rounded total', async () => {
    const body = await count(maya, US_ENGINEERS);
    expect(body.paging).toEqual({ count: 10, links: [], start: 0 });
    expect(body.elements).toHaveLength(1);
    expect(body.elements[0]!.active).toBe(0);
    expect(body.elements[0]!.total % 100).toBe(0);
    expect(body.elements[0]!.total).toBeGreaterThan(1_000_000);
  });

  it('runs the reference’s sample query verbatim', async () => {
    const res = await maya.get(
      '/rest/audienceCounts?q=targetingCriteriaV2&targetingCriteria=(include:(and:List((or:(urn%3Ali%3AadTargetingFacet%3Alocations:List(urn%3Ali%3Ageo%3A102221843))),(or:(urn%3Ali%3AadTargetingFacet%3Askills:List(urn%3Ali%3Askill%3A17))))))',
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { elements: Array<{ total: number }> }).elements[0]!.total).toBeGreaterThan(
      1_000_000,
    );
  });

  it('does not require a location (that rule is the insights API’s)', async () => {
    expect(
      (await count(maya, criteria({ 'urn:li:adTargetingFacet:skills': ['urn:li:skill:17'] }))).elements[0]!.total,
    ).toBeGreaterThan(0);
  });

  it('is 0 below 300 members', async () => {
    const total = (
      await count(maya, criteria({ 'urn:li:adTargetingFacet:audienceMatchingSegments': ['urn:li:adSegment:10011238'] }))
    ).elements[0]!.total;
    expect(total).toBe(0);
  });

  it('narrows with exclusions and widens with OR', async () => {
    const base = (await count(maya, US_ENGINEERS)).elements[0]!.total;
    const excluded = (
      await count(maya, {
        ...US_ENGINEERS,
        exclude: { or: { 'urn:li:adTargetingFacet:seniorities': ['urn:li:seniority:3'] } },
      })
    ).elements[0]!.total;
    const widened = (
      await count(
        maya,
        criteria(
          { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:103644278'] },
          { 'urn:li:adTargetingFacet:jobFunctions': ['urn:li:function:8', 'urn:li:function:13'] },
        ),
      )
    ).elements[0]!.total;
    expect(excluded).toBeLessThan(base);
    expect(widened).toBeGreaterThan(base);
  });

  it('400 for invalid criteria and for forbidden combinations', async () => {
    const bad = await count(maya, criteria({ 'urn:li:adTargetingFacet:hobbies': ['x'] }), 400);
    expect(bad.message).toMatch(/unknown or unsupported targeting facet/);
    const combo = await count(
      maya,
      criteria(
        { 'urn:li:adTargetingFacet:employers': ['urn:li:organization:1035'] },
        { 'urn:li:adTargetingFacet:industries': ['urn:li:industry:4'] },
      ),
      400,
    );
    expect(combo.message).toMatch(/may not be AND-ed with included company names/);
    expect((await maya.get('/rest/audienceCounts?q=targetingCriteriaV2')).status).toBe(400);
    expect((await maya.get('/rest/audienceCounts?q=targetingCriteria&targetingCriteria=()')).status).toBe(400);
  });

  it('403 for a matched audience of an account the member cannot see', async () => {
    await count(
      as('liam-okafor'),
      criteria({ 'urn:li:adTargetingFacet:audienceMatchingSegments': ['urn:li:adSegment:10011234'] }),
      403,
    );
  });
});

describe('adSegments', () => {
  type Page = { elements: AdSegment[]; paging: { total: number } };
  it('lists an account’s matched audiences', async () => {
    const res = await maya.get('/rest/adSegments?q=accounts&accounts=List(urn%3Ali%3AsponsoredAccount%3A123)');
    const body = (await res.json()) as Page;
    expect(res.status).toBe(200);
    expect(body.paging.total).toBe(5);
    const byName = Object.fromEntries(body.elements.map((s) => [s.name, s]));
    expect(byName['Website visitors – last 90 days']).toMatchObject({
      account: 'urn:li:sponsoredAccount:123',
      status: 'READY',
      type: 'RETARGETING',
    });
    expect(byName['Website visitors – last 90 days']!.approximateMemberCount).toBeGreaterThan(300);
    expect(byName['Lookalike – CRM contacts']!.status).toBe('BUILDING');
    expect(byName['Pilot event attendees']!.approximateMemberCount).toBe(0);
  });

  it('lists several accounts and gets one segment', async () => {
    const res = await maya.get(
      '/rest/adSegments?q=accounts&accounts=List(urn%3Ali%3AsponsoredAccount%3A123,urn%3Ali%3AsponsoredAccount%3A508915158)',
    );
    expect(((await res.json()) as Page).paging.total).toBe(7);
    const one = (await (await maya.get('/rest/adSegments/10020001')).json()) as AdSegment;
    expect(one.account).toBe('urn:li:sponsoredAccount:508915158');
  });

  it('403 for another member’s account', async () => {
    expect(
      (await as('liam-okafor').get('/rest/adSegments?q=accounts&accounts=List(urn%3Ali%3AsponsoredAccount%3A123)'))
        .status,
    ).toBe(403);
    expect((await as('liam-okafor').get('/rest/adSegments/10011234')).status).toBe(403);
  });
});

describe('adTargetTemplates', () => {
  const template = (account = 'urn:li:sponsoredAccount:123') => ({
    account,
    name: 'US engineers',
    description: 'Created from Slack',
    targetingCriteria: US_ENGINEERS,
  });

  const create = async (api: Api, body: unknown) =>
    api.post('/rest/adTargetTemplates', body, { 'X-RestLi-Method': 'CREATE' });

  it('creates (201 + x-restli-id), gets and lists templates', async () => {
    const res = await create(maya, template());
    expect(res.status).toBe(201);
    expect(await res.text()).toBe('');
    const id = res.headers.get('x-restli-id')!;
    expect(id).toMatch(/^\d+$/);
    const got = (await (await maya.get(`/rest/adTargetTemplates/${id}`)).json()) as AdTargetTemplate;
    expect(got).toMatchObject({ id: Number(id), ...template(), created: { time: clock.now() } });
    expect(got.approximateMemberCount).toBe((await count(maya, US_ENGINEERS)).elements[0]!.total);
    const list = (await (
      await maya.get('/rest/adTargetTemplates?q=account&account=urn%3Ali%3AsponsoredAccount%3A123')
    ).json()) as { elements: AdTargetTemplate[] };
    expect(list.elements.map((t) => t.id)).toContain(Number(id));
  });

  it('needs a role that may write (VIEWER → 403) and the rw_ads scope', async () => {
    const viewer = await create(maya, template('urn:li:sponsoredAccount:516413367'));
    expect(viewer.status).toBe(403);
    expect(((await viewer.json()) as { message: string }).message).toMatch(/VIEWER/);
    const noScope = await create(as('maya-chen', ['r_ads']), template());
    expect(noScope.status).toBe(403);
    expect(((await noScope.json()) as { message: string }).message).toMatch(
      /^Not enough permissions to access: adTargetTemplates\.CREATE\./,
    );
    expect((await create(as('noah-berg'), template())).status).toBe(403);
    expect((await create(as('sofia-rossi'), template('urn:li:sponsoredAccount:507404993'))).status).toBe(201);
  });

  it('validates the body', async () => {
    expect((await create(maya, { ...template(), name: '' })).status).toBe(400);
    expect((await create(maya, { ...template(), colour: 'red' })).status).toBe(400);
    expect((await create(maya, { ...template(), account: '123' })).status).toBe(400);
    expect((await create(maya, { ...template(), targetingCriteria: { include: {} } })).status).toBe(400);
  });

  it('partially updates and deletes', async () => {
    const id = (await create(maya, template())).headers.get('x-restli-id')!;
    clock.advance(5 * SECOND);
    const patch = await maya.post(
      `/rest/adTargetTemplates/${id}`,
      {
        patch: {
          $set: {
            name: 'Renamed',
            targetingCriteria: criteria(
              { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:101165590'] },
              { 'urn:li:adTargetingFacet:skills': ['urn:li:skill:17'] },
            ),
          },
          $delete: ['description'],
        },
      },
      { 'X-RestLi-Method': 'PARTIAL_UPDATE' },
    );
    expect(patch.status).toBe(204);
    const got = (await (await maya.get(`/rest/adTargetTemplates/${id}`)).json()) as AdTargetTemplate;
    expect(got.name).toBe('Renamed');
    expect(got.description).toBeUndefined();
    expect(got.lastModified!.time).toBe(clock.now());
    expect(got.created!.time).toBeLessThan(got.lastModified!.time);
    expect((await maya.post(`/rest/adTargetTemplates/${id}`, { patch: { $set: { account: 'x' } } })).status).toBe(400);
    expect(
      (await as('liam-okafor').post(`/rest/adTargetTemplates/${id}`, { patch: { $set: { name: 'x' } } })).status,
    ).toBe(403);

    const del = await maya.call(`/rest/adTargetTemplates/${id}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect((await maya.get(`/rest/adTargetTemplates/${id}`)).status).toBe(404);
  });

  it('batch-deletes', async () => {
    const a = (await create(maya, template())).headers.get('x-restli-id')!;
    const b = (await create(maya, template())).headers.get('x-restli-id')!;
    const res = await maya.call(`/rest/adTargetTemplates?ids=List(${a},${b},1)`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: Record<string, { status: number }>; errors: Record<string, unknown> };
    expect(body.results).toEqual({ [a]: { status: 204 }, [b]: { status: 204 } });
    expect(Object.keys(body.errors)).toEqual(['1']);
  });

  it('hides templates of accounts the member has no role on', async () => {
    const id = (await create(maya, template())).headers.get('x-restli-id')!;
    expect((await as('liam-okafor').get(`/rest/adTargetTemplates/${id}`)).status).toBe(403);
    expect(
      (await as('liam-okafor').get('/rest/adTargetTemplates?q=account&account=urn%3Ali%3AsponsoredAccount%3A123'))
        .status,
    ).toBe(403);
  });
});
