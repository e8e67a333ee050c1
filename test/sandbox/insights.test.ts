import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AudienceInsightsResponse } from '../../src/linkedin/types.js';
import { getCatalog } from '../../src/sandbox/catalog.js';
import { buildSandbox, populationFromMembers, type Sandbox } from '../../src/sandbox/index.js';
import { type Api, apiFor, DOC_SAMPLE_BODY, insightsBody, restliEncode, sandboxWithApi, testClock } from './helpers.js';

const LOC = 'urn:li:adTargetingFacet:locations';
const PATH = '/rest/targetingAudienceInsights?action=audienceInsights';
const US = 'urn:li:geo:103644278';
const NY_STATE = 'urn:li:geo:105080838';

const criteria = (...groups: Array<Record<string, string[]>>) => ({ include: { and: groups.map((or) => ({ or })) } });

let sandbox: Sandbox;
let api: Api;

beforeAll(async () => {
  ({ sandbox, api } = await sandboxWithApi());
});
afterAll(() => sandbox.close());

async function insights(body: unknown, a: Api = api): Promise<AudienceInsightsResponse['value']> {
  const res = await a.post(PATH, body);
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as AudienceInsightsResponse).value;
}

async function rejected(body: unknown, status: number, code: string): Promise<string> {
  const res = await api.post(PATH, body);
  const json = (await res.json()) as { status: number; code: string; message: string };
  expect(res.status).toBe(status);
  expect(json).toMatchObject({ status, code });
  return json.message;
}

/** Independent check: sums weights straight from the population columns. */
function rawCount(predicate: (i: number) => boolean): number {
  const p = sandbox.population;
  let total = 0;
  for (let i = 0; i < p.size; i++) if (predicate(i)) total += p.weight[i]!;
  return total;
}

const geoIndex = (urn: string) => sandbox.catalog.geos.findIndex((g) => g.urn === urn);
const inGeo = (i: number, urn: string) => {
  const g = geoIndex(urn);
  const city = sandbox.catalog.geos[sandbox.population.city[i]!]!;
  return sandbox.population.city[i] === g || city.state === g || city.country === g || city.continent === g;
};
const hasMulti = (mv: { offsets: Uint32Array; values: Uint16Array }, i: number, values: number[]) => {
  for (let k = mv.offsets[i]!; k < mv.offsets[i + 1]!; k++) if (values.includes(mv.values[k]!)) return true;
  return false;
};
const round2 = (n: number) => {
  const m = 10 ** (Math.floor(Math.log10(n)) - 1);
  return Math.round(n / m) * m;
};
const insightsTotal = (raw: number) => (raw < 300 ? 0 : round2(Math.round(raw / 100) * 100));

