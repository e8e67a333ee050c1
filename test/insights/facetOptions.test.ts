import { describe, expect, it } from 'vitest';
import { createFacetOptions, filterOptions, MAX_OPTIONS } from '../../src/insights/facetOptions.js';
import type { LinkedInApi } from '../../src/linkedin/api.js';
import { facetUrn } from '../../src/linkedin/facets.js';
import type { TargetingEntity } from '../../src/linkedin/types.js';
import { fakeLinkedIn, manualClock } from './fakes.js';

describe('facet options', () => {
  it('lists a small facet once and shares it across users until the TTL passes', async () => {
    const li = fakeLinkedIn();
    const clock = manualClock();
    const options = createFacetOptions({ linkedin: li.api, now: clock.now, staticTtlMs: 60_000 });
    const seniorities = facetUrn('seniorities');

    const [a, b] = await Promise.all([
      options.staticOptions('token-a', seniorities),
      options.staticOptions('token-b', seniorities),
    ]);
    expect(a).toEqual(b);
    expect(a.map((e) => e.name)).toEqual(['Unpaid', 'Entry', 'Senior', 'Manager']);
    await options.staticOptions('token-c', seniorities);
    expect(li.count('facetEntities')).toBe(1);

    clock.advance(60_000);
    await options.staticOptions('token-c', seniorities);
    expect(li.count('facetEntities')).toBe(2);
    expect(li.tokensOf('facetEntities')).toEqual(['token-a', 'token-c']);
  });

  it('does not cache a failed listing', async () => {
    const li = fakeLinkedIn();
    let fail = true;
    const facetEntities: LinkedInApi['facetEntities'] = async (token, facet, opts) => {
      if (fail) throw new Error('LinkedIn is down');
      return li.api.facetEntities(token, facet, opts);
    };
    const options = createFacetOptions({ linkedin: { ...li.api, facetEntities } });
    await expect(options.staticOptions('t', facetUrn('jobFunctions'))).rejects.toThrow('down');
    fail = false;
    expect(await options.staticOptions('t', facetUrn('jobFunctions'))).toHaveLength(6);
  });

  it('filters small facets locally: prefix first, then word prefix, then anywhere', async () => {
    const li = fakeLinkedIn();
    const options = createFacetOptions({ linkedin: li.api });
    const found = await options.suggest('t', facetUrn('jobFunctions'), 'm');
    expect(found.map((o) => o.name)).toEqual(['Marketing', 'Media and Communication']);
    expect((await options.suggest('t', facetUrn('jobFunctions'), 'tech')).map((o) => o.name)).toEqual([
      'Information Technology',
    ]);
    expect(await options.suggest('t', facetUrn('jobFunctions'), '')).toHaveLength(6);
    expect(li.count('typeahead')).toBe(0);
  });

  it('asks LinkedIn’s typeahead for large facets, caches the answer, and skips empty text', async () => {
    const li = fakeLinkedIn();
    const options = createFacetOptions({ linkedin: li.api });
    expect(await options.suggest('t', facetUrn('skills'), '  ')).toEqual([]);
    expect(li.count()).toBe(0);

    const first = await options.suggest('t1', facetUrn('skills'), 'Java');
    expect(first).toEqual([
      { urn: 'urn:li:skill:19', name: 'Java' },
      { urn: 'urn:li:skill:20', name: 'JavaScript' },
    ]);
    expect(await options.suggest('t2', facetUrn('skills'), ' java ', { limit: 1 })).toEqual([first[0]]);
    expect(li.count('typeahead')).toBe(1);
    expect(li.calls[0]?.args).toEqual([facetUrn('skills'), 'Java', { count: MAX_OPTIONS }]);
  });

  it('dedupes by URN and caps at 100 options', async () => {
    const many: TargetingEntity[] = Array.from({ length: 150 }, (_, i) => ({
      urn: `urn:li:title:${i % 120}`,
      name: `Engineer ${i}`,
      facetUrn: facetUrn('titles'),
    }));
    const options = createFacetOptions({
      linkedin: { facetEntities: async () => [], typeahead: async () => many },
    });
    const found = await options.suggest('t', facetUrn('titles'), 'eng', { limit: 500 });
    expect(found).toHaveLength(100);
    expect(new Set(found.map((o) => o.urn)).size).toBe(100);
  });

  it('loads every small facet for a modal, as {urn, name} by facet name, leaving out a list that fails', async () => {
    const li = fakeLinkedIn();
    const facetEntities: LinkedInApi['facetEntities'] = async (token, facet, opts) => {
      if (facet === facetUrn('staffCountRanges')) throw new Error('LinkedIn is down');
      return li.api.facetEntities(token, facet, opts);
    };
    const options = createFacetOptions({ linkedin: { ...li.api, facetEntities } });
    const all = await options.allStaticOptions('t');
    expect(all.seniorities?.[0]).toEqual({ urn: 'urn:li:seniority:1', name: 'Unpaid' });
    expect(all.jobFunctions).toHaveLength(6);
    expect(all.staffCountRanges).toBeUndefined();
    expect(all.skills).toBeUndefined();
    expect(Object.keys(all).sort()).toEqual(
      [
        'ageRanges',
        'genders',
        'growthRate',
        'interfaceLocales',
        'jobFunctions',
        'seniorities',
        'yearsOfExperienceRanges',
      ].sort(),
    );
  });

  it('filterOptions ignores case and accents', () => {
    const list = [
      { urn: 'a', name: 'Émile Zola' },
      { urn: 'b', name: 'Zola Émile' },
      { urn: 'c', name: 'Dezolation' },
    ];
    expect(filterOptions(list, 'emile').map((o) => o.urn)).toEqual(['a', 'b']);
    expect(filterOptions(list, 'ZOLA').map((o) => o.urn)).toEqual(['b', 'a', 'c']);
  });
});
