import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROUP_BY_FACETS as BOT_GROUP_BY } from '../../src/linkedin/facets.js';
import type { TargetingEntity, TargetingFacet } from '../../src/linkedin/types.js';
import { GROUP_BY_FACETS, TARGETING_FACETS } from '../../src/sandbox/facet-table.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { typeaheadRank } from '../../src/sandbox/resources/entities.js';
import { type Api, restliEncode, sandboxWithApi } from './helpers.js';

let sandbox: Sandbox;
let api: Api;
beforeAll(async () => {
  ({ sandbox, api } = await sandboxWithApi());
});
afterAll(() => sandbox.close());

type List = { elements: TargetingEntity[]; paging: { count: number; start: number; total?: number } };
const list = async (query: string, status = 200): Promise<List> => {
  const res = await api.get(`/rest/adTargetingEntities?${query}`);
  expect(res.status, await res.clone().text()).toBe(status);
  return (await res.json()) as List;
};
const facet = (name: string) => encodeURIComponent(`urn:li:adTargetingFacet:${name}`);
const names = (l: List) => l.elements.map((e) => e.name);

describe('adTargetingFacets', () => {
  it('lists the facets with their finders', async () => {
    const body = (await (await api.get('/rest/adTargetingFacets')).json()) as { elements: TargetingFacet[] };
    const byName = Object.fromEntries(body.elements.map((f) => [f.facetName, f]));
    expect(byName.seniorities).toEqual({
      facetName: 'seniorities',
      availableEntityFinders: ['AD_TARGETING_FACET'],
      entityTypes: ['SENIORITY'],
      adTargetingFacetUrn: 'urn:li:adTargetingFacet:seniorities',
    });
    expect(byName.titles!.availableEntityFinders).toEqual(['AD_TARGETING_FACET', 'TYPEAHEAD', 'SIMILAR_ENTITIES']);
    expect(byName.locations!.availableEntityFinders).toEqual(['TYPEAHEAD']);
    expect(byName.employers!.availableEntityFinders).toEqual(['TYPEAHEAD', 'SIMILAR_ENTITIES']);
    expect(byName.audienceMatchingSegments!.availableEntityFinders).toEqual([]);
  });

  it('agrees with the bot’s facet contract on the 15 groupBy facets', () => {
    expect(GROUP_BY_FACETS.map((g) => [g.urn, g.hierarchical])).toEqual(
      BOT_GROUP_BY.map((g) => [g.urn, g.hierarchical]),
    );
    expect(TARGETING_FACETS.length).toBeGreaterThanOrEqual(18);
  });
});

describe('q=adTargetingFacet', () => {
  it('lists small facets with the documented URNs and names', async () => {
    const sen = await list(`q=adTargetingFacet&facet=${facet('seniorities')}&queryVersion=QUERY_USES_URNS`);
    expect(sen.elements.map((e) => [e.urn, e.name])).toEqual(
      ['Unpaid', 'Training', 'Entry', 'Senior', 'Manager', 'Director', 'VP', 'CXO', 'Partner', 'Owner'].map((n, i) => [
        `urn:li:seniority:${i + 1}`,
        n,
      ]),
    );
    expect(sen.elements[0]!.facetUrn).toBe('urn:li:adTargetingFacet:seniorities');
    const fns = await list(`q=adTargetingFacet&facet=${facet('jobFunctions')}`);
    expect(fns.elements).toHaveLength(26);
    expect(fns.elements.find((e) => e.urn === 'urn:li:function:4')!.name).toBe('Business Development');
    expect(fns.elements.find((e) => e.urn === 'urn:li:function:26')!.name).toBe('Support');
    const sizes = await list(`q=adTargetingFacet&facet=${facet('staffCountRanges')}`);
    expect(sizes.elements[0]!.urn).toBe('urn:li:staffCountRange:(1,1)');
    expect((await list(`q=adTargetingFacet&facet=${facet('yearsOfExperienceRanges')}`)).elements.at(-1)!.name).toBe(
      '12+ years',
    );
  });

  it('pages big facets with start and count', async () => {
    const page1 = await list(`q=adTargetingFacet&facet=${facet('titles')}&start=0&count=100`);
    const page2 = await list(`q=adTargetingFacet&facet=${facet('titles')}&start=100&count=100`);
    expect(page1.elements).toHaveLength(100);
    expect(page1.paging).toMatchObject({ start: 0, count: 100 });
    expect(page1.paging.total).toBeGreaterThan(500);
    expect(page2.elements[0]!.urn).not.toBe(page1.elements[0]!.urn);
    const skills = await list(`q=adTargetingFacet&facet=${facet('skills')}&count=10000&totals=false`);
    expect(skills.elements.length).toBeGreaterThan(300);
    expect(skills.paging.total).toBeUndefined();
  });

  it.each([
    ['adTargetingFacet', 'employers'],
    ['adTargetingFacet', 'locations'],
    ['typeahead', 'jobFunctions'],
    ['typeahead', 'seniorities'],
    ['similarEntities', 'interests'],
    ['similarEntities', 'locations'],
    ['adTargetingFacet', 'audienceMatchingSegments'],
  ])('400 for finder %s on %s (finder matrix)', async (q, name) => {
    const extra =
      q === 'typeahead' ? '&query=a' : q === 'similarEntities' ? '&entities=List(urn%3Ali%3Ainterest%3A71363)' : '';
    const res = await api.get(`/rest/adTargetingEntities?q=${q}&facet=${facet(name)}${extra}`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/not supported for facet/);
  });

  it('400 for an unknown facet or finder', async () => {
    expect((await api.get(`/rest/adTargetingEntities?q=adTargetingFacet&facet=${facet('hobbies')}`)).status).toBe(400);
    expect((await api.get(`/rest/adTargetingEntities?q=everything`)).status).toBe(400);
  });
});

