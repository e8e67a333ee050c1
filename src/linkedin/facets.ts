/**
 * LinkedIn targeting facets the bot knows by name: the 15 Audience Insights `groupBy` facets and the facets a
 * person can use to describe an audience.
 */

export const FACET_URN_PREFIX = 'urn:li:adTargetingFacet:';

export const facetUrn = (name: string): string => `${FACET_URN_PREFIX}${name}`;

export const facetName = (urn: string): string =>
  urn.startsWith(FACET_URN_PREFIX) ? urn.slice(FACET_URN_PREFIX.length) : urn;

export interface GroupByFacet {
  name: string;
  urn: string;
  label: string;
  /** Low-cardinality facets whose segments have a natural order; only these accept `HIERARCHICAL`. */
  hierarchical: boolean;
}

const groupBy = (name: string, label: string, hierarchical = false): GroupByFacet => ({
  name,
  urn: facetUrn(name),
  label,
  hierarchical,
});

/** The documented `groupBy` facets, in the documentation's order, with its display names. */
export const GROUP_BY_FACETS: readonly GroupByFacet[] = [
  groupBy('jobFunctions', 'Job Functions'),
  groupBy('seniorities', 'Job Seniorities', true),
  groupBy('titles', 'Job Titles'),
  groupBy('yearsOfExperienceRanges', 'Years Of Experience', true),
  groupBy('interests', 'Member Interests'),
  groupBy('productInterests', 'Member Product Interests'),
  groupBy('skills', 'Member Skills'),
  groupBy('industries', 'Company Industries'),
  groupBy('staffCountRanges', 'Company Size', true),
  groupBy('growthRate', 'Company Growth Rate', true),
  groupBy('employers', 'Company Names'),
  groupBy('bingContinent', 'Continents'),
  groupBy('bingCountry', 'Countries/Regions'),
  groupBy('bingCity', 'Cities'),
  groupBy('bingState', 'States'),
];

const groupByIndex = new Map(GROUP_BY_FACETS.flatMap((f) => [[f.urn, f] as const, [f.name, f] as const]));

/** Looks a groupBy facet up by URN or by short name. */
export const findGroupByFacet = (urnOrName: string): GroupByFacet | undefined => groupByIndex.get(urnOrName);

export type PickerKind = 'static' | 'typeahead' | 'segments';

export interface TargetingFacetInfo {
  name: string;
  urn: string;
  label: string;
  /** How a person picks values: a full list, a typeahead, or the account's matched audiences. */
  picker: PickerKind;
  /** Geography facets satisfy the "needs a location" rule. */
  geo?: boolean;
  /** Age, gender and interface language do not count as the second attribute next to a location. */
  demographicOnly?: boolean;
  /** Matched audiences and dynamic segments lift the location rule. */
  matchedAudience?: boolean;
}

const targeting = (name: string, label: string, picker: PickerKind, extra: Partial<TargetingFacetInfo> = {}) => ({
  name,
  urn: facetUrn(name),
  label,
  picker,
  ...extra,
});

/** Facets that can appear in `targetingCriteria` from the bot's modal or quick query. */
export const TARGETING_FACETS: readonly TargetingFacetInfo[] = [
  targeting('locations', 'Locations', 'typeahead', { geo: true }),
  targeting('profileLocations', 'Profile locations', 'typeahead', { geo: true }),
  targeting('interfaceLocales', 'Interface languages', 'static', { demographicOnly: true }),
  targeting('skills', 'Skills', 'typeahead'),
  targeting('titles', 'Job titles', 'typeahead'),
  targeting('jobFunctions', 'Job functions', 'static'),
  targeting('seniorities', 'Seniorities', 'static'),
  targeting('yearsOfExperienceRanges', 'Years of experience', 'static'),
  targeting('employers', 'Companies', 'typeahead'),
  targeting('industries', 'Industries', 'typeahead'),
  targeting('staffCountRanges', 'Company sizes', 'static'),
  targeting('growthRate', 'Company growth rates', 'static'),
  targeting('interests', 'Member interests', 'typeahead'),
  targeting('productInterests', 'Product interests', 'typeahead'),
  targeting('genders', 'Genders', 'static', { demographicOnly: true }),
  targeting('ageRanges', 'Age ranges', 'static', { demographicOnly: true }),
  targeting('audienceMatchingSegments', 'Matched audiences', 'segments', { matchedAudience: true }),
  targeting('dynamicSegments', 'Dynamic segments', 'segments', { matchedAudience: true }),
];

const targetingIndex = new Map(TARGETING_FACETS.flatMap((f) => [[f.urn, f] as const, [f.name, f] as const]));

export const findTargetingFacet = (urnOrName: string): TargetingFacetInfo | undefined => targetingIndex.get(urnOrName);

/** LinkedIn's required notice wherever audience insights are shown (Audience Insights integration requirements). */
export const ANTI_DISCRIMINATION_NOTICE =
  'LinkedIn tools may not be used to discriminate based on personal characteristics like gender, age, race, or ethnicity.';
export const ANTI_DISCRIMINATION_URL = 'https://www.linkedin.com/help/lms/answer/86856';