describe('the documentation sample request', () => {
  it('answers with a plausible job-function breakdown computed from the population', async () => {
    const value = await insights(DOC_SAMPLE_BODY);
    expect(Object.keys(value).sort()).toEqual(['audienceInsight', 'totalAudienceCount']);
    expect(Object.keys(value.audienceInsight).sort()).toEqual(['groupedBy', 'segmentations']);
    expect(value.audienceInsight.groupedBy).toBe('urn:li:adTargetingFacet:jobFunctions');

    const skills = ['urn:li:skill:236', 'urn:li:skill:242', 'urn:li:skill:252'].map((u) =>
      sandbox.catalog.skills.findIndex((s) => s.urn === u),
    );
    const enUS = sandbox.catalog.locales.findIndex((l) => l.urn === 'urn:li:locale:en_US');
    const p = sandbox.population;
    const raw = rawCount((i) => inGeo(i, NY_STATE) && p.locale[i] === enUS && hasMulti(p.skills, i, skills));
    expect(value.totalAudienceCount).toBe(insightsTotal(raw));
    expect(value.totalAudienceCount).toBeGreaterThan(100_000);
    expect(value.totalAudienceCount).toBeLessThan(2_000_000);

    const segs = value.audienceInsight.segmentations;
    expect(segs).toHaveLength(5);
    for (const s of segs) {
      expect(Object.keys(s).sort()).toEqual(['entityCount', 'entityPercentage', 'value']);
      expect(s.value).toMatch(/^urn:li:function:\d+$/);
      expect(Number.isInteger(s.entityPercentage)).toBe(true);
      expect(s.entityPercentage).toBe(Math.round((s.entityCount / value.totalAudienceCount) * 100));
    }
    // Believable shares: a leading function well under the whole audience, shares decreasing.
    expect(segs[0]!.entityPercentage).toBeGreaterThan(10);
    expect(segs[0]!.entityPercentage).toBeLessThan(60);
    expect(segs.map((s) => s.entityCount)).toEqual([...segs.map((s) => s.entityCount)].sort((a, b) => b - a));
    // The skills are business-facing: business development or programme management lead.
    expect(['urn:li:function:4', 'urn:li:function:20', 'urn:li:function:18']).toContain(segs[0]!.value);
  });

  it('rounds counts to two significant digits like the sample (96000, 420000)', async () => {
    const value = await insights(DOC_SAMPLE_BODY);
    for (const n of [value.totalAudienceCount, ...value.audienceInsight.segmentations.map((s) => s.entityCount)]) {
      expect(n).toBe(round2(n));
    }
  });

  it('agrees with audienceCounts for the same criteria', async () => {
    const value = await insights(DOC_SAMPLE_BODY);
    const tc = restliEncode(DOC_SAMPLE_BODY.request.targetingCriteria);
    const res = await api.get(`/rest/audienceCounts?q=targetingCriteriaV2&targetingCriteria=${tc}`);
    const total = ((await res.json()) as { elements: Array<{ total: number }> }).elements[0]!.total;
    expect(round2(total)).toBe(value.totalAudienceCount);
  });

  it('accepts sponsoredAccountUrn (the name in the doc table) as well', async () => {
    const body = insightsBody({ requestMetaData: { sponsoredAccountUrn: 'urn:li:sponsoredAccount:123' } });
    expect((await insights(body)).totalAudienceCount).toBe((await insights(DOC_SAMPLE_BODY)).totalAudienceCount);
  });
});

