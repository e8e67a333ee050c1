/**
 * An audience, as a marketer would read it: facet labels instead of facet URNs and display names instead of
 * entity URNs. Plain data for the result renderer; nothing here knows about Slack.
 */
import type { AudienceQuerySpec } from '../db/types.js';
import { facetName, findGroupByFacet, findTargetingFacet } from '../linkedin/facets.js';
import type { FacetValues, SegmentsOrderedBy } from '../linkedin/types.js';

export interface DescribedValue {
  urn: string;
  name: string;
}

export interface DescribedFacet {
  facetUrn: string;
  facet: string;
  label: string;
  values: DescribedValue[];
}

/** One AND-ed group: its facets are OR-ed (LinkedIn allows several facets inside one `or`). */
export interface DescribedGroup {
  facets: DescribedFacet[];
}

export interface AudienceDescription {
  account: { urn: string; id: string; label: string };
  include: DescribedGroup[];
  exclude: DescribedFacet[];
  groupBy: { urn: string; facet: string; label: string };
  orderBy: SegmentsOrderedBy;
  maxReturnCount: number;
  /** One line, e.g. "Locations: United States · Skills: Python or Java · excluding Seniorities: Unpaid". */
  summary: string;
}

const TUPLE = /^\((-?\d+),(-?\d+)\)$/;
const INT_MAX = 2147483647;

const humanize = (camel: string): string => {
  const words = camel
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const formatNumber = (n: number) => n.toLocaleString('en-US');

const rangeLabel = (type: string, id: string): string | undefined => {
  const m = TUPLE.exec(id);
  if (!m) return undefined;
  const lo = Number(m[1]);
  const hi = Number(m[2]);
  if (type === 'staffCountRange') {
    if (lo === hi) return lo === 1 ? 'Self-employed (1 employee)' : `${formatNumber(lo)} employees`;
    if (hi >= INT_MAX) return `${formatNumber(lo)}+ employees`;
    return `${formatNumber(lo)}–${formatNumber(hi)} employees`;
  }
  if (type === 'growthRate') {
    if (lo <= -INT_MAX) return `Shrinking (below ${hi}%)`;
    if (hi >= INT_MAX) return `Growing more than ${lo}%`;
    return `Growing ${lo}–${hi}%`;
  }
  if (type === 'ageRange') return hi >= INT_MAX ? `${lo}+` : `${lo}–${hi}`;
  if (type === 'revenue') return hi >= INT_MAX ? `${formatNumber(lo)}+` : `${formatNumber(lo)}–${formatNumber(hi)}`;
  return undefined;
};

const localeLabel = (id: string): string | undefined => {
  try {
    const names = new Intl.DisplayNames(['en'], { type: 'language', languageDisplay: 'standard' });
    return names.of(id.replace('_', '-'));
  } catch {
    return undefined;
  }
};

const TYPE_LABELS: Record<string, string> = {
  function: 'Job function',
  seniority: 'Seniority',
  title: 'Job title',
  skill: 'Skill',
  industry: 'Industry',
  interest: 'Interest',
  productInterest: 'Product interest',
  organization: 'Company',
  company: 'Company',
  geo: 'Location',
  adSegment: 'Matched audience',
  sponsoredAccount: 'Ad account',
};

/**
 * A readable label for an entity URN LinkedIn did not name (unknown to `q=urns`, or the names call failed):
 * ranges and years read naturally; anything else becomes "Skill 17", "Location 103644278".
 */
export function fallbackLabel(urn: string): string {
  const m = /^urn:li:([A-Za-z]+):(.+)$/.exec(urn);
  if (!m) return urn;
  const [, type, id] = m as unknown as [string, string, string];
  const range = rangeLabel(type, id);
  if (range) return range;
  if (type === 'yearsOfExperience' && /^\d+$/.test(id)) {
    const n = Number(id);
    return n >= 12 ? '12+ years' : `${n} year${n === 1 ? '' : 's'}`;
  }
  if (type === 'locale') return localeLabel(id) ?? id;
  if (type === 'gender') return humanize(id);
  return `${TYPE_LABELS[type] ?? humanize(type)} ${id}`;
}

/** The display name of an entity: LinkedIn's, when it was resolved, else a readable fallback. */
export function entityLabel(urn: string, names: Record<string, string> | undefined): string {
  const name = names?.[urn];
  return name && name.trim() !== '' ? name : fallbackLabel(urn);
}

/** The label of a targeting or groupBy facet, from its URN or short name. */
export function facetLabel(urnOrName: string): string {
  return (
    findTargetingFacet(urnOrName)?.label ??
    findGroupByFacet(urnOrName)?.label ??
    (humanize(facetName(urnOrName)) || urnOrName)
  );
}

const describeFacets = (values: FacetValues, names: Record<string, string> | undefined): DescribedFacet[] =>
  Object.entries(values).map(([urn, entityUrns]) => ({
    facetUrn: urn,
    facet: facetName(urn),
    label: facetLabel(urn),
    values: entityUrns.map((entityUrn) => ({ urn: entityUrn, name: entityLabel(entityUrn, names) })),
  }));

const facetPhrase = (f: DescribedFacet) => `${f.label}: ${f.values.map((v) => v.name).join(' or ')}`;

export function describeAudience(
  spec: AudienceQuerySpec,
  names: Record<string, string> | undefined,
  opts: { accountName?: string } = {},
): AudienceDescription {
  const include = spec.criteria.include.and.map((group) => ({ facets: describeFacets(group.or, names) }));
  const exclude = spec.criteria.exclude ? describeFacets(spec.criteria.exclude.or, names) : [];
  const accountId = /^urn:li:sponsoredAccount:(.+)$/.exec(spec.accountUrn)?.[1] ?? spec.accountUrn;
  const groupByFacet = findGroupByFacet(spec.groupBy);

  const parts = include.map((g) => g.facets.map(facetPhrase).join(' or '));
  if (exclude.length > 0) parts.push(`excluding ${exclude.map(facetPhrase).join('; ')}`);

  return {
    account: { urn: spec.accountUrn, id: accountId, label: opts.accountName ?? `Ad account ${accountId}` },
    include,
    exclude,
    groupBy: {
      urn: spec.groupBy,
      facet: facetName(spec.groupBy),
      label: groupByFacet?.label ?? facetLabel(spec.groupBy),
    },
    orderBy: spec.orderBy,
    maxReturnCount: spec.maxReturnCount,
    summary: parts.join(' · '),
  };
}