describe('q=typeahead', () => {
  it('finds Africa before South Africa for "afric" (the doc sample)', async () => {
    const res = await list(`q=typeahead&facet=${facet('locations')}&query=afric&queryVersion=QUERY_USES_URNS`);
    expect(res.elements.slice(0, 2)).toEqual([
      { urn: 'urn:li:geo:103537801', facetUrn: 'urn:li:adTargetingFacet:locations', name: 'Africa' },
      { urn: 'urn:li:geo:104035573', facetUrn: 'urn:li:adTargetingFacet:locations', name: 'South Africa' },
    ]);
  });

  it('ranks prefix matches first and popular entities higher', async () => {
    const titles = names(await list(`q=typeahead&facet=${facet('titles')}&query=software%20engineer&count=10`));
    expect(titles[0]).toBe('Software Engineer');
    expect(titles.every((t) => /software/i.test(t) && /engineer/i.test(t))).toBe(true);
    expect(titles).toContain('Senior Software Engineer');
    const ms = names(await list(`q=typeahead&facet=${facet('employers')}&query=micro`));
    expect(ms[0]).toBe('Microsoft');
  });

  it('matches without accents and filters by entityType', async () => {
    const sp = names(await list(`q=typeahead&facet=${facet('locations')}&query=sao%20paulo`));
    expect(sp).toContain('São Paulo, Brazil');
    const states = await list(`q=typeahead&facet=${facet('locations')}&query=new%20york&entityType=STATE`);
    expect(states.elements.map((e) => e.urn)).toEqual(['urn:li:geo:105080838']);
    const cities = names(await list(`q=typeahead&facet=${facet('profileLocations')}&query=new%20york&entityType=CITY`));
    expect(cities[0]).toBe('New York City, New York, United States');
    expect(cities.every((c) => c.includes('New York'))).toBe(true);
    // A city's own name ranks above a match through its state.
    expect(names(await list(`q=typeahead&facet=${facet('locations')}&query=sacramento%20california`))).toEqual([
      'Sacramento, California, United States',
    ]);
  });

  it('defaults to 10 results and honours count', async () => {
    expect((await list(`q=typeahead&facet=${facet('skills')}&query=a`)).elements).toHaveLength(10);
    expect((await list(`q=typeahead&facet=${facet('skills')}&query=a&count=3`)).elements).toHaveLength(3);
    expect((await list(`q=typeahead&facet=${facet('skills')}&query=zzzqqq`)).elements).toEqual([]);
  });

  it('needs a query', async () => {
    expect((await api.get(`/rest/adTargetingEntities?q=typeahead&facet=${facet('skills')}`)).status).toBe(400);
  });

  it('ranks exact, prefix, word-prefix and substring matches in that order', () => {
    expect(typeaheadRank('Python', 'python')).toBe(0);
    expect(typeaheadRank('Python Development', 'pyth')).toBe(1);
    expect(typeaheadRank('Senior Software Engineer', 'soft eng')).toBe(2);
    expect(typeaheadRank('Cybersecurity', 'security')).toBe(3);
    expect(typeaheadRank('Accounting', 'xyz')).toBeUndefined();
  });
});