describe('documented thresholds', () => {
  it('reports 0 and no segments for an audience under 300 members (that does exist)', async () => {
    // Find a city + title pair that some synthetic members share, but fewer than 300 real ones.
    const p = sandbox.population;
    const sums = new Map<string, number>();
    for (let i = 0; i < p.size; i++) {
      if (p.title[i] === 0xffff) continue;
      const key = `${p.city[i]}:${p.title[i]}`;
      sums.set(key, (sums.get(key) ?? 0) + p.weight[i]!);
    }
    const [key, raw] = [...sums].find(([, w]) => w > 0 && w < 300)!;
    const [city, title] = key.split(':').map(Number) as [number, number];
    const body = insightsBody({
      targetingCriteria: criteria(
        { [LOC]: [sandbox.catalog.geos[city]!.urn] },
        { 'urn:li:adTargetingFacet:titles': [sandbox.catalog.titles[title]!.urn] },
      ),
      groupBy: 'urn:li:adTargetingFacet:seniorities',
    });
    expect(raw).toBeGreaterThan(0);
    const value = await insights(body);
    expect(value.totalAudienceCount).toBe(0);
    expect(value.audienceInsight.segmentations).toEqual([]);
  });

  it('reports an approximate total and no segments above 100M', async () => {
    const all = sandbox.catalog.years.map((y) => y.urn);
    const value = await insights(
      insightsBody({
        targetingCriteria: criteria(
          { [LOC]: [US] },
          { 'urn:li:adTargetingFacet:yearsOfExperienceRanges': all.slice(0, 3) },
        ),
      }),
    );
    const everyone = await insights(
      insightsBody({
        targetingCriteria: criteria({ [LOC]: [US] }, { 'urn:li:adTargetingFacet:seniorities': ['urn:li:seniority:3'] }),
      }),
    );
    expect(everyone.audienceInsight.segmentations.length).toBeGreaterThan(0);
    const usRaw = rawCount((i) => inGeo(i, US));
    expect(usRaw).toBeGreaterThan(100_000_000);
    const big = await insights(
      insightsBody({
        targetingCriteria: criteria({ [LOC]: [US] }, { 'urn:li:adTargetingFacet:yearsOfExperienceRanges': all }),
      }),
    );
    expect(big.audienceInsight.segmentations).toEqual([]);
    expect(big.totalAudienceCount).toBe(insightsTotal(usRaw));
    expect(big.totalAudienceCount % 1_000_000).toBe(0);
    expect(value.totalAudienceCount).toBeLessThan(big.totalAudienceCount);
  });

  describe('with a hand-built population (exact boundaries)', () => {
    const SAC = 'urn:li:geo:101857797';
    const SKILL = 'urn:li:skill:17';
    let small: Sandbox;
    let smallApi: Api;
    const titles = () => small.catalog.titles;

    beforeAll(async () => {
      const catalog = getCatalog();
      const t = (name: string) => catalog.titles.find((x) => x.name === name)!.urn;
      small = await buildSandbox({
        now: testClock().now,
        population: populationFromMembers(catalog, [
          { weight: 241, city: SAC, title: t('Software Engineer'), skills: [SKILL] },
          { weight: 30, city: SAC, title: t('Accountant'), skills: [SKILL] },
          { weight: 29, city: SAC, title: t('Recruiter'), skills: [SKILL] },
          { weight: 1000, city: 'urn:li:geo:102277331', title: t('Teacher'), skills: [SKILL] },
        ]),
      });
      smallApi = apiFor(small, small.issueToken('maya-chen').access_token);
    });
    afterAll(() => small?.close());

    const body = (groupBy = 'urn:li:adTargetingFacet:titles', extra: Record<string, unknown> = {}) =>
      insightsBody({
        targetingCriteria: criteria({ [LOC]: [SAC] }, { 'urn:li:adTargetingFacet:skills': [SKILL] }),
        groupBy,
        maxReturnCount: 100,
        ...extra,
      });

    it('shows segments of 30 and more, hides the one of 29, at a total of exactly 300', async () => {
      const value = await insights(body(), smallApi);
      expect(value.totalAudienceCount).toBe(300);
      const byName = Object.fromEntries(
        value.audienceInsight.segmentations.map((s) => [titles().find((t) => t.urn === s.value)!.name, s]),
      );
      expect(Object.keys(byName).sort()).toEqual(['Accountant', 'Software Engineer']);
      expect(byName.Accountant).toEqual({ entityCount: 30, entityPercentage: 10, value: byName.Accountant!.value });
      expect(byName['Software Engineer']!.entityCount).toBe(240);
      expect(byName['Software Engineer']!.entityPercentage).toBe(80);
    });

    it('reports 0 at 299 members', async () => {
      const value = await insights(
        insightsBody({
          targetingCriteria: {
            ...criteria({ [LOC]: [SAC] }, { 'urn:li:adTargetingFacet:skills': [SKILL] }),
            exclude: { or: { 'urn:li:adTargetingFacet:titles': [titles().find((t) => t.name === 'Accountant')!.urn] } },
          },
          groupBy: 'urn:li:adTargetingFacet:titles',
        }),
        smallApi,
      );
      expect(value).toEqual({
        audienceInsight: { segmentations: [], groupedBy: 'urn:li:adTargetingFacet:titles' },
        totalAudienceCount: 0,
      });
    });
  });
});

