/**
 * Small pure helpers over an `AudienceQuerySpec`: its documented request body, a tidy form (no empty groups,
 * no duplicate values), a canonical key (for caching), and the entity URNs it mentions.
 */
import type { AudienceQuerySpec } from '../db/types.js';
import type {
  AudienceInsight,
  AudienceInsightsRequestBody,
  FacetValues,
  TargetingCriteria,
} from '../linkedin/types.js';

/** The documented `audienceInsights` body for a spec. */
export function insightsRequestFor(spec: AudienceQuerySpec): AudienceInsightsRequestBody {
  return {
    request: {
      requestMetaData: { sponsoredAccount: spec.accountUrn },
      targetingCriteria: spec.criteria,
      groupBy: spec.groupBy,
      segmentsOrderedBy: spec.orderBy,
      maxReturnCount: spec.maxReturnCount,
    },
  };
}

const tidyValues = (values: FacetValues): FacetValues => {
  const out: FacetValues = {};
  for (const [facet, urns] of Object.entries(values)) {
    const unique = [...new Set((urns ?? []).filter((u) => typeof u === 'string' && u.trim() !== ''))];
    if (unique.length > 0) out[facet] = unique;
  }
  return out;
};

/** Drops empty facets, groups and an empty exclusion, and duplicate values: none of them changes the audience. */
export function tidyCriteria(criteria: TargetingCriteria): TargetingCriteria {
  const and = (criteria.include?.and ?? [])
    .map((group) => ({ or: tidyValues(group?.or ?? {}) }))
    .filter((group) => Object.keys(group.or).length > 0);
  const exclude = criteria.exclude ? tidyValues(criteria.exclude.or ?? {}) : {};
  return Object.keys(exclude).length > 0 ? { include: { and }, exclude: { or: exclude } } : { include: { and } };
}

export const tidySpec = (spec: AudienceQuerySpec): AudienceQuerySpec => ({
  ...spec,
  criteria: tidyCriteria(spec.criteria),
});

const sortedValues = (values: FacetValues): Array<[string, string[]]> =>
  Object.entries(values)
    .map(([facet, urns]): [string, string[]] => [facet, [...new Set(urns)].sort()])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * The same string for every spelling of one audience: the order of groups, of facets inside a group and of
 * values inside a facet does not change who is in it.
 */
export function canonicalSpecKey(spec: AudienceQuerySpec): string {
  const criteria = tidyCriteria(spec.criteria);
  const groups = criteria.include.and.map((g) => JSON.stringify(sortedValues(g.or))).sort();
  return JSON.stringify([
    spec.accountUrn,
    spec.groupBy,
    spec.orderBy,
    spec.maxReturnCount,
    groups,
    criteria.exclude ? sortedValues(criteria.exclude.or) : [],
  ]);
}

/** Every entity URN in the criteria (included and excluded), in first-seen order. */
export function criteriaUrns(criteria: TargetingCriteria): string[] {
  const facets = [...(criteria.include?.and ?? []).map((group) => group.or), criteria.exclude?.or ?? {}];
  return [...new Set(facets.flatMap((values) => Object.values(values).flat()))];
}

/** The URNs a result needs names for: its segments, then the audience's own values. */
export function urnsToName(spec: AudienceQuerySpec, result: AudienceInsight | undefined): string[] {
  return [...new Set([...(result?.segments ?? []).map((s) => s.value), ...criteriaUrns(spec.criteria)])];
}
