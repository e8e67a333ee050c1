/**
 * Targeting criteria: structure validation and the documented rules (Audience Insights "Validations and Minimum
 * Requirements", reference §5.6 facet combinations). Problems are returned as data; each endpoint decides the
 * status (422 for insights, 400 elsewhere).
 */
import type { Catalog } from './catalog.js';
import { type FacetDef, findFacet, indexOfEntity } from './facet-table.js';

export interface FacetClause {
  facet: FacetDef;
  values: string[];
}

export interface ParsedCriteria {
  /** AND of OR-groups. */
  include: FacetClause[][];
  /** OR. */
  exclude: FacetClause[];
}

export interface Problem {
  kind: 'structure' | 'rule';
  message: string;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function parseOr(raw: unknown, path: string, catalog: Catalog, problems: Problem[]): FacetClause[] {
  const structure = (message: string) => problems.push({ kind: 'structure', message });
  if (!isPlainObject(raw)) {
    structure(`${path} must be an object of facet URN → list of entity URNs`);
    return [];
  }
  const clauses: FacetClause[] = [];
  for (const [facetUrn, values] of Object.entries(raw)) {
    const facet = findFacet(facetUrn);
    if (!facet) {
      structure(`${path}: unknown or unsupported targeting facet ${JSON.stringify(facetUrn)}`);
      continue;
    }
    if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === 'string')) {
      structure(`${path}["${facetUrn}"] must be a non-empty list of entity URNs`);
      continue;
    }
    if (values.length > facet.maxValues) {
      structure(`${path}["${facetUrn}"] has ${values.length} values; at most ${facet.maxValues} are allowed`);
    }
    for (const value of values) {
      if (!facet.valuePattern.test(value)) {
        structure(`${path}["${facetUrn}"]: ${JSON.stringify(value)} is not a valid value for ${facet.name}`);
      } else if (facet.closed && facet.kind !== 'segment' && indexOfEntity(catalog, facet.kind, value) < 0) {
        structure(`${path}["${facetUrn}"]: unknown ${facet.name} value ${value}`);
      }
    }
    clauses.push({ facet, values: values as string[] });
  }
  if (clauses.length === 0 && Object.keys(raw).length === 0) structure(`${path} must name at least one facet`);
  return clauses;
}

function onlyKeys(raw: Record<string, unknown>, allowed: readonly string[], path: string, problems: Problem[]): void {
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key))
      problems.push({ kind: 'structure', message: `${path} has an unknown field ${JSON.stringify(key)}` });
  }
}

/** Parses `{include:{and:[{or:{…}}]}, exclude?:{or:{…}}}` (JSON body or decoded Rest.li, same shape). */
export function parseTargetingCriteria(
  raw: unknown,
  catalog: Catalog,
  path = 'targetingCriteria',
): { criteria: ParsedCriteria; problems: Problem[] } {
  const problems: Problem[] = [];
  const criteria: ParsedCriteria = { include: [], exclude: [] };
  if (!isPlainObject(raw)) {
    problems.push({ kind: 'structure', message: `${path} is required and must be an object with an include clause` });
    return { criteria, problems };
  }
  onlyKeys(raw, ['include', 'exclude'], path, problems);
  const include = raw.include;
  if (!isPlainObject(include)) {
    problems.push({ kind: 'structure', message: `${path}.include is required` });
  } else {
    onlyKeys(include, ['and'], `${path}.include`, problems);
    const and = include.and;
    if (!Array.isArray(and) || and.length === 0) {
      problems.push({ kind: 'structure', message: `${path}.include.and must be a non-empty list of {or: …} clauses` });
    } else {
      and.forEach((group, i) => {
        const groupPath = `${path}.include.and[${i}]`;
        if (!isPlainObject(group) || !('or' in group)) {
          problems.push({ kind: 'structure', message: `${groupPath} must be an object {or: {facet: [values]}}` });
          return;
        }
        onlyKeys(group, ['or'], groupPath, problems);
        criteria.include.push(parseOr(group.or, `${groupPath}.or`, catalog, problems));
      });
    }
  }
  if (raw.exclude !== undefined) {
    if (!isPlainObject(raw.exclude)) {
      problems.push({ kind: 'structure', message: `${path}.exclude must be an object {or: {facet: [values]}}` });
    } else {
      onlyKeys(raw.exclude, ['or'], `${path}.exclude`, problems);
      if (raw.exclude.or !== undefined)
        criteria.exclude = parseOr(raw.exclude.or, `${path}.exclude.or`, catalog, problems);
    }
  }
  problems.push(...combinationProblems(criteria));
  return { criteria, problems };
}

const groupHas = (group: FacetClause[], names: readonly string[]): boolean =>
  group.some((c) => names.includes(c.facet.name));

/** Two facets in different include clauses (AND-ed). */
function andedAcrossGroups(c: ParsedCriteria, a: readonly string[], b: readonly string[]): boolean {
  return c.include.some((g1, i) => groupHas(g1, a) && c.include.some((g2, j) => j !== i && groupHas(g2, b)));
}

/** Facet combinations LinkedIn does not accept in targeting (reference §5.6, Audience Insights validations). */
function combinationProblems(c: ParsedCriteria): Problem[] {
  const problems: Problem[] = [];
  const rule = (message: string) => problems.push({ kind: 'rule', message });
  if (andedAcrossGroups(c, ['seniorities'], ['titles'])) {
    rule('Seniorities may not be AND-ed with job titles in the include clause');
  }
  if (andedAcrossGroups(c, ['jobFunctions'], ['titles'])) {
    rule('Job functions may not be AND-ed with job titles in the include clause');
  }
  if (andedAcrossGroups(c, ['industries', 'staffCountRanges'], ['employers'])) {
    rule('Company industries and company sizes may not be AND-ed with included company names (employers)');
  }
  if (andedAcrossGroups(c, ['dynamicSegments'], ['interests', 'memberBehaviors'])) {
    rule('Dynamic segments may not be AND-ed with member interests or behaviors');
  }
  for (const clause of c.exclude) {
    if (clause.facet.includeOnly) rule(`${clause.facet.name} can only be included, not excluded`);
  }
  return problems;
}

/**
 * The Audience Insights minimum: a location clause and a second attribute other than age, gender or interface
 * language — unless a matched audience or dynamic segment is included.
 */
export function insightsRequirementProblems(c: ParsedCriteria): Problem[] {
  if (c.include.some((g) => g.some((clause) => clause.facet.matched))) return [];
  const problems: Problem[] = [];
  const geoGroup = c.include.findIndex((g) => g.length > 0 && g.every((clause) => clause.facet.geo));
  if (geoGroup < 0) {
    problems.push({
      kind: 'rule',
      message:
        'The targeting criteria must include a location: an include clause with urn:li:adTargetingFacet:locations or urn:li:adTargetingFacet:profileLocations',
    });
  }
  const hasSecond = c.include.some(
    (g, i) => i !== geoGroup && g.some((clause) => !clause.facet.geo && !clause.facet.demographic),
  );
  if (!hasSecond) {
    problems.push({
      kind: 'rule',
      message:
        'The targeting criteria need a second targeting attribute besides the location; age ranges, genders and interface locales do not count',
    });
  }
  return problems;
}

export const describeProblems = (problems: readonly Problem[]): string => problems.map((p) => p.message).join('; ');