describe('segments: ordering, limits and values', () => {
  const usBody = (groupBy: string, extra: Record<string, unknown> = {}) =>
    insightsBody({
      targetingCriteria: criteria(
        { [LOC]: ['urn:li:geo:102095887'] },
        { 'urn:li:adTargetingFacet:jobFunctions': ['urn:li:function:8', 'urn:li:function:13'] },
      ),
      groupBy,
      ...extra,
    });

  it('returns 5 segments by default, ordered by share', async () => {
    const segs = (await insights(usBody('urn:li:adTargetingFacet:skills'))).audienceInsight.segmentations;
    expect(segs).toHaveLength(5);
    const pct = segs.map((s) => s.entityPercentage);
    expect(pct).toEqual([...pct].sort((a, b) => b - a));
  });

  it('honours maxReturnCount up to 100', async () => {
    const segs = (await insights(usBody('urn:li:adTargetingFacet:skills', { maxReturnCount: 100 }))).audienceInsight
      .segmentations;
    expect(segs.length).toBeGreaterThan(50);
    expect(segs.length).toBeLessThanOrEqual(100);
    expect(new Set(segs.map((s) => s.value)).size).toBe(segs.length);
    expect(segs.every((s) => s.entityPercentage >= 0 && s.entityPercentage <= 100)).toBe(true);
    expect(
      (await insights(usBody('urn:li:adTargetingFacet:skills', { maxReturnCount: 1 }))).audienceInsight.segmentations,
    ).toHaveLength(1);
  });

  it('orders HIERARCHICAL segments in the facet’s natural order', async () => {
    const sen = (
      await insights(
        usBody('urn:li:adTargetingFacet:seniorities', { segmentsOrderedBy: 'HIERARCHICAL', maxReturnCount: 10 }),
      )
    ).audienceInsight.segmentations;
    const ids = sen.map((s) => Number(s.value.split(':').pop()));
    expect(ids.length).toBeGreaterThan(5);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));

    const sizes = (
      await insights(
        usBody('urn:li:adTargetingFacet:staffCountRanges', { segmentsOrderedBy: 'HIERARCHICAL', maxReturnCount: 20 }),
      )
    ).audienceInsight.segmentations.map((s) => s.value);
    expect(sizes[0]).toBe('urn:li:staffCountRange:(1,1)');
    expect(sizes.at(-1)).toBe('urn:li:staffCountRange:(10001,2147483647)');

    const years = (
      await insights(
        usBody('urn:li:adTargetingFacet:yearsOfExperienceRanges', {
          segmentsOrderedBy: 'HIERARCHICAL',
          maxReturnCount: 12,
        }),
      )
    ).audienceInsight.segmentations.map((s) => Number(s.value.split(':').pop()));
    expect(years).toEqual([...years].sort((a, b) => a - b));

    const growth = (
      await insights(usBody('urn:li:adTargetingFacet:growthRate', { segmentsOrderedBy: 'HIERARCHICAL' }))
    ).audienceInsight.segmentations.map((s) => s.value);
    expect(growth[0]).toBe('urn:li:growthRate:(-2147483647,0)');
  });

  it.each([
    ['bingContinent', 'CONTINENT'],
    ['bingCountry', 'COUNTRY'],
    ['bingState', 'STATE'],
    ['bingCity', 'CITY'],
  ])('groups by %s with urn:li:geo values of that level', async (facet, level) => {
    const value = await insights(
      insightsBody({
        targetingCriteria: criteria(
          { [LOC]: ['urn:li:geo:102221843', 'urn:li:geo:100506914'] },
          { 'urn:li:adTargetingFacet:skills': ['urn:li:skill:17'] },
        ),
        groupBy: `urn:li:adTargetingFacet:${facet}`,
        maxReturnCount: 10,
      }),
    );
    expect(value.audienceInsight.segmentations.length).toBeGreaterThan(1);
    for (const s of value.audienceInsight.segmentations) {
      expect(s.value).toMatch(/^urn:li:geo:\d+$/);
      expect(sandbox.catalog.geos.find((g) => g.urn === s.value)!.level).toBe(level);
    }
  });

  it('groups by every documented facet', async () => {
    const facets = [
      'jobFunctions',
      'seniorities',
      'titles',
      'yearsOfExperienceRanges',
      'interests',
      'productInterests',
      'skills',
      'industries',
      'staffCountRanges',
      'growthRate',
      'employers',
    ];
    const patterns: Record<string, RegExp> = {
      jobFunctions: /^urn:li:function:\d+$/,
      seniorities: /^urn:li:seniority:\d+$/,
      titles: /^urn:li:title:\d+$/,
      yearsOfExperienceRanges: /^urn:li:yearsOfExperience:\d+$/,
      interests: /^urn:li:interest:\d+$/,
      productInterests: /^urn:li:productInterest:\d+$/,
      skills: /^urn:li:skill:\d+$/,
      industries: /^urn:li:industry:\d+$/,
      staffCountRanges: /^urn:li:staffCountRange:\(\d+,\d+\)$/,
      growthRate: /^urn:li:growthRate:\(-?\d+,\d+\)$/,
      employers: /^urn:li:organization:\d+$/,
    };
    for (const facet of facets) {
      const segs = (await insights(usBody(`urn:li:adTargetingFacet:${facet}`))).audienceInsight.segmentations;
      expect(segs.length, facet).toBeGreaterThan(0);
      for (const s of segs) expect(s.value).toMatch(patterns[facet]!);
    }
  });

  it('applies exclusions', async () => {
    const include = criteria({ [LOC]: [US] }, { 'urn:li:adTargetingFacet:skills': ['urn:li:skill:17'] });
    const all = await insights(insightsBody({ targetingCriteria: include }));
    const withoutEntry = await insights(
      insightsBody({
        targetingCriteria: {
          ...include,
          exclude: { or: { 'urn:li:adTargetingFacet:seniorities': ['urn:li:seniority:3'] } },
        },
        groupBy: 'urn:li:adTargetingFacet:seniorities',
        maxReturnCount: 10,
      }),
    );
    expect(withoutEntry.totalAudienceCount).toBeLessThan(all.totalAudienceCount);
    expect(withoutEntry.audienceInsight.segmentations.map((s) => s.value)).not.toContain('urn:li:seniority:3');
    const skill17 = sandbox.catalog.skills.findIndex((s) => s.urn === 'urn:li:skill:17');
    const p = sandbox.population;
    const raw = rawCount((i) => inGeo(i, US) && hasMulti(p.skills, i, [skill17]) && p.seniority[i] !== 2);
    expect(withoutEntry.totalAudienceCount).toBe(insightsTotal(raw));
  });

  it('treats exactly two years-of-experience URNs as a min/max range', async () => {
    const range = await insights(
      insightsBody({
        targetingCriteria: criteria(
          { [LOC]: [NY_STATE] },
          {
            'urn:li:adTargetingFacet:yearsOfExperienceRanges': [
              'urn:li:yearsOfExperience:3',
              'urn:li:yearsOfExperience:6',
            ],
          },
        ),
        groupBy: 'urn:li:adTargetingFacet:yearsOfExperienceRanges',
        maxReturnCount: 12,
      }),
    );
    expect(range.audienceInsight.segmentations.map((s) => s.value).sort()).toEqual(
      [3, 4, 5, 6].map((y) => `urn:li:yearsOfExperience:${y}`),
    );
  });
});

