import { describe, expect, it } from 'vitest';
import { describeAudience, entityLabel, facetLabel, fallbackLabel } from '../../src/insights/describe.js';
import { facetUrn } from '../../src/linkedin/facets.js';
import { JAVA, PYTHON, spec, US } from './fakes.js';

describe('describeAudience', () => {
  it('describes groups, exclusions, account and breakdown with labels and names', () => {
    const names = { [US]: 'United States', [PYTHON]: 'Python', 'urn:li:seniority:1': 'Unpaid' };
    const d = describeAudience(spec(), names, { accountName: 'Acme Marketing' });

    expect(d.account).toEqual({ urn: 'urn:li:sponsoredAccount:5001', id: '5001', label: 'Acme Marketing' });
    expect(d.include).toEqual([
      {
        facets: [
          {
            facetUrn: facetUrn('locations'),
            facet: 'locations',
            label: 'Locations',
            values: [{ urn: US, name: 'United States' }],
          },
        ],
      },
      {
        facets: [
          {
            facetUrn: facetUrn('skills'),
            facet: 'skills',
            label: 'Skills',
            values: [
              { urn: PYTHON, name: 'Python' },
              { urn: JAVA, name: 'Skill 19' },
            ],
          },
        ],
      },
    ]);
    expect(d.exclude).toEqual([
      {
        facetUrn: facetUrn('seniorities'),
        facet: 'seniorities',
        label: 'Seniorities',
        values: [{ urn: 'urn:li:seniority:1', name: 'Unpaid' }],
      },
    ]);
    expect(d.groupBy).toEqual({ urn: facetUrn('jobFunctions'), facet: 'jobFunctions', label: 'Job Functions' });
    expect(d).toMatchObject({ orderBy: 'AUDIENCE_PERCENTAGE', maxReturnCount: 5 });
    expect(d.summary).toBe('Locations: United States · Skills: Python or Skill 19 · excluding Seniorities: Unpaid');
  });

  it('labels the account by id when its name is not known, and OR-ed facets inside one group', () => {
    const d = describeAudience(
      spec({
        criteria: {
          include: {
            and: [{ or: { [facetUrn('locations')]: [US], [facetUrn('profileLocations')]: ['urn:li:geo:101282230'] } }],
          },
        },
        groupBy: facetUrn('bingCountry'),
      }),
      {},
    );
    expect(d.account.label).toBe('Ad account 5001');
    expect(d.exclude).toEqual([]);
    expect(d.include[0]?.facets.map((f) => f.label)).toEqual(['Locations', 'Profile locations']);
    expect(d.groupBy.label).toBe('Countries/Regions');
    expect(d.summary).toBe('Locations: Location 103644278 or Profile locations: Location 101282230');
  });
});

describe('fallback labels', () => {
  it.each([
    ['urn:li:skill:17', 'Skill 17'],
    ['urn:li:function:4', 'Job function 4'],
    ['urn:li:geo:103644278', 'Location 103644278'],
    ['urn:li:organization:1035', 'Company 1035'],
    ['urn:li:adSegment:77', 'Matched audience 77'],
    ['urn:li:staffCountRange:(1,1)', 'Self-employed (1 employee)'],
    ['urn:li:staffCountRange:(11,50)', '11–50 employees'],
    ['urn:li:staffCountRange:(10001,2147483647)', '10,001+ employees'],
    ['urn:li:growthRate:(-2147483647,0)', 'Shrinking (below 0%)'],
    ['urn:li:growthRate:(3,10)', 'Growing 3–10%'],
    ['urn:li:growthRate:(20,2147483647)', 'Growing more than 20%'],
    ['urn:li:yearsOfExperience:1', '1 year'],
    ['urn:li:yearsOfExperience:5', '5 years'],
    ['urn:li:yearsOfExperience:12', '12+ years'],
    ['urn:li:locale:en_US', 'English (United States)'],
    ['urn:li:productInterest:9', 'Product interest 9'],
    ['urn:li:someNewType:3', 'Some new type 3'],
    ['not-a-urn', 'not-a-urn'],
  ])('%s → %s', (urn, label) => {
    expect(fallbackLabel(urn)).toBe(label);
  });

  it('prefers LinkedIn’s name, and ignores a blank one', () => {
    expect(entityLabel('urn:li:skill:17', { 'urn:li:skill:17': 'Python' })).toBe('Python');
    expect(entityLabel('urn:li:skill:17', { 'urn:li:skill:17': ' ' })).toBe('Skill 17');
    expect(entityLabel('urn:li:skill:17', undefined)).toBe('Skill 17');
  });

  it('labels facets by URN or name, and unknown facets readably', () => {
    expect(facetLabel(facetUrn('staffCountRanges'))).toBe('Company sizes');
    expect(facetLabel('bingCity')).toBe('Cities');
    expect(facetLabel(facetUrn('memberBehaviors'))).toBe('Member behaviors');
  });
});
