import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidQueryError } from '../../src/errors.js';
import { GROUP_BY_FACETS, TARGETING_FACETS } from '../../src/linkedin/facets.js';
import {
  type AudienceDraft,
  buildInsightsRequestBody,
  criteriaToDraft,
  DEFAULT_MAX_RETURN_COUNT,
  draftToCriteria,
  normalizeInsightsRequest,
  type Problem,
  validateInsightsRequest,
} from '../../src/linkedin/targeting.js';

const ACCOUNT = 'urn:li:sponsoredAccount:123';

/** The documentation's sample request, as a person would describe it. */
const docCriteria: AudienceDraft = {
  include: [
    { locations: ['urn:li:geo:105080838'] },
    { interfaceLocales: ['urn:li:locale:en_US'] },
    { skills: ['urn:li:skill:236', 'urn:li:skill:242', 'urn:li:skill:252'] },
  ],
};
const docSample = {
  accountUrn: ACCOUNT,
  criteria: docCriteria,
  groupBy: 'jobFunctions',
  maxReturnCount: 5,
};

const withInclude = (include: AudienceDraft['include'], exclude?: AudienceDraft['exclude']) => ({
  accountUrn: ACCOUNT,
  criteria: exclude ? { include, exclude } : { include },
  groupBy: 'seniorities',
});

const codes = (problems: Problem[]) => problems.map((p) => p.code);
const geo = { locations: ['urn:li:geo:103644278'] };
const skills = { skills: ['urn:li:skill:17'] };
const urns = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `urn:li:${prefix}:${i + 1}`);