describe('access rules', () => {
  it('needs a role on the sponsored account (403 USER_NOT_AUTHORIZED)', async () => {
    const liam = apiFor(sandbox, sandbox.issueToken('liam-okafor').access_token);
    const res = await liam.post(PATH, DOC_SAMPLE_BODY);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      status: 403,
      code: 'USER_NOT_AUTHORIZED',
      message: 'Caller should have access to the Ad Account provided in the request',
    });
    // A VIEWER role is enough.
    const viewer = await liam.post(
      PATH,
      insightsBody({ requestMetaData: { sponsoredAccount: 'urn:li:sponsoredAccount:516413367' } }),
    );
    expect(viewer.status).toBe(200);
  });

  it('answers 403 ACCESS_DENIED when the app is not provisioned', async () => {
    sandbox.knobs.provisioned = false;
    try {
      const res = await api.post(PATH, DOC_SAMPLE_BODY);
      expect(res.status).toBe(403);
      const body = (await res.json()) as { code: string; message: string };
      expect(body.code).toBe('ACCESS_DENIED');
      expect(body.message).toMatch(/^Not enough permissions to access: targetingAudienceInsights\./);
    } finally {
      sandbox.knobs.provisioned = true;
    }
  });
});

describe('422 FAILED_VALIDATION_CONDITION', () => {
  it.each([
    ['no request', {}, /"request"/],
    ['no requestMetaData', { request: { ...DOC_SAMPLE_BODY.request, requestMetaData: undefined } }, /requestMetaData/],
    ['no sponsoredAccount', insightsBody({ requestMetaData: {} }), /sponsoredAccount/],
    ['a malformed account', insightsBody({ requestMetaData: { sponsoredAccount: '123' } }), /urn:li:sponsoredAccount/],
    ['no groupBy', { request: { ...DOC_SAMPLE_BODY.request, groupBy: undefined } }, /groupBy/],
    ['a groupBy outside the 15', insightsBody({ groupBy: 'urn:li:adTargetingFacet:genders' }), /not a supported facet/],
    ['a groupBy short name', insightsBody({ groupBy: 'jobFunctions' }), /not a supported facet/],
    ['maxReturnCount 0', insightsBody({ maxReturnCount: 0 }), /maxReturnCount/],
    ['maxReturnCount 101', insightsBody({ maxReturnCount: 101 }), /maxReturnCount/],
    ['maxReturnCount 2.5', insightsBody({ maxReturnCount: 2.5 }), /maxReturnCount/],
    ['a bad segmentsOrderedBy', insightsBody({ segmentsOrderedBy: 'ALPHABETICAL' }), /segmentsOrderedBy/],
    [
      'HIERARCHICAL on titles',
      insightsBody({ groupBy: 'urn:li:adTargetingFacet:titles', segmentsOrderedBy: 'HIERARCHICAL' }),
      /HIERARCHICAL/,
    ],
    ['an unknown field', insightsBody({ maxReturnCounts: 5 }), /unknown field "request.maxReturnCounts"/],
    [
      'no targetingCriteria',
      { request: { ...DOC_SAMPLE_BODY.request, targetingCriteria: undefined } },
      /targetingCriteria/,
    ],
    ['an empty include', insightsBody({ targetingCriteria: { include: { and: [] } } }), /include.and/],
    [
      'an unknown facet',
      insightsBody({ targetingCriteria: criteria({ [LOC]: [US] }, { 'urn:li:adTargetingFacet:hobbies': ['x'] }) }),
      /unknown or unsupported targeting facet/,
    ],
    [
      'a value of the wrong type',
      insightsBody({
        targetingCriteria: criteria(
          { [LOC]: ['urn:li:skill:17'] },
          { 'urn:li:adTargetingFacet:skills': ['urn:li:skill:17'] },
        ),
      }),
      /not a valid value for locations/,
    ],
    [
      'an unknown closed-list value',
      insightsBody({
        targetingCriteria: criteria(
          { [LOC]: [US] },
          { 'urn:li:adTargetingFacet:jobFunctions': ['urn:li:function:99'] },
        ),
      }),
      /unknown jobFunctions value/,
    ],
  ])('rejects %s', async (_name, body, message) => {
    expect(await rejected(body, 422, 'FAILED_VALIDATION_CONDITION')).toMatch(message);
  });

  it('requires a location', async () => {
    const msg = await rejected(
      insightsBody({ targetingCriteria: criteria({ 'urn:li:adTargetingFacet:skills': ['urn:li:skill:17'] }) }),
      422,
      'FAILED_VALIDATION_CONDITION',
    );
    expect(msg).toMatch(/must include a location/);
  });

  it('requires a second attribute other than age, gender or interface language', async () => {
    const msg = await rejected(
      insightsBody({
        targetingCriteria: criteria(
          { [LOC]: [US] },
          { 'urn:li:adTargetingFacet:interfaceLocales': ['urn:li:locale:en_US'] },
          { 'urn:li:adTargetingFacet:genders': ['urn:li:gender:FEMALE'] },
          { 'urn:li:adTargetingFacet:ageRanges': ['urn:li:ageRange:(25,34)'] },
        ),
      }),
      422,
      'FAILED_VALIDATION_CONDITION',
    );
    expect(msg).toMatch(/second targeting attribute/);
    // profileLocations counts as the location.
    const ok = await api.post(
      PATH,
      insightsBody({
        targetingCriteria: criteria(
          { 'urn:li:adTargetingFacet:profileLocations': [US] },
          { 'urn:li:adTargetingFacet:skills': ['urn:li:skill:17'] },
        ),
      }),
    );
    expect(ok.status).toBe(200);
  });

  it('refuses seniorities AND-ed with titles', async () => {
    const msg = await rejected(
      insightsBody({
        targetingCriteria: criteria(
          { [LOC]: [US] },
          { 'urn:li:adTargetingFacet:titles': ['urn:li:title:1'] },
          { 'urn:li:adTargetingFacet:seniorities': ['urn:li:seniority:4'] },
        ),
      }),
      422,
      'FAILED_VALIDATION_CONDITION',
    );
    expect(msg).toMatch(/Seniorities may not be AND-ed with job titles/);
  });

  it('refuses excluding an include-only facet', async () => {
    const msg = await rejected(
      insightsBody({
        targetingCriteria: {
          ...criteria({ [LOC]: [US] }, { 'urn:li:adTargetingFacet:skills': ['urn:li:skill:17'] }),
          exclude: { or: { 'urn:li:adTargetingFacet:genders': ['urn:li:gender:MALE'] } },
        },
      }),
      422,
      'FAILED_VALIDATION_CONDITION',
    );
    expect(msg).toMatch(/genders can only be included/);
  });
});

