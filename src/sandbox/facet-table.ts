/**
 * LinkedIn's targeting facets as the sandbox serves them: which finders each supports (reference §4.3), the URN
 * shape of its values (§5), and the roles facets play in the documented rules (geo, demographic-only, matched
 * audience, include-only). Also the 15 Audience Insights `groupBy` facets.
 */
import type { Catalog, NamedEntity } from './catalog.js';

export type EntityKind =
  | 'jobFunction'
  | 'seniority'
  | 'title'
  | 'years'
  | 'skill'
  | 'industry'
  | 'staffCount'
  | 'growthRate'
  | 'employer'
  | 'interest'
  | 'productInterest'
  | 'locale'
  | 'gender'
  | 'ageRange'
  | 'geo'
  | 'segment';

export type Finder = 'AD_TARGETING_FACET' | 'TYPEAHEAD' | 'SIMILAR_ENTITIES';

export interface FacetDef {
  name: string;
  urn: string;
  kind: EntityKind;
  finders: readonly Finder[];
  entityTypes: readonly string[];
  valuePattern: RegExp;
  /** Every valid value is in the catalog, so an unknown one is a validation error rather than an empty match. */
  closed: boolean;
  geo?: boolean;
  /** Age, gender and interface language: they never count as the "second attribute". */
  demographic?: boolean;
  /** Matched audiences and dynamic segments lift the location rule. */
  matched?: boolean;
  /** Cannot appear in `exclude` (§5.6). */
  includeOnly?: boolean;
  /** Values allowed per facet (§4.3: 100, employers and geos 200). */
  maxValues: number;
}

const ALL: readonly Finder[] = ['AD_TARGETING_FACET', 'TYPEAHEAD', 'SIMILAR_ENTITIES'];
const LIST: readonly Finder[] = ['AD_TARGETING_FACET'];
const LIST_TYPEAHEAD: readonly Finder[] = ['AD_TARGETING_FACET', 'TYPEAHEAD'];
const TYPEAHEAD_SIMILAR: readonly Finder[] = ['TYPEAHEAD', 'SIMILAR_ENTITIES'];

const facet = (
  name: string,
  kind: EntityKind,
  finders: readonly Finder[],
  entityTypes: readonly string[],
  valuePattern: RegExp,
  extra: Partial<FacetDef> = {},
): FacetDef => ({
  name,
  urn: `urn:li:adTargetingFacet:${name}`,
  kind,
  finders,
  entityTypes,
  valuePattern,
  closed: false,
  maxValues: 100,
  ...extra,
});

const GEO_TYPES = ['COUNTRY_GROUP', 'COUNTRY', 'STATE', 'CITY'];

export const TARGETING_FACETS: readonly FacetDef[] = [
  facet('locations', 'geo', ['TYPEAHEAD'], GEO_TYPES, /^urn:li:geo:\d+$/, { geo: true, maxValues: 200 }),
  facet('profileLocations', 'geo', ['TYPEAHEAD'], GEO_TYPES, /^urn:li:geo:\d+$/, { geo: true, maxValues: 200 }),
  facet('interfaceLocales', 'locale', LIST, ['LOCALE'], /^urn:li:locale:[a-z]{2}_[A-Z]{2}$/, {
    closed: true,
    demographic: true,
    includeOnly: true,
  }),
  facet('genders', 'gender', LIST, ['GENDER'], /^urn:li:gender:[A-Z]+$/, {
    closed: true,
    demographic: true,
    includeOnly: true,
  }),
  facet('ageRanges', 'ageRange', LIST, ['AGE_RANGE'], /^urn:li:ageRange:\(\d+,\d+\)$/, {
    closed: true,
    demographic: true,
    includeOnly: true,
  }),
  facet('jobFunctions', 'jobFunction', LIST, ['FUNCTION'], /^urn:li:function:\d+$/, { closed: true }),
  facet('seniorities', 'seniority', LIST, ['SENIORITY'], /^urn:li:seniority:\d+$/, { closed: true }),
  facet('titles', 'title', ALL, ['TITLE'], /^urn:li:title:\d+$/),
  facet('yearsOfExperienceRanges', 'years', LIST, ['YEARS_OF_EXPERIENCE'], /^urn:li:yearsOfExperience:\d+$/, {
    closed: true,
  }),
  facet('skills', 'skill', ALL, ['SKILL'], /^urn:li:skill:\d+$/),
  facet('industries', 'industry', ALL, ['INDUSTRY'], /^urn:li:industry:\d+$/),
  facet('staffCountRanges', 'staffCount', LIST, ['STAFF_COUNT_RANGE'], /^urn:li:staffCountRange:\(\d+,\d+\)$/, {
    closed: true,
  }),
  facet('growthRate', 'growthRate', LIST_TYPEAHEAD, ['GROWTH_RATE'], /^urn:li:growthRate:\(-?\d+,-?\d+\)$/, {
    closed: true,
  }),
  facet('employers', 'employer', TYPEAHEAD_SIMILAR, ['ORGANIZATION'], /^urn:li:(organization|company):\d+$/, {
    maxValues: 200,
  }),
  facet('interests', 'interest', LIST_TYPEAHEAD, ['INTEREST'], /^urn:li:interest:\d+$/),
  // Not in LinkedIn's public finder table (reference §4.3, UNCONFIRMED): served like interests.
  facet('productInterests', 'productInterest', LIST_TYPEAHEAD, ['PRODUCT_INTEREST'], /^urn:li:productInterest:\d+$/),
  facet('audienceMatchingSegments', 'segment', [], ['AD_SEGMENT'], /^urn:li:adSegment:\d+$/, { matched: true }),
  facet('dynamicSegments', 'segment', [], ['AD_SEGMENT'], /^urn:li:adSegment:\d+$/, { matched: true }),
];

