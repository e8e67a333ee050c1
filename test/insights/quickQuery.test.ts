import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidQueryError } from '../../src/errors.js';
import { createFacetOptions } from '../../src/insights/facetOptions.js';
import {
  editDistance,
  findGroupByWord,
  looksLikeQuickQuery,
  parseQuickQuery,
  type QuickQueryDraft,
  type ResolvedQuickQuery,
  resolveQuickQuery,
  tokenize,
} from '../../src/insights/quickQuery.js';
import { facetUrn } from '../../src/linkedin/facets.js';
import { validateInsightsRequest } from '../../src/linkedin/targeting.js';
import { ACCOUNT, accounts, fakeLinkedIn, JAVA, PYTHON, US } from './fakes.js';

const parsed = (text: string) => {
  const { draft, problems } = parseQuickQuery(text);
  expect(problems).toEqual([]);
  return draft;
};

describe('tokenize', () => {
  it('keeps quoted text whole, with straight and curly quotes', () => {
    const words = (text: string) => tokenize(text).map((t) => t.map((p) => p.text).join(''));
    expect(words('location:"United States" skill:Python')).toEqual(['location:United States', 'skill:Python']);
    expect(words('title:“Data Engineer”  by:„Job Titles“')).toEqual(['title:Data Engineer', 'by:Job Titles']);
    expect(words('title:"unterminated value')).toEqual(['title:unterminated value']);
    expect(words('   ')).toEqual([]);
  });
});

