/**
 * The sandbox's typeahead with a very long query: one matcher folds and splits the query once for the whole
 * catalog and checks each distinct query word once, and ranks exactly as typeaheadRank does name by name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TargetingEntity } from '../../src/linkedin/types.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { typeaheadMatcher, typeaheadRank } from '../../src/sandbox/resources/entities.js';
import { type Api, restliEncode, sandboxWithApi } from './helpers.js';

let sandbox: Sandbox;
let api: Api;
beforeAll(async () => {
  ({ sandbox, api } = await sandboxWithApi());
});
afterAll(() => sandbox.close());

const NAMES = ['Python', 'Python Development', 'Senior Software Engineer', 'Cybersecurity', 'Accounting', 'São Paulo'];

describe('typeaheadMatcher', () => {
  it('ranks like typeaheadRank', () => {
    for (const query of ['python', 'pyth', 'soft eng', 'security', 'xyz', 'sao paulo', '', '  ', 'eng eng eng']) {
      const rankOf = typeaheadMatcher(query);
      for (const name of NAMES) expect(rankOf(name), `${name} / ${query}`).toBe(typeaheadRank(name, query));
    }
  });

  it('reads a query of one word repeated as that word, at rank 2 (every word starts a word of the name)', () => {
    const rankOf = typeaheadMatcher('soft '.repeat(12_000));
    expect(rankOf('Senior Software Engineer')).toBe(2);
    expect(rankOf('Accounting')).toBeUndefined();
  });
});

describe('q=typeahead with a 60,000-character query', () => {
  it('answers (tunneled, as LinkedIn’s client sends it) with the names every word matches, paged', async () => {
    const query = 'java '.repeat(12_000);
    // Percent-encoded as LinkedIn's client does (a `+` would be part of a word, as in "C++").
    const body = `q=typeahead&facet=${restliEncode('urn:li:adTargetingFacet:skills')}&query=${restliEncode(query)}&queryVersion=QUERY_USES_URNS&count=100`;
    const res = await api.call('/rest/adTargetingEntities', {
      method: 'POST',
      headers: { 'X-HTTP-Method-Override': 'GET', 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const { elements } = (await res.json()) as { elements: TargetingEntity[] };
    expect(elements.length).toBeGreaterThan(0);
    expect(elements.length).toBeLessThanOrEqual(100);
    expect(elements.map((e) => e.name)).toContain('Java');
    for (const e of elements) expect(e.name.toLowerCase()).toMatch(/(^|[^\p{L}\p{N}+#&.])java/u);
  });
});
