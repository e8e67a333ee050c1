/**
 * Values a person can pick for a targeting facet: full lists of the small facets (job functions, seniorities,
 * company sizes…) and typeahead for the large ones. Entity names are public LinkedIn data, the same for every
 * member, so both caches are shared across users; only the call that fills them uses the asker's token.
 */
import type { LinkedInApi } from '../linkedin/api.js';
import { findTargetingFacet, TARGETING_FACETS } from '../linkedin/facets.js';
import type { TargetingEntity } from '../linkedin/types.js';
import { type CacheLookup, createTtlCache } from './ttlCache.js';

export interface FacetOption {
  urn: string;
  name: string;
}

/** Slack's cap on the options of one external select. */
export const MAX_OPTIONS = 100;
/**
 * How much of what a person typed a typeahead looks at. No facet value's name comes near it, and Slack sends
 * whatever the field holds (a pasted page, or a forged payload of any size), which would otherwise be normalized,
 * compared with every name of a list, sent to LinkedIn and kept as a cache key.
 */
export const MAX_TYPEAHEAD_QUERY = 100;

/** What a typeahead is asked with: the typed text's first MAX_TYPEAHEAD_QUERY characters; not text → ''. */
export function typeaheadText(query: unknown): string {
  if (typeof query !== 'string') return '';
  let head = query.trimStart().slice(0, MAX_TYPEAHEAD_QUERY);
  // Cutting may leave half of a surrogate pair, which cannot be URL-encoded for LinkedIn.
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
  return head;
}

/** Full listings are paged; the small facets have a few dozen values, so one page is plenty. */
const STATIC_PAGE = 500;

export interface FacetOptions {
  /** Whether the facet's values come from a full listing rather than a typeahead. */
  isStatic(facetUrn: string): boolean;
  /** Every value of a small facet, from LinkedIn's full listing (`q=adTargetingFacet`), cached. */
  staticOptions(token: string, facetUrn: string): Promise<TargetingEntity[]>;
  /**
   * Every small facet's full list, keyed by facet short name (`seniorities` → options), for a modal's static
   * selects. A list LinkedIn fails to give is left out, so that facet falls back to the typeahead.
   */
  allStaticOptions(token: string): Promise<Partial<Record<string, FacetOption[]>>>;
  /**
   * Options for a typeahead (Slack `block_suggestion`): the small facets are filtered locally, the large ones
   * ask LinkedIn's typeahead. Deduplicated by URN, at most `limit` (≤ 100). Only the first MAX_TYPEAHEAD_QUERY
   * characters of `query` are used.
   */
  suggest(token: string, facetUrn: string, query: string, opts?: { limit?: number }): Promise<FacetOption[]>;
  clear(): void;
}

export interface FacetOptionsDeps {
  linkedin: Pick<LinkedInApi, 'facetEntities' | 'typeahead'>;
  now?: () => number;
  /** How long a full listing is kept; the lists change rarely. Default 6 hours. */
  staticTtlMs?: number;
  /** How long one typeahead answer is kept. Default 10 minutes. */
  typeaheadTtlMs?: number;
  maxTypeaheadQueries?: number;
  /** Told the result of every look-up in the two caches (for hit/miss metrics). */
  onCacheEvent?: (cache: 'facet_lists' | 'facet_typeahead', result: CacheLookup) => void;
}

/** Lower-case, accents stripped, spaces collapsed: how names are compared with what a person typed. */
export const normalizeName = (s: string): string =>
  s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

const dedupe = (options: FacetOption[], limit: number): FacetOption[] => {
  const seen = new Set<string>();
  const out: FacetOption[] = [];
  for (const o of options) {
    if (out.length >= limit) break;
    if (!o.urn || seen.has(o.urn)) continue;
    seen.add(o.urn);
    out.push({ urn: o.urn, name: o.name });
  }
  return out;
};

/**
 * Local filtering of a full list: names starting with the query first, then a word starting with it, then
 * (from three characters on, where it stops being noise) names containing it anywhere.
 */
export function filterOptions(options: readonly FacetOption[], query: string): FacetOption[] {
  const q = normalizeName(typeaheadText(query));
  if (q === '') return [...options];
  const ranked: Array<{ option: FacetOption; rank: number; index: number }> = [];
  options.forEach((option, index) => {
    const name = normalizeName(option.name);
    const rank = name.startsWith(q) ? 0 : name.split(/[^\p{L}\p{N}]+/u).some((w) => w.startsWith(q)) ? 1 : 2;
    if (rank < 2 || (q.length >= 3 && name.includes(q))) ranked.push({ option, rank, index });
  });
  return ranked.sort((a, b) => a.rank - b.rank || a.index - b.index).map((r) => r.option);
}

export function createFacetOptions(deps: FacetOptionsDeps): FacetOptions {
  const now = deps.now ?? Date.now;
  const lists = createTtlCache<TargetingEntity[]>({
    max: 64,
    ttlMs: deps.staticTtlMs ?? 6 * 3_600_000,
    now,
    onLookup: (result) => deps.onCacheEvent?.('facet_lists', result),
  });
  const typeaheads = createTtlCache<TargetingEntity[]>({
    max: deps.maxTypeaheadQueries ?? 2_000,
    ttlMs: deps.typeaheadTtlMs ?? 10 * 60_000,
    now,
    onLookup: (result) => deps.onCacheEvent?.('facet_typeahead', result),
  });

  const isStatic = (facetUrn: string) => findTargetingFacet(facetUrn)?.picker === 'static';

  const staticOptions = (token: string, facetUrn: string) =>
    lists.getOrLoad(facetUrn, () => deps.linkedin.facetEntities(token, facetUrn, { start: 0, count: STATIC_PAGE }));

  return {
    isStatic,
    staticOptions,
    async allStaticOptions(token) {
      const facets = TARGETING_FACETS.filter((f) => f.picker === 'static');
      const lists = await Promise.allSettled(facets.map((f) => staticOptions(token, f.urn)));
      const out: Partial<Record<string, FacetOption[]>> = {};
      lists.forEach((list, i) => {
        if (list.status === 'fulfilled') out[facets[i]!.name] = dedupe(list.value, Number.POSITIVE_INFINITY);
      });
      return out;
    },
    async suggest(token, facetUrn, typed, opts = {}) {
      const query = typeaheadText(typed);
      const limit = Math.min(MAX_OPTIONS, Math.max(1, Math.floor(opts.limit ?? MAX_OPTIONS)));
      if (isStatic(facetUrn)) {
        return dedupe(filterOptions(await staticOptions(token, facetUrn), query), limit);
      }
      const q = normalizeName(query);
      if (q === '') return [];
      // Asked with the largest page once, so a narrower `limit` for the same text reuses the answer.
      const found = await typeaheads.getOrLoad(`${facetUrn}\u0000${q}`, () =>
        deps.linkedin.typeahead(token, facetUrn, query.trim(), { count: MAX_OPTIONS }),
      );
      return dedupe(found, limit);
    },
    clear() {
      lists.clear();
      typeaheads.clear();
    },
  };
}