describe('parseQuickQuery', () => {
  it('reads the example from the help text', () => {
    const draft = parsed(
      '/audience by:jobFunctions location:"United States" skill:Python skill:Java title:"Data Engineer" top:10',
    );
    expect(draft).toEqual({
      include: [
        { facet: 'locations', values: ['United States'] },
        { facet: 'skills', values: ['Python', 'Java'] },
        { facet: 'titles', values: ['Data Engineer'] },
      ],
      exclude: [],
      groupBy: facetUrn('jobFunctions'),
      top: 10,
    });
  });

  it.each([
    ['loc:Germany', 'locations'],
    ['geo:Germany', 'locations'],
    ['company:Microsoft', 'employers'],
    ['employer:Microsoft', 'employers'],
    ['industry:Software', 'industries'],
    ['function:Engineering', 'jobFunctions'],
    ['seniority:Senior', 'seniorities'],
    ['size:51-200', 'staffCountRanges'],
    ['experience:5', 'yearsOfExperienceRanges'],
    ['years:5', 'yearsOfExperienceRanges'],
    ['growth:high', 'growthRate'],
    ['interest:Cloud', 'interests'],
    ['product:CRM', 'productInterests'],
    ['language:English', 'interfaceLocales'],
    ['locale:English', 'interfaceLocales'],
    ['segment:Visitors', 'audienceMatchingSegments'],
    ['audience:Visitors', 'audienceMatchingSegments'],
    ['SKILL:Python', 'skills'],
    ['job_function:Sales', 'jobFunctions'],
  ])('%s → %s', (text, facet) => {
    expect(parsed(text).include[0]?.facet).toBe(facet);
  });

  it.each([
    ['by:function', 'jobFunctions'],
    ['by:"Job Titles"', 'titles'],
    ['by:country', 'bingCountry'],
    ['by:countries', 'bingCountry'],
    ['by:city', 'bingCity'],
    ['by:size', 'staffCountRanges'],
    ['by:urn:li:adTargetingFacet:skills', 'skills'],
    ['by:"Company Size"', 'staffCountRanges'],
  ])('%s groups by %s', (text, facet) => {
    const { draft } = parseQuickQuery(text);
    expect(draft.groupBy).toBe(facet ? facetUrn(facet) : undefined);
  });

  it('reads an unquoted two-word breakdown as one word plus a stray word', () => {
    const { draft, problems } = parseQuickQuery('by:Company Size');
    expect(draft.groupBy).toBe(facetUrn('employers'));
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/“Size”/)]);
  });

  it('OR-s repeated keys within a facet, in one group, and ignores repeats', () => {
    const draft = parsed('skill:Python skills:Java skill:python location:Germany skill:Go,Rust');
    expect(draft.include).toEqual([
      { facet: 'skills', values: ['Python', 'Java', 'Go', 'Rust'] },
      { facet: 'locations', values: ['Germany'] },
    ]);
  });

  it('does not split quoted values on commas', () => {
    expect(parsed('location:"California, United States"').include[0]?.values).toEqual(['California, United States']);
  });

  it('reads exclusions written with not: or a leading minus', () => {
    const draft = parsed('location:Germany -seniority:Unpaid not:seniority:Training not:title:"Data Analyst"');
    expect(draft.exclude).toEqual([
      { facet: 'seniorities', values: ['Unpaid', 'Training'] },
      { facet: 'titles', values: ['Data Analyst'] },
    ]);
  });

  it('accepts a space after the colon', () => {
    expect(parsed('location: "United States" skill: Python').include).toEqual([
      { facet: 'locations', values: ['United States'] },
      { facet: 'skills', values: ['Python'] },
    ]);
  });

  it('reads order and account', () => {
    expect(parsed('order:hierarchical account:"Acme Sales"')).toMatchObject({
      order: 'HIERARCHICAL',
      account: 'Acme Sales',
    });
    expect(parsed('order:share account:5001')).toMatchObject({ order: 'AUDIENCE_PERCENTAGE', account: '5001' });
  });

  it.each(['0', '101', '-1', '5.5', 'ten', ''])('rejects top:%s', (n) => {
    const { problems } = parseQuickQuery(`top:${n}`);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.field).toBe('top');
  });

  it.each([
    ['1', 1],
    ['100', 100],
  ])('accepts top:%s', (n, expected) => {
    expect(parsed(`top:${n}`).top).toBe(expected);
  });

  it('names the unknown key and lists the valid ones', () => {
    const { problems } = parseQuickQuery('skil:Python location:Germany');
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/“skil:”/);
    expect(problems[0]?.message).toMatch(/location, skill, title/);
  });

  it('explains words without a key, an unknown breakdown, a bad order and conflicting repeats', () => {
    const { problems } = parseQuickQuery('engineers in Germany by:shoe order:random by:function by:title');
    expect(problems.map((p) => p.field).sort()).toEqual(['groupBy', 'groupBy', 'order', 'text']);
    expect(problems.find((p) => p.field === 'text')?.message).toMatch(/“engineers in Germany”/);
  });

  it('refuses to exclude a special key and an empty value', () => {
    expect(parseQuickQuery('-by:function').problems[0]?.field).toBe('by');
    expect(parseQuickQuery('skill:').problems[0]?.message).toMatch(/needs a value/);
    expect(parseQuickQuery('not:Python').problems[0]?.field).toBe('exclude');
  });

  it('tells a quick query from a sub-command', () => {
    expect(looksLikeQuickQuery('skill:Python')).toBe(true);
    expect(looksLikeQuickQuery('help')).toBe(false);
    expect(looksLikeQuickQuery('"a:b"')).toBe(false);
  });

  it('never throws, whatever the text (property)', () => {
    const alphabet = fc.constantFrom(
      ...'ab:-"“”„ ,\t\nskill:location:by:top:not:-'.split(''),
      'skill:',
      'by:',
      'top:',
      'not:',
      '"',
      '“',
      '-',
      ':',
      ' ',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary' }),
          fc.string({ unit: 'grapheme' }),
          fc.array(alphabet).map((a) => a.join('')),
        ),
        (text) => {
          const { draft, problems } = parseQuickQuery(text);
          expect(Array.isArray(problems)).toBe(true);
          for (const f of [...draft.include, ...draft.exclude]) for (const v of f.values) expect(v.trim()).not.toBe('');
          if (draft.top !== undefined) expect(draft.top >= 1 && draft.top <= 100).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('group-by words', () => {
  it('finds facets by name, label and alias, and nothing else', () => {
    expect(findGroupByWord('Member Skills')).toBe(facetUrn('skills'));
    expect(findGroupByWord('states')).toBe(facetUrn('bingState'));
    expect(findGroupByWord('genders')).toBeUndefined();
  });
});

describe('editDistance', () => {
  it('counts edits', () => {
    expect(editDistance('pythn', 'python')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});

describe('resolveQuickQuery', () => {
  const resolve = async (text: string, extra: Partial<Parameters<typeof resolveQuickQuery>[1]> = {}) => {
    const li = fakeLinkedIn({
      segments: [
        {
          id: 71,
          account: ACCOUNT,
          name: 'Website visitors – 90d',
          approximateMemberCount: 5000,
          status: 'READY',
          type: 'RETARGETING',
        },
        {
          id: 72,
          account: ACCOUNT,
          name: 'Newsletter list',
          approximateMemberCount: 9000,
          status: 'READY',
          type: 'BULK',
        },
      ],
    });
    const draft: QuickQueryDraft = parseQuickQuery(text).draft;
    const result = await resolveQuickQuery(draft, {
      token: 'token-alice',
      linkedin: li.api,
      accounts,
      defaultAccount: ACCOUNT,
      ...extra,
    }).catch((e: unknown) => e);
    return { li, result };
  };
  const resolved = (result: unknown): ResolvedQuickQuery => {
    if (result instanceof Error) throw result;
    return result as ResolvedQuickQuery;
  };
  const problemsOf = (result: unknown) => {
    expect(result).toBeInstanceOf(InvalidQueryError);
    return (result as InvalidQueryError).problems;
  };

  it('resolves exact names to URNs, with a spec the validator accepts', async () => {
    const { result, li } = await resolve(
      'location:"united states" skill:Python skill:java -seniority:unpaid by:seniority order:hierarchical top:7',
    );
    const r = resolved(result);
    expect(r.spec).toEqual({
      accountUrn: ACCOUNT,
      criteria: {
        include: { and: [{ or: { [facetUrn('locations')]: [US] } }, { or: { [facetUrn('skills')]: [PYTHON, JAVA] } }] },
        exclude: { or: { [facetUrn('seniorities')]: ['urn:li:seniority:1'] } },
      },
      groupBy: facetUrn('seniorities'),
      orderBy: 'HIERARCHICAL',
      maxReturnCount: 7,
    });
    expect(validateInsightsRequest(r.spec)).toEqual([]);
    expect(r.resolutions).toEqual([
      { input: 'united states', facet: 'locations', urn: US, name: 'United States', excluded: false },
      { input: 'Python', facet: 'skills', urn: PYTHON, name: 'Python', excluded: false },
      { input: 'java', facet: 'skills', urn: JAVA, name: 'Java', excluded: false },
      { input: 'unpaid', facet: 'seniorities', urn: 'urn:li:seniority:1', name: 'Unpaid', excluded: true },
    ]);
    expect(r.names[PYTHON]).toBe('Python');
    expect(r.account).toEqual({ urn: ACCOUNT, name: 'Acme Marketing' });
    // Static facets come from the full listing; large ones from typeahead.
    expect(li.calls.filter((c) => c.method === 'facetEntities').map((c) => c.args[0])).toEqual([
      facetUrn('seniorities'),
    ]);
    expect(new Set(li.calls.filter((c) => c.method === 'typeahead').map((c) => c.args[0]))).toEqual(
      new Set([facetUrn('locations'), facetUrn('skills')]),
    );
    expect(new Set(li.calls.map((c) => c.token))).toEqual(new Set(['token-alice']));
  });

  it('takes a single match, and matches sizes however the dashes and commas are written', async () => {
    const { result } = await resolve('location:germ title:"senior data" size:"1001–5000" size:51-200');
    const r = result as { resolutions: Array<{ urn: string }> };
    expect(r.resolutions.map((x) => x.urn)).toEqual([
      'urn:li:geo:101282230',
      'urn:li:title:101',
      'urn:li:staffCountRange:(1001,5000)',
      'urn:li:staffCountRange:(51,200)',
    ]);
  });

  it('explains an ambiguous name with suggestions', async () => {
    const { result } = await resolve('location:Germany title:Data');
    const [problem] = problemsOf(result);
    expect(problem?.message).toBe(
      '“Data” matches several job title values. Did you mean: “Data Engineer”, “Senior Data Engineer”, “Data Scientist”, “Data Analyst”? Put the full name in quotes.',
    );
  });

  it('explains an unknown name, suggesting close ones from typeahead and from full lists', async () => {
    const { result } = await resolve('location:Germany skill:Pythn function:Enginering');
    const problems = problemsOf(result);
    expect(problems.map((p) => p.message)).toEqual([
      'No skill matches “Pythn”. Did you mean: “Python”, “Python (Programming Language)”?',
      'No job function matches “Enginering”. Did you mean: “Engineering”?',
    ]);
  });

  it('says so plainly when nothing is close', async () => {
    const { result } = await resolve('location:Germany skill:Zzzzzz');
    expect(problemsOf(result)[0]?.message).toBe('No skill matches “Zzzzzz”.');
  });

  it('accepts URNs as they are, and matched audiences by name or id', async () => {
    const { result, li } = await resolve('location:urn:li:geo:103644278 segment:newsletter segment:71');
    const r = result as { spec: { criteria: unknown }; resolutions: Array<{ name: string }> };
    expect(r.spec.criteria).toEqual({
      include: {
        and: [
          { or: { [facetUrn('locations')]: [US] } },
          { or: { [facetUrn('audienceMatchingSegments')]: ['urn:li:adSegment:72', 'urn:li:adSegment:71'] } },
        ],
      },
    });
    expect(r.resolutions.map((x) => x.name)).toEqual([
      'Location 103644278',
      'Newsletter list',
      'Website visitors – 90d',
    ]);
    expect(li.count('adSegments')).toBe(1);
  });

  it('picks the ad account by id, name or default, and asks when it cannot tell', async () => {
    expect(
      ((await resolve('location:Germany skill:Java account:5002')).result as { spec: { accountUrn: string } }).spec
        .accountUrn,
    ).toBe('urn:li:sponsoredAccount:5002');
    expect(
      ((await resolve('location:Germany skill:Java account:globex')).result as { account: { name: string } }).account
        .name,
    ).toBe('Globex');
    const ambiguous = (await resolve('location:Germany skill:Java account:acme')).result;
    expect(problemsOf(ambiguous)[0]?.message).toMatch(
      /matches several ad accounts: Acme Marketing \(5001\), Acme Sales \(5002\)/,
    );
    const none = (await resolve('location:Germany skill:Java', { defaultAccount: undefined })).result;
    expect(problemsOf(none)[0]?.message).toMatch(/Which ad account\?/);
    const one = (await resolve('location:Germany skill:Java', { defaultAccount: undefined, accounts: [accounts[2]!] }))
      .result;
    expect((one as { account: { urn: string } }).account.urn).toBe('urn:li:sponsoredAccount:6001');
  });

  it('reports every problem at once, including an impossible order and a missing audience', async () => {
    const problems = problemsOf((await resolve('-skill:Java by:title order:hierarchical')).result);
    expect(problems.map((p) => p.field).sort()).toEqual(['criteria', 'order']);
  });

  it('uses the shared option cache across calls', async () => {
    const li = fakeLinkedIn();
    const facetOptions = createFacetOptions({ linkedin: li.api });
    for (let i = 0; i < 3; i++) {
      await resolveQuickQuery(parseQuickQuery('location:Germany function:Sales').draft, {
        token: `token-${i}`,
        linkedin: li.api,
        accounts,
        defaultAccount: ACCOUNT,
        facetOptions,
      });
    }
    expect(li.count('facetEntities')).toBe(1);
  });

  it('defaults the breakdown and the number of segments', async () => {
    const { result } = await resolve('location:Germany skill:Java');
    expect((result as { spec: object }).spec).toMatchObject({
      groupBy: facetUrn('jobFunctions'),
      maxReturnCount: 5,
      orderBy: 'AUDIENCE_PERCENTAGE',
    });
  });
});