describe('q=similarEntities', () => {
  it('finds companies like Microsoft in its industry, with a total', async () => {
    const res = await list(
      `q=similarEntities&facet=${facet('employers')}&entities=List(urn%3Ali%3Aorganization%3A1035)&queryVersion=QUERY_USES_URNS&count=200`,
    );
    expect(res.paging.total).toBeGreaterThan(5);
    expect(res.elements.map((e) => e.urn)).not.toContain('urn:li:organization:1035');
    expect(res.elements.map((e) => e.urn)).toContain('urn:li:organization:163361');
    const software = sandbox.catalog.industries.findIndex((i) => i.urn === 'urn:li:industry:4');
    for (const e of res.elements) {
      expect(sandbox.catalog.employers.find((x) => x.urn === e.urn)!.industry).toBe(software);
    }
  });

  it('finds titles of the same function', async () => {
    const res = await list(`q=similarEntities&facet=${facet('titles')}&entities=List(urn%3Ali%3Atitle%3A1)&count=50`);
    const fn = sandbox.catalog.titles[0]!.fn;
    expect(res.elements.length).toBeGreaterThan(3);
    for (const e of res.elements) expect(sandbox.catalog.titles.find((t) => t.urn === e.urn)!.fn).toBe(fn);
  });

  it('rejects URNs with raw tuple brackets inside a list (they must be percent-encoded)', async () => {
    expect(
      (await api.get('/rest/adTargetingEntities?q=urns&urns=List(urn%3Ali%3AstaffCountRange%3A(1%2C1))')).status,
    ).toBe(400);
  });

  it('400 for entities of another facet', async () => {
    expect(
      (
        await api.get(
          `/rest/adTargetingEntities?q=similarEntities&facet=${facet('skills')}&entities=List(urn%3Ali%3Atitle%3A1)`,
        )
      ).status,
    ).toBe(400);
  });
});

describe('q=urns', () => {
  it('resolves mixed URN types and leaves unknown ones out', async () => {
    const urns = [
      'urn:li:function:4',
      'urn:li:seniority:9',
      'urn:li:staffCountRange:(1,1)',
      'urn:li:organization:1035',
      'urn:li:geo:102095887',
      'urn:li:geo:101857797',
      'urn:li:skill:17',
      'urn:li:interest:71363',
      'urn:li:productInterest:1',
      'urn:li:locale:en_US',
      'urn:li:growthRate:(0,3)',
      'urn:li:skill:99999999',
      'urn:li:nothing:1',
    ];
    const res = await list(`q=urns&urns=${restliEncode(urns)}&queryVersion=QUERY_USES_URNS`);
    const byUrn = Object.fromEntries(res.elements.map((e) => [e.urn, e]));
    expect(Object.keys(byUrn)).toHaveLength(11);
    expect(byUrn['urn:li:geo:102095887']!.name).toBe('California, United States');
    expect(byUrn['urn:li:geo:101857797']!.name).toBe('Sacramento, California, United States');
    expect(byUrn['urn:li:organization:1035']).toEqual({
      urn: 'urn:li:organization:1035',
      facetUrn: 'urn:li:adTargetingFacet:employers',
      name: 'Microsoft',
    });
    expect(byUrn['urn:li:seniority:9']!.name).toBe('Partner');
    expect(byUrn['urn:li:productInterest:1']!.facetUrn).toBe('urn:li:adTargetingFacet:productInterests');
    expect(byUrn['urn:li:skill:99999999']).toBeUndefined();
  });

  it('resolves every value an insights breakdown can return', async () => {
    const res = await api.post('/rest/targetingAudienceInsights?action=audienceInsights', {
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
        groupBy: 'urn:li:adTargetingFacet:productInterests',
        maxReturnCount: 20,
      },
    });
    const values = (
      (await res.json()) as { value: { audienceInsight: { segmentations: Array<{ value: string }> } } }
    ).value.audienceInsight.segmentations.map((s) => s.value);
    const resolved = await list(`q=urns&urns=${restliEncode(values)}`);
    expect(resolved.elements.map((e) => e.urn).sort()).toEqual([...values].sort());
  });
});