describe('matched audiences', () => {
  const seg = (id: number, account = 123) =>
    insightsBody({
      requestMetaData: { sponsoredAccount: `urn:li:sponsoredAccount:${account}` },
      targetingCriteria: criteria({ 'urn:li:adTargetingFacet:audienceMatchingSegments': [`urn:li:adSegment:${id}`] }),
      groupBy: 'urn:li:adTargetingFacet:employers',
    });

  it('lift the location rule and narrow the audience to the list', async () => {
    const value = await insights(seg(10011235));
    expect(value.totalAudienceCount).toBeGreaterThan(300);
    const listed = [
      'urn:li:organization:1035',
      'urn:li:organization:1441',
      'urn:li:organization:1028',
      'urn:li:organization:1009',
      'urn:li:organization:163361',
    ];
    for (const s of value.audienceInsight.segmentations) expect(listed).toContain(s.value);
  });

  it('report 0 for a list under 300 members and for a segment that is still building', async () => {
    expect((await insights(seg(10011238))).totalAudienceCount).toBe(0);
    expect((await insights(seg(10011237))).totalAudienceCount).toBe(0);
  });

  it('must belong to the sponsored account', async () => {
    const msg = await rejected(seg(10020001), 422, 'FAILED_VALIDATION_CONDITION');
    expect(msg).toMatch(/urn:li:adSegment:10020001 is not a matched audience of urn:li:sponsoredAccount:123/);
  });
});

describe('determinism', () => {
  it('gives identical answers for the same seed and different ones for another seed', async () => {
    const twin = await sandboxWithApi();
    const other = await sandboxWithApi({ seed: 7, populationSize: 50_000 });
    try {
      const bodies = [
        DOC_SAMPLE_BODY,
        insightsBody({ groupBy: 'urn:li:adTargetingFacet:employers', maxReturnCount: 20 }),
      ];
      for (const body of bodies) {
        expect(await insights(body, twin.api)).toEqual(await insights(body, api));
        expect(await insights(body, other.api)).not.toEqual(await insights(body, api));
      }
    } finally {
      await twin.sandbox.close();
      await other.sandbox.close();
    }
  });
});