const facetByUrn = new Map(TARGETING_FACETS.map((f) => [f.urn, f]));
export const findFacet = (urn: string): FacetDef | undefined => facetByUrn.get(urn);

export type GroupByKind =
  | 'jobFunction'
  | 'seniority'
  | 'title'
  | 'years'
  | 'interest'
  | 'productInterest'
  | 'skill'
  | 'industry'
  | 'staffCount'
  | 'growthRate'
  | 'employer'
  | 'continent'
  | 'country'
  | 'state'
  | 'city';

export interface GroupByDef {
  name: string;
  urn: string;
  kind: GroupByKind;
  /** Low-cardinality facets with a natural order: the only ones accepting `HIERARCHICAL`. */
  hierarchical: boolean;
}

const groupBy = (name: string, kind: GroupByKind, hierarchical = false): GroupByDef => ({
  name,
  urn: `urn:li:adTargetingFacet:${name}`,
  kind,
  hierarchical,
});

/** The documented groupBy facets, in the documentation's order. */
export const GROUP_BY_FACETS: readonly GroupByDef[] = [
  groupBy('jobFunctions', 'jobFunction'),
  groupBy('seniorities', 'seniority', true),
  groupBy('titles', 'title'),
  groupBy('yearsOfExperienceRanges', 'years', true),
  groupBy('interests', 'interest'),
  groupBy('productInterests', 'productInterest'),
  groupBy('skills', 'skill'),
  groupBy('industries', 'industry'),
  groupBy('staffCountRanges', 'staffCount', true),
  groupBy('growthRate', 'growthRate', true),
  groupBy('employers', 'employer'),
  groupBy('bingContinent', 'continent'),
  groupBy('bingCountry', 'country'),
  groupBy('bingCity', 'city'),
  groupBy('bingState', 'state'),
];

const groupByUrn = new Map(GROUP_BY_FACETS.map((g) => [g.urn, g]));
export const findGroupBy = (urn: string): GroupByDef | undefined => groupByUrn.get(urn);

/** The catalog list behind an entity kind (segments have none). */
export function entitiesOf(catalog: Catalog, kind: Exclude<EntityKind, 'segment'>): readonly NamedEntity[] {
  switch (kind) {
    case 'jobFunction':
      return catalog.functions;
    case 'seniority':
      return catalog.seniorities;
    case 'title':
      return catalog.titles;
    case 'years':
      return catalog.years;
    case 'skill':
      return catalog.skills;
    case 'industry':
      return catalog.industries;
    case 'staffCount':
      return catalog.staffCounts;
    case 'growthRate':
      return catalog.growthRates;
    case 'employer':
      return catalog.employers;
    case 'interest':
      return catalog.interests;
    case 'productInterest':
      return catalog.productInterests;
    case 'locale':
      return catalog.locales;
    case 'gender':
      return catalog.genders;
    case 'ageRange':
      return catalog.ageRanges;
    case 'geo':
      return catalog.geos;
  }
}

const indexCache = new WeakMap<Catalog, Map<string, Map<string, number>>>();

/** Position of `urn` in the kind's catalog list, or -1. Old-style `urn:li:company:N` resolves like organizations. */
export function indexOfEntity(catalog: Catalog, kind: Exclude<EntityKind, 'segment'>, urn: string): number {
  let byKind = indexCache.get(catalog);
  if (!byKind) {
    byKind = new Map();
    indexCache.set(catalog, byKind);
  }
  let map = byKind.get(kind);
  if (!map) {
    map = new Map(entitiesOf(catalog, kind).map((e, i) => [e.urn, i]));
    byKind.set(kind, map);
  }
  const key = kind === 'employer' && urn.startsWith('urn:li:company:') ? `urn:li:organization:${urn.slice(15)}` : urn;
  return map.get(key) ?? -1;
}

/** The facet a URN is shown under when resolved with `q=urns` (by URN type). */
export function facetForEntityUrn(urn: string): FacetDef | undefined {
  const type = /^urn:li:([A-Za-z]+):/.exec(urn)?.[1];
  const name = (
    {
      function: 'jobFunctions',
      seniority: 'seniorities',
      title: 'titles',
      yearsOfExperience: 'yearsOfExperienceRanges',
      skill: 'skills',
      industry: 'industries',
      staffCountRange: 'staffCountRanges',
      growthRate: 'growthRate',
      organization: 'employers',
      company: 'employers',
      interest: 'interests',
      productInterest: 'productInterests',
      locale: 'interfaceLocales',
      gender: 'genders',
      ageRange: 'ageRanges',
      geo: 'locations',
    } as Record<string, string>
  )[type ?? ''];
  return name ? findFacet(`urn:li:adTargetingFacet:${name}`) : undefined;
}