describe('a valid request', () => {
  it('the documentation’s sample passes and builds exactly the documented body', () => {
    expect(validateInsightsRequest(docSample)).toEqual([]);
    expect(buildInsightsRequestBody(docSample)).toEqual({
      request: {
        requestMetaData: { sponsoredAccount: 'urn:li:sponsoredAccount:123' },
        targetingCriteria: {
          include: {
            and: [
              { or: { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:105080838'] } },
              { or: { 'urn:li:adTargetingFacet:interfaceLocales': ['urn:li:locale:en_US'] } },
              {
                or: {
                  'urn:li:adTargetingFacet:skills': ['urn:li:skill:236', 'urn:li:skill:242', 'urn:li:skill:252'],
                },
              },
            ],
          },
        },
        groupBy: 'urn:li:adTargetingFacet:jobFunctions',
        maxReturnCount: 5,
      },
    });
  });

  it('accepts wire-format criteria and facet URNs as well as names', () => {
    const wire = {
      accountUrn: ACCOUNT,
      criteria: draftToCriteria(docSample.criteria),
      groupBy: 'urn:li:adTargetingFacet:staffCountRanges',
      orderBy: 'HIERARCHICAL',
    };
    expect(validateInsightsRequest(wire)).toEqual([]);
    expect(buildInsightsRequestBody(wire).request).toMatchObject({
      groupBy: 'urn:li:adTargetingFacet:staffCountRanges',
      segmentsOrderedBy: 'HIERARCHICAL',
    });
  });

  it('normalize applies the default maxReturnCount of 5', () => {
    const { maxReturnCount: _omit, ...rest } = docSample;
    expect(normalizeInsightsRequest(rest).maxReturnCount).toBe(DEFAULT_MAX_RETURN_COUNT);
    expect(normalizeInsightsRequest({ ...rest, maxReturnCount: 40 }).maxReturnCount).toBe(40);
  });

  it('a matched audience alone needs no location or second attribute', () => {
    expect(validateInsightsRequest(withInclude([{ audienceMatchingSegments: ['urn:li:adSegment:10011234'] }]))).toEqual(
      [],
    );
    expect(validateInsightsRequest(withInclude([{ dynamicSegments: ['urn:li:adSegment:7'] }]))).toEqual([]);
  });

  it('profile locations count as a location', () => {
    expect(validateInsightsRequest(withInclude([{ profileLocations: ['urn:li:geo:1'] }, skills]))).toEqual([]);
  });

  it('seniorities OR-ed with titles in one group are not AND-ed, so allowed', () => {
    const req = withInclude([geo, { seniorities: ['urn:li:seniority:6'], titles: ['urn:li:title:1'] }]);
    expect(validateInsightsRequest(req)).toEqual([]);
  });

  it('exactly 100 values per facet, and 200 for employers and locations, are allowed', () => {
    const req = withInclude([
      { locations: urns('geo', 200) },
      { skills: urns('skill', 100) },
      { employers: urns('organization', 200) },
    ]);
    expect(validateInsightsRequest(req)).toEqual([]);
  });
});

describe('every documented rule has a problem a marketer can act on', () => {
  const cases: Array<[string, unknown, Problem['code'], Problem['field']]> = [
    ['no account', { ...docSample, accountUrn: undefined }, 'account_required', 'account'],
    ['an empty account', { ...docSample, accountUrn: '' }, 'account_required', 'account'],
    [
      'an account that is not a sponsoredAccount URN',
      { ...docSample, accountUrn: 'urn:li:organization:1' },
      'account_invalid',
      'account',
    ],
    ['no criteria', { ...docSample, criteria: undefined }, 'criteria_required', 'include'],
    ['no include groups', withInclude([]), 'criteria_required', 'include'],
    ['no location', withInclude([skills]), 'location_required', 'include'],
    ['a location alone', withInclude([geo]), 'second_attribute_required', 'include'],
    [
      'a location OR-ed with another attribute in one group',
      withInclude([{ locations: ['urn:li:geo:1'], skills: ['urn:li:skill:17'] }, { titles: ['urn:li:title:1'] }]),
      'location_required',
      'include',
    ],

    [
      'a location with only age, gender and interface language',
      withInclude([
        geo,
        { ageRanges: ['urn:li:ageRange:(25,34)'] },
        { genders: ['urn:li:gender:FEMALE'] },
        { interfaceLocales: ['urn:li:locale:en_US'] },
      ]),
      'second_attribute_required',
      'include',
    ],
    [
      'seniorities AND-ed with titles',
      withInclude([geo, { seniorities: ['urn:li:seniority:6'] }, { titles: ['urn:li:title:1'] }]),
      'seniorities_with_titles',
      'include',
    ],
    [
      'job functions AND-ed with titles',
      withInclude([geo, { titles: ['urn:li:title:1'] }, { jobFunctions: ['urn:li:function:8'] }]),
      'job_functions_with_titles',
      'include',
    ],
    [
      'industries AND-ed with included employers',
      withInclude([geo, { industries: ['urn:li:industry:4'] }, { employers: ['urn:li:organization:1035'] }]),
      'company_attributes_with_employers',
      'include',
    ],
    [
      'company sizes AND-ed with included employers',
      withInclude([
        geo,
        { employers: ['urn:li:organization:1035'] },
        { staffCountRanges: ['urn:li:staffCountRange:(2,10)'] },
      ]),
      'company_attributes_with_employers',
      'include',
    ],
    [
      'dynamic segments AND-ed with interests',
      withInclude([{ dynamicSegments: ['urn:li:adSegment:1'] }, { interests: ['urn:li:interest:71363'] }]),
      'dynamic_segments_with_interests',
      'include',
    ],
    [
      'excluded age ranges',
      withInclude([geo, skills], { ageRanges: ['urn:li:ageRange:(18,24)'] }),
      'not_excludable',
      'exclude',
    ],
    ['excluded genders', withInclude([geo, skills], { genders: ['urn:li:gender:MALE'] }), 'not_excludable', 'exclude'],
    [
      'excluded interface languages',
      withInclude([geo, skills], { interfaceLocales: ['urn:li:locale:en_US'] }),
      'not_excludable',
      'exclude',
    ],
    ['excluded groups', withInclude([geo, skills], { groups: ['urn:li:group:1'] }), 'not_excludable', 'exclude'],
    ['101 skills', withInclude([geo, { skills: urns('skill', 101) }]), 'too_many_values', 'include'],
    ['201 locations', withInclude([{ locations: urns('geo', 201) }, skills]), 'too_many_values', 'include'],
    ['201 employers', withInclude([geo, { employers: urns('organization', 201) }]), 'too_many_values', 'include'],
    [
      '101 excluded seniorities',
      withInclude([geo, skills], { seniorities: urns('seniority', 101) }),
      'too_many_values',
      'exclude',
    ],
    ['an empty group', withInclude([geo, skills, {}]), 'group_empty', 'include'],
    ['a group whose facets have no values', withInclude([geo, skills, { titles: [] }]), 'group_empty', 'include'],
    [
      'a group that is not an object',
      withInclude([geo, skills, 'skills' as unknown as Record<string, string[]>]),
      'group_invalid',
      'include',
    ],
    [
      'a facet name that is not one',
      withInclude([geo, { 'sk ills!': ['urn:li:skill:1'] }]),
      'facet_invalid',
      'include',
    ],
    ['values typed instead of picked', withInclude([geo, { skills: ['python'] }]), 'values_invalid', 'include'],
    [
      'values that are not a list',
      withInclude([geo, { skills: 'urn:li:skill:1' as unknown as string[] }]),
      'values_invalid',
      'include',
    ],
    [
      'an exclude that is not an object',
      { ...withInclude([geo, skills]), criteria: { include: [geo, skills], exclude: 'x' } },
      'exclude_invalid',
      'exclude',
    ],
    ['no groupBy', { ...docSample, groupBy: undefined }, 'group_by_required', 'groupBy'],
    ['a groupBy outside the 15', { ...docSample, groupBy: 'genders' }, 'group_by_invalid', 'groupBy'],
    ['an unknown order', { ...docSample, orderBy: 'ALPHABETICAL' }, 'order_by_invalid', 'orderBy'],
    [
      'HIERARCHICAL for a facet without natural order',
      { ...docSample, orderBy: 'HIERARCHICAL' },
      'hierarchical_not_supported',
      'orderBy',
    ],
    ['maxReturnCount 0', { ...docSample, maxReturnCount: 0 }, 'max_return_count_invalid', 'maxReturnCount'],
    ['maxReturnCount 101', { ...docSample, maxReturnCount: 101 }, 'max_return_count_invalid', 'maxReturnCount'],
    ['maxReturnCount 2.5', { ...docSample, maxReturnCount: 2.5 }, 'max_return_count_invalid', 'maxReturnCount'],
    ['maxReturnCount "5"', { ...docSample, maxReturnCount: '5' }, 'max_return_count_invalid', 'maxReturnCount'],
  ];

  it.each(cases)('%s', (_name, input, code, field) => {
    const problems = validateInsightsRequest(input);
    const problem = problems.find((p) => p.code === code);
    expect(problem, `got ${JSON.stringify(codes(problems))}`).toBeDefined();
    expect(problem!.field).toBe(field);
    // Words, not codes: a sentence that ends with what to do.
    expect(problem!.message).toMatch(/^[A-Z“].{20,}\.$/);
    expect(problem!.message).not.toMatch(/urn:li:adTargetingFacet|undefined|\[object/);
  });

  it('reports every problem at once, not just the first', () => {
    const problems = validateInsightsRequest({
      criteria: { include: [{ titles: ['urn:li:title:1'] }] },
      maxReturnCount: 500,
    });
    expect(codes(problems).sort()).toEqual(
      ['account_required', 'group_by_required', 'location_required', 'max_return_count_invalid'].sort(),
    );
  });

  it('reports a rule once even when several groups break it', () => {
    const req = withInclude([
      geo,
      { titles: ['urn:li:title:1'] },
      { seniorities: ['urn:li:seniority:1'] },
      { seniorities: ['urn:li:seniority:2'] },
    ]);
    expect(codes(validateInsightsRequest(req)).filter((c) => c === 'seniorities_with_titles')).toHaveLength(1);
  });

  it('names the facet in words and says how many to remove', () => {
    const [problem] = validateInsightsRequest(withInclude([geo, { skills: urns('skill', 104) }]));
    expect(problem!.message).toBe('Skills has 104 values; LinkedIn accepts at most 100. Remove 4 of them.');
  });

  it('treats input that is not an object as an empty request', () => {
    for (const input of [undefined, null, 42, 'audience', [], [docSample]]) {
      expect(codes(validateInsightsRequest(input)).sort()).toEqual(
        ['account_required', 'criteria_required', 'group_by_required'].sort(),
      );
    }
  });

  it('buildInsightsRequestBody throws InvalidQueryError carrying the problems', () => {
    const error = (() => {
      try {
        buildInsightsRequestBody({ ...docSample, groupBy: 'genders' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidQueryError);
    expect((error as InvalidQueryError).problems).toEqual([expect.objectContaining({ code: 'group_by_invalid' })]);
  });
});

describe('conversion between drafts and wire criteria', () => {
  it('converts names to facet URNs, drops empty facets, and removes duplicate values', () => {
    expect(
      draftToCriteria({
        include: [{ locations: ['urn:li:geo:1', 'urn:li:geo:1'], skills: [] }, {}],
        exclude: { seniorities: ['urn:li:seniority:1'] },
      }),
    ).toEqual({
      include: { and: [{ or: { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:1'] } }] },
      exclude: { or: { 'urn:li:adTargetingFacet:seniorities': ['urn:li:seniority:1'] } },
    });
  });

  it('merges a facet given both by name and by URN in one group', () => {
    expect(
      draftToCriteria({
        include: [{ skills: ['urn:li:skill:1'], 'urn:li:adTargetingFacet:skills': ['urn:li:skill:2'] }],
      }),
    ).toEqual({
      include: { and: [{ or: { 'urn:li:adTargetingFacet:skills': ['urn:li:skill:1', 'urn:li:skill:2'] } }] },
    });
  });

  it('leaves exclude out when it is empty', () => {
    expect(draftToCriteria({ include: [geo], exclude: {} })).toEqual({
      include: { and: [{ or: { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:103644278'] } }] },
    });
  });

  const facetKey = fc.constantFrom(...TARGETING_FACETS.map((f) => f.name));
  const urn = fc.stringMatching(/^urn:li:[a-z]{1,6}:[0-9]{1,4}$/);
  const group = fc.dictionary(facetKey, fc.uniqueArray(urn, { minLength: 1, maxLength: 4 }), {
    minKeys: 1,
    maxKeys: 3,
  });
  const draft = fc.record(
    { include: fc.array(group, { minLength: 1, maxLength: 4 }), exclude: group },
    { requiredKeys: ['include'] },
  );

  it('draft → wire → draft gives the draft back', () => {
    fc.assert(
      fc.property(draft, (d) => {
        expect(criteriaToDraft(draftToCriteria(d))).toEqual(d);
      }),
    );
  });

  it('a draft and its wire form get the same problems', () => {
    fc.assert(
      fc.property(draft, (d) => {
        const asDraft = validateInsightsRequest({ ...withInclude([]), criteria: d });
        const asWire = validateInsightsRequest({ ...withInclude([]), criteria: draftToCriteria(d) });
        expect(codes(asWire)).toEqual(codes(asDraft));
      }),
    );
  });
});

describe('the validator never throws', () => {
  const FIELDS = new Set(['account', 'include', 'exclude', 'groupBy', 'orderBy', 'maxReturnCount']);
  const wellFormed = (problems: Problem[]) => {
    expect(Array.isArray(problems)).toBe(true);
    for (const p of problems) {
      expect(typeof p.code).toBe('string');
      expect(FIELDS.has(p.field)).toBe(true);
      expect(typeof p.message).toBe('string');
      expect(p.message.length).toBeGreaterThan(10);
    }
  };

  it('for anything at all', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withBigInt: true,
          withBoxedValues: true,
          withDate: true,
          withMap: true,
          withSet: true,
          withNullPrototype: true,
          withObjectString: true,
          withSparseArray: true,
          withTypedArray: true,
          withUnicodeString: true,
        }),
        (input) => wellFormed(validateInsightsRequest(input)),
      ),
      { numRuns: 1000 },
    );
  });

  it('for anything in each field of an otherwise plausible request', () => {
    const anything = fc.anything({ withNullPrototype: true, withSparseArray: true, withBigInt: true });
    const values = fc.oneof(
      fc.array(fc.oneof(fc.constantFrom('urn:li:geo:1', 'urn:li:skill:2', ''), anything)),
      anything,
    );
    const key = fc.oneof(
      fc.constantFrom(
        ...TARGETING_FACETS.map((f) => f.name),
        'urn:li:adTargetingFacet:titles',
        '__proto__',
        'constructor',
      ),
      fc.string(),
    );
    const group = fc.oneof(fc.dictionary(key, values, { maxKeys: 4 }), anything);
    const criteria = fc.oneof(
      fc.record(
        { include: fc.oneof(fc.array(group, { maxLength: 4 }), anything), exclude: fc.oneof(group, anything) },
        { requiredKeys: [] },
      ),
      fc.record(
        { include: fc.record({ and: fc.array(fc.record({ or: group })) }), exclude: fc.record({ or: group }) },
        { requiredKeys: [] },
      ),
      anything,
    );
    const request = fc.record(
      {
        accountUrn: fc.oneof(fc.constant(ACCOUNT), anything),
        criteria,
        groupBy: fc.oneof(
          fc.constantFrom(...GROUP_BY_FACETS.map((f) => f.name), ...GROUP_BY_FACETS.map((f) => f.urn)),
          anything,
        ),
        orderBy: fc.oneof(fc.constantFrom('AUDIENCE_PERCENTAGE', 'HIERARCHICAL'), anything),
        maxReturnCount: fc.oneof(fc.integer({ min: -5, max: 120 }), anything),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(request, (input) => {
        const problems = validateInsightsRequest(input);
        wellFormed(problems);
        // Whatever passes must build a body within the documented limits.
        if (problems.length === 0) {
          const { request: body } = buildInsightsRequestBody(input);
          expect(GROUP_BY_FACETS.some((f) => f.urn === body.groupBy)).toBe(true);
          expect(body.maxReturnCount).toBeGreaterThanOrEqual(1);
          expect(body.maxReturnCount).toBeLessThanOrEqual(100);
          expect(body.targetingCriteria.include.and.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('facet names that collide with object built-ins', () => {
  it('are read as plain facet names', () => {
    const problems = validateInsightsRequest(withInclude([geo, skills, { constructor: ['python'] }]));
    expect(problems).toEqual([
      {
        code: 'values_invalid',
        field: 'include',
        message:
          'Condition group 3: some Constructor values are not LinkedIn values. Pick them from the suggestions instead of typing them.',
      },
    ]);
  });
});

describe('one mistake, one problem', () => {
  it('values typed instead of picked do not also ask for a second attribute', () => {
    expect(codes(validateInsightsRequest(withInclude([geo, { skills: ['python', 'sql'] }])))).toEqual([
      'values_invalid',
    ]);
  });
});
