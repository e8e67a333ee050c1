/**
 * How much of a typed text a typeahead uses: the first MAX_TYPEAHEAD_QUERY characters, never half a character,
 * and nothing for a value that is not text; the facet options use no more than that, for LinkedIn and locally.
 */
import { describe, expect, it } from 'vitest';
import {
  createFacetOptions,
  filterOptions,
  MAX_TYPEAHEAD_QUERY,
  typeaheadText,
} from '../../src/insights/facetOptions.js';
import { facetUrn } from '../../src/linkedin/facets.js';
import { fakeLinkedIn } from './fakes.js';

describe('typeaheadText', () => {
  it('keeps a short text as typed, and cuts a long one to its first 100 characters', () => {
    expect(MAX_TYPEAHEAD_QUERY).toBe(100);
    expect(typeaheadText('Data Eng')).toBe('Data Eng');
    expect(typeaheadText('x'.repeat(60_000))).toBe('x'.repeat(100));
    // Leading blanks do not use up the allowance.
    expect(typeaheadText(`${' '.repeat(60_000)}python`)).toBe('python');
  });

  it('never ends on half of a surrogate pair, which could not be URL-encoded', () => {
    const cut = typeaheadText(`${'a'.repeat(99)}😀 and more`);
    expect(cut).toBe('a'.repeat(99));
    expect(() => encodeURIComponent(cut)).not.toThrow();
    expect(typeaheadText(`${'a'.repeat(98)}😀`)).toBe(`${'a'.repeat(98)}😀`);
  });

  it('reads a value that is not text (a forged payload) as no text', () => {
    for (const value of [undefined, null, 42, [], {}]) expect(typeaheadText(value)).toBe('');
  });
});

describe('facet options with a 60,000-character text', () => {
  const huge = `Java${' '.repeat(60_000)}Script`;

  it('asks LinkedIn with at most 100 characters and answers at most 100 options', async () => {
    const li = fakeLinkedIn();
    const options = createFacetOptions({ linkedin: li.api });
    const found = await options.suggest('t', facetUrn('skills'), huge, { limit: 500 });
    expect(found.length).toBeLessThanOrEqual(100);
    // Read as "Java": "Script" lies beyond the first 100 characters.
    expect(found.map((o) => o.name)).toEqual(['Java', 'JavaScript']);
    expect(li.count('typeahead')).toBe(1);
    expect(li.calls[0]!.args[1]).toBe('Java');
  });

  it('filters a full list with the first 100 characters only', async () => {
    const li = fakeLinkedIn();
    const options = createFacetOptions({ linkedin: li.api });
    const typed = `market${'\t'.repeat(60_000)}unmatched`;
    expect((await options.suggest('t', facetUrn('jobFunctions'), typed)).map((o) => o.name)).toEqual(['Marketing']);
    expect(filterOptions([{ urn: 'a', name: 'Marketing' }], typed).map((o) => o.urn)).toEqual(['a']);
    expect(li.count('typeahead')).toBe(0);
  });
});
