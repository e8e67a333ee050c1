/**
 * An audience in words: "Locations: United States or Canada, and Skills: Java, Python or Go, excluding …".
 * Include groups are AND-ed, facets inside a group and values inside a facet OR-ed, exactly as LinkedIn reads
 * the targeting criteria.
 */
import { facetName, findGroupByFacet, findTargetingFacet } from '../../linkedin/facets.js';
import type { FacetValues, TargetingCriteria } from '../../linkedin/types.js';
import { escapeMrkdwn, oneLine, truncate } from './kit.js';
import type { AudienceView, FacetValuesView } from './types.js';

const MAX_VALUES_LISTED = 8;
const MAX_VALUE_LENGTH = 60;

/** "A", "A or B", "A, B or C"; past eight values "A, B, …, H or 4 more". */
export function joinOr(values: readonly string[], max = MAX_VALUES_LISTED): string {
  const names = values.map((v) => truncate(oneLine(v), MAX_VALUE_LENGTH));
  if (names.length === 0) return '(none)';
  if (names.length > max) return `${names.slice(0, max).join(', ')} or ${names.length - max} more`;
  if (names.length === 1) return names[0]!;
  return `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

const facetPhrase = (f: FacetValuesView, format: (s: string) => string) =>
  `${format(f.facetLabel)}: ${format(joinOr(f.values))}`;

const groupPhrase = (group: readonly FacetValuesView[], format: (s: string) => string) =>
  group.map((f) => facetPhrase(f, format)).join(', or ');

/**
 * mrkdwn lines describing an audience:
 *   *Who:* Locations: United States
 *   *and* Skills: Java or Python
 *   *excluding* Seniorities: Unpaid
 */
export function describeAudienceLines(audience: AudienceView): string[] {
  const lines = audience.include.map(
    (group, i) => `${i === 0 ? '*Who:*' : '*and*'} ${groupPhrase(group, escapeMrkdwn)}`,
  );
  if (lines.length === 0) lines.push('*Who:* (no criteria)');
  if (audience.exclude.length > 0) lines.push(`*excluding* ${groupPhrase(audience.exclude, escapeMrkdwn)}`);
  return lines;
}

/** The same in one plain-text line, for notification fallbacks and alt text. */
export function describeAudiencePlain(audience: AudienceView): string {
  const keep = (s: string) => s;
  const parts = audience.include.map((group) => groupPhrase(group, keep));
  if (audience.exclude.length > 0) parts.push(`excluding ${groupPhrase(audience.exclude, keep)}`);
  return parts.length > 0 ? parts.join('; and ') : '(no criteria)';
}

/** The display label of a facet URN or short name (targeting labels first, then groupBy labels). */
export const facetDisplayLabel = (urnOrName: string): string =>
  findTargetingFacet(urnOrName)?.label ?? findGroupByFacet(urnOrName)?.label ?? facetName(urnOrName);

const facetsView = (values: FacetValues, nameOf: (urn: string) => string): FacetValuesView[] =>
  Object.entries(values).map(([urn, entities]) => ({
    facetUrn: urn,
    facetLabel: facetDisplayLabel(urn),
    values: entities.map(nameOf),
  }));

/** Builds the words-view of LinkedIn targeting criteria; `nameOf` resolves an entity URN to its display name. */
export function audienceFromCriteria(criteria: TargetingCriteria, nameOf: (urn: string) => string): AudienceView {
  return {
    include: criteria.include.and.map((group) => facetsView(group.or, nameOf)),
    exclude: criteria.exclude ? facetsView(criteria.exclude.or, nameOf) : [],
  };
}
