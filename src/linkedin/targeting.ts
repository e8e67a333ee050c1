/**
 * Targeting criteria as people describe them ("in these places, AND with these skills, but not these
 * seniorities"), the conversion to and from LinkedIn's wire `TargetingCriteria`, and the one validator of an
 * Audience Insights request. The validator is pure and never throws: whatever it is handed, it answers with a
 * list of problems written for a marketer, each saying what to do.
 */
import { InvalidQueryError } from '../errors.js';
import {
  FACET_URN_PREFIX,
  facetName,
  facetUrn,
  findGroupByFacet,
  findTargetingFacet,
  GROUP_BY_FACETS,
} from './facets.js';
import type { AudienceInsightsRequestBody, FacetValues, SegmentsOrderedBy, TargetingCriteria } from './types.js';

/** Facet short name (`skills`) → entity URNs. Groups in `include` are AND-ed; facets inside a group are OR-ed. */
export type DraftGroup = Record<string, string[]>;

export interface AudienceDraft {
  include: DraftGroup[];
  exclude?: DraftGroup;
}

export interface InsightsRequestInput {
  accountUrn?: string;
  /** A draft, or wire-format criteria (both are accepted). */
  criteria?: AudienceDraft | TargetingCriteria;
  /** Facet short name or URN; one of the 15 in `GROUP_BY_FACETS`. */
  groupBy?: string;
  orderBy?: SegmentsOrderedBy;
  maxReturnCount?: number;
}

export type ProblemField = 'account' | 'include' | 'exclude' | 'groupBy' | 'orderBy' | 'maxReturnCount';

export type ProblemCode =
  | 'account_required'
  | 'account_invalid'
  | 'criteria_required'
  | 'group_invalid'
  | 'group_empty'
  | 'facet_invalid'
  | 'values_invalid'
  | 'exclude_invalid'
  | 'location_required'
  | 'second_attribute_required'
  | 'seniorities_with_titles'
  | 'job_functions_with_titles'
  | 'company_attributes_with_employers'
  | 'dynamic_segments_with_interests'
  | 'not_excludable'
  | 'too_many_values'
  | 'group_by_required'
  | 'group_by_invalid'
  | 'order_by_invalid'
  | 'hierarchical_not_supported'
  | 'max_return_count_invalid';

export interface Problem {
  code: ProblemCode;
  field: ProblemField;
  message: string;
}

export const DEFAULT_MAX_RETURN_COUNT = 5;
export const MAX_RETURN_COUNT_LIMIT = 100;
export const MAX_VALUES_PER_FACET = 100;
/** Employer and geo facets accept twice as many values. */
export const MAX_VALUES_PER_WIDE_FACET = 200;

const WIDE_FACETS = new Set(['employers', 'employersPast', 'employersAll', 'locations', 'profileLocations']);
const NOT_EXCLUDABLE = ['ageRanges', 'genders', 'interfaceLocales', 'groups'];
const ORDERS: readonly SegmentsOrderedBy[] = ['AUDIENCE_PERCENTAGE', 'HIERARCHICAL'];
const ACCOUNT_URN = /^urn:li:sponsoredAccount:\d+$/;
const FACET_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

/** Facet combinations LinkedIn refuses when they sit in different AND-ed include groups (ads-targeting §5.6). */
const CONFLICTS: ReadonlyArray<{ code: ProblemCode; left: string[]; right: string[]; message: string }> = [
  {
    code: 'seniorities_with_titles',
    left: ['seniorities'],
    right: ['titles'],
    message:
      'Seniorities can’t be combined with job titles. Remove the seniorities or the job titles (a title already implies a seniority).',
  },
  {
    code: 'job_functions_with_titles',
    left: ['jobFunctions'],
    right: ['titles'],
    message:
      'Job functions can’t be combined with job titles. Remove the job functions or the job titles (a title already implies a function).',
  },
  {
    code: 'company_attributes_with_employers',
    left: ['industries', 'staffCountRanges'],
    right: ['employers'],
    message:
      'Industries and company sizes can’t be combined with specific companies. Remove the companies, or remove the industries and company sizes.',
  },
  {
    code: 'dynamic_segments_with_interests',
    left: ['dynamicSegments'],
    right: ['memberBehaviors', 'interests'],
    message:
      'Dynamic segments can’t be combined with member interests or behaviors. Remove the dynamic segment or the interests.',
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Conversion

const toFacetUrn = (key: string): string => (key.startsWith(FACET_URN_PREFIX) ? key : facetUrn(key));

const cleanValues = (values: readonly string[]): string[] => [...new Set(values)];

const toFacetValues = (group: DraftGroup, key: (name: string) => string): FacetValues => {
  const out: FacetValues = {};
  for (const [name, values] of Object.entries(group)) {
    // `skills` and `urn:li:adTargetingFacet:skills` in one group are the same facet: merge, never overwrite.
    if (values.length > 0) out[key(name)] = cleanValues([...(out[key(name)] ?? []), ...values]);
  }
  return out;
};

/** Draft → wire. Facets without values and groups left empty are dropped; duplicate values are removed. */
export function draftToCriteria(draft: AudienceDraft): TargetingCriteria {
  const and = draft.include
    .map((group) => ({ or: toFacetValues(group, toFacetUrn) }))
    .filter((g) => Object.keys(g.or).length > 0);
  const criteria: TargetingCriteria = { include: { and } };
  if (draft.exclude) {
    const or = toFacetValues(draft.exclude, toFacetUrn);
    if (Object.keys(or).length > 0) criteria.exclude = { or };
  }
  return criteria;
}

/** Wire → draft, with facet short names as keys. */
export function criteriaToDraft(criteria: TargetingCriteria): AudienceDraft {
  const include = criteria.include.and
    .map((g) => toFacetValues(g.or, facetName))
    .filter((g) => Object.keys(g).length > 0);
  const draft: AudienceDraft = { include };
  if (criteria.exclude) {
    const exclude = toFacetValues(criteria.exclude.or, facetName);
    if (Object.keys(exclude).length > 0) draft.exclude = exclude;
  }
  return draft;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading untrusted input

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const own = (v: unknown, key: string): unknown => (isObject(v) && Object.hasOwn(v, key) ? (v as Obj)[key] : undefined);

/** Safe, short rendering of anything for a message (template literals throw on symbols). */
const describe = (v: unknown): string => {
  if (typeof v === 'string') return `“${v.length > 40 ? `${v.slice(0, 40)}…` : v}”`;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v === null) return 'nothing';
  if (v === undefined) return 'nothing';
  return Array.isArray(v) ? 'a list' : `a ${typeof v}`;
};

/** Labels for facets the rules name that the bot's pickers do not offer. */
const EXTRA_LABELS: Record<string, string> = {
  groups: 'LinkedIn groups',
  memberBehaviors: 'Member behaviors',
  employersPast: 'Past companies',
  employersAll: 'Current and past companies',
};

const labelOf = (name: string): string => {
  const known =
    findTargetingFacet(name)?.label ??
    findGroupByFacet(name)?.label ??
    (Object.hasOwn(EXTRA_LABELS, name) ? EXTRA_LABELS[name] : undefined);
  if (known) return known;
  const spaced = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
};

const position = (index: number): string => `Condition group ${index + 1}`;

/** A group as read: facet short name → the entity URNs given for it (only valid, non-empty ones). */
type ReadGroup = Map<string, string[]>;

interface ReadCriteria {
  include?: ReadGroup[];
  exclude?: ReadGroup;
}

function readGroup(raw: Obj, field: 'include' | 'exclude', where: string, problems: Problem[]): ReadGroup {
  const group: ReadGroup = new Map();
  for (const key of Object.keys(raw)) {
    const name = facetName(key);
    if (!FACET_NAME.test(name)) {
      problems.push({
        code: 'facet_invalid',
        field,
        message: `${where}: ${describe(key)} is not a LinkedIn targeting attribute. Pick attributes from the list.`,
      });
      continue;
    }
    const values = raw[key];
    const list = Array.isArray(values) ? values : undefined;
    const urns = list ? list.filter((v): v is string => typeof v === 'string' && v.startsWith('urn:li:')) : [];
    if (!list || urns.length !== list.length) {
      problems.push({
        code: 'values_invalid',
        field,
        message: `${where}: some ${labelOf(name)} values are not LinkedIn values. Pick them from the suggestions instead of typing them.`,
      });
    }
    // A facet with values counts as present for the rules even when some values are unreadable (already
    // reported), so the person is not also told to add an attribute they did add.
    if (list && list.length > 0) group.set(name, [...(group.get(name) ?? []), ...urns]);
  }
  return group;
}

function readCriteria(raw: unknown, problems: Problem[]): ReadCriteria {
  const required: Problem = {
    code: 'criteria_required',
    field: 'include',
    message: 'Describe the audience: add a location and at least one more attribute, such as skills or job titles.',
  };
  if (!isObject(raw)) {
    problems.push(required);
    return {};
  }
  const rawInclude = own(raw, 'include');
  // Draft: include is a list of groups. Wire: include is {and: [{or: {...}}]}.
  const wire = isObject(rawInclude);
  const groups = wire ? own(rawInclude, 'and') : rawInclude;
  const result: ReadCriteria = {};

  if (!Array.isArray(groups) || groups.length === 0) {
    problems.push(required);
  } else {
    result.include = [];
    // An index loop, so that holes in a sparse list are reported like any unreadable group.
    for (let index = 0; index < groups.length; index++) {
      const entry: unknown = groups[index];
      const body = wire ? own(entry, 'or') : entry;
      if (!isObject(body)) {
        problems.push({
          code: 'group_invalid',
          field: 'include',
          message: `${position(index)} could not be read. Remove it and add the values again.`,
        });
        continue;
      }
      const before = problems.length;
      const group = readGroup(body, 'include', position(index), problems);
      // A group whose only values were unreadable already has its problem; "empty" would be noise.
      if (group.size === 0 && problems.length === before) {
        problems.push({
          code: 'group_empty',
          field: 'include',
          message: `${position(index)} is empty. Pick at least one value in it, or remove it.`,
        });
      }
      result.include!.push(group);
    }
  }

  const rawExclude = own(raw, 'exclude');
  if (rawExclude !== undefined && rawExclude !== null) {
    const body = wire || isObject(own(rawExclude, 'or')) ? own(rawExclude, 'or') : rawExclude;
    if (isObject(body)) {
      result.exclude = readGroup(body, 'exclude', 'Excluded people', problems);
    } else {
      problems.push({
        code: 'exclude_invalid',
        field: 'exclude',
        message: 'The people to exclude could not be read. Clear the exclusions and pick them again.',
      });
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Rules

function checkAudienceRules(criteria: ReadCriteria, problems: Problem[]): void {
  const include = criteria.include ?? [];
  const facetsIn = include.map((g) => new Set(g.keys()));
  const allIncluded = new Set(facetsIn.flatMap((s) => [...s]));

  if (include.length > 0 && include.some((g) => g.size > 0)) {
    const matched = [...allIncluded].some((f) => findTargetingFacet(f)?.matchedAudience);
    if (!matched) {
      const isGeo = (f: string) => findTargetingFacet(f)?.geo === true;
      // The location must restrict everyone: a group of locations only. A location OR-ed with, say, skills
      // lets in people from anywhere who have those skills.
      const geoGroup = facetsIn.findIndex((s) => s.size > 0 && [...s].every(isGeo));
      if (geoGroup < 0) {
        const mixed = [...allIncluded].some(isGeo);
        problems.push({
          code: 'location_required',
          field: 'include',
          message: mixed
            ? 'Put the location in a condition group of its own. Combined with other attributes in one group, it does not limit where people are.'
            : 'Add a location, such as a country or a city. LinkedIn needs one to describe an audience (unless you use a matched audience).',
        });
      }
      const second = facetsIn.some(
        (s, i) => i !== geoGroup && [...s].some((f) => !isGeo(f) && !findTargetingFacet(f)?.demographicOnly),
      );
      if (!second) {
        problems.push({
          code: 'second_attribute_required',
          field: 'include',
          message:
            'Add one more attribute besides location, age, gender and interface language, such as skills, job titles or industries.',
        });
      }
    }
  }

  for (const conflict of CONFLICTS) {
    const clash = facetsIn.some((left, i) =>
      facetsIn.some(
        (right, j) => i !== j && conflict.left.some((f) => left.has(f)) && conflict.right.some((f) => right.has(f)),
      ),
    );
    if (clash) problems.push({ code: conflict.code, field: 'include', message: conflict.message });
  }

  const checkCounts = (groups: ReadGroup[], field: 'include' | 'exclude') => {
    const totals = new Map<string, Set<string>>();
    for (const g of groups) {
      for (const [f, values] of g) totals.set(f, new Set([...(totals.get(f) ?? []), ...values]));
    }
    for (const [f, values] of totals) {
      const limit = WIDE_FACETS.has(f) ? MAX_VALUES_PER_WIDE_FACET : MAX_VALUES_PER_FACET;
      if (values.size > limit) {
        problems.push({
          code: 'too_many_values',
          field,
          message: `${labelOf(f)} has ${values.size} values; LinkedIn accepts at most ${limit}. Remove ${values.size - limit} of them.`,
        });
      }
    }
  };
  checkCounts(include, 'include');

  if (criteria.exclude) {
    for (const f of NOT_EXCLUDABLE) {
      if (criteria.exclude.has(f)) {
        problems.push({
          code: 'not_excludable',
          field: 'exclude',
          message: `${labelOf(f)} can’t be excluded, only included. Remove them from the people to exclude.`,
        });
      }
    }
    checkCounts([criteria.exclude], 'exclude');
  }
}

function checkAccount(raw: unknown, problems: Problem[]): void {
  if (raw === undefined || raw === null || raw === '') {
    problems.push({ code: 'account_required', field: 'account', message: 'Choose the ad account to run this for.' });
  } else if (typeof raw !== 'string' || !ACCOUNT_URN.test(raw)) {
    problems.push({
      code: 'account_invalid',
      field: 'account',
      message: `${describe(raw)} is not a LinkedIn ad account. Choose one of your ad accounts from the list.`,
    });
  }
}

const GROUP_BY_LABELS = GROUP_BY_FACETS.map((f) => f.label).join(', ');

function checkBreakdown(input: unknown, problems: Problem[]): void {
  const groupBy = own(input, 'groupBy');
  const facet = typeof groupBy === 'string' ? findGroupByFacet(groupBy) : undefined;
  if (groupBy === undefined || groupBy === null || groupBy === '') {
    problems.push({
      code: 'group_by_required',
      field: 'groupBy',
      message: 'Choose what to break the audience down by, such as job function or company size.',
    });
  } else if (!facet) {
    problems.push({
      code: 'group_by_invalid',
      field: 'groupBy',
      message: `LinkedIn can’t break an audience down by ${describe(groupBy)}. Choose one of: ${GROUP_BY_LABELS}.`,
    });
  }

  const orderBy = own(input, 'orderBy');
  if (orderBy !== undefined && !ORDERS.includes(orderBy as SegmentsOrderedBy)) {
    problems.push({
      code: 'order_by_invalid',
      field: 'orderBy',
      message: 'Sort the segments either by audience share or in their natural order.',
    });
  } else if (orderBy === 'HIERARCHICAL' && facet && !facet.hierarchical) {
    const natural = GROUP_BY_FACETS.filter((f) => f.hierarchical)
      .map((f) => f.label)
      .join(', ');
    problems.push({
      code: 'hierarchical_not_supported',
      field: 'orderBy',
      message: `${facet.label} has no natural order; only ${natural} do. Sort by audience share instead.`,
    });
  }

  const max = own(input, 'maxReturnCount');
  if (
    max !== undefined &&
    !(Number.isInteger(max) && (max as number) >= 1 && (max as number) <= MAX_RETURN_COUNT_LIMIT)
  ) {
    problems.push({
      code: 'max_return_count_invalid',
      field: 'maxReturnCount',
      message: `Show between 1 and ${MAX_RETURN_COUNT_LIMIT} segments (you asked for ${describe(max)}).`,
    });
  }
}

/**
 * Every documented rule of an Audience Insights request, checked at once. Returns `[]` for a valid request.
 * Accepts anything (it is the gate for data typed by people) and never throws.
 */
export function validateInsightsRequest(input: unknown): Problem[] {
  const problems: Problem[] = [];
  checkAccount(own(input, 'accountUrn'), problems);
  const criteria = readCriteria(own(input, 'criteria'), problems);
  checkAudienceRules(criteria, problems);
  checkBreakdown(input, problems);
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Normalising a valid request

export interface NormalizedInsightsRequest {
  accountUrn: string;
  criteria: TargetingCriteria;
  /** Facet URN. */
  groupBy: string;
  orderBy?: SegmentsOrderedBy;
  maxReturnCount: number;
}

const isWireCriteria = (c: AudienceDraft | TargetingCriteria): c is TargetingCriteria => !Array.isArray(c.include);

/** Applies defaults (`maxReturnCount` 5) and converts names to URNs. Call it on input that validated cleanly. */
export function normalizeInsightsRequest(input: InsightsRequestInput): NormalizedInsightsRequest {
  const criteria = input.criteria ?? { include: [] };
  const groupBy = input.groupBy ?? '';
  return {
    accountUrn: input.accountUrn ?? '',
    criteria: draftToCriteria(isWireCriteria(criteria) ? criteriaToDraft(criteria) : criteria),
    groupBy: findGroupByFacet(groupBy)?.urn ?? groupBy,
    ...(input.orderBy ? { orderBy: input.orderBy } : {}),
    maxReturnCount: input.maxReturnCount ?? DEFAULT_MAX_RETURN_COUNT,
  };
}

/** The documented request body for a normalized request. */
export function toInsightsRequestBody(request: NormalizedInsightsRequest): AudienceInsightsRequestBody {
  return {
    request: {
      requestMetaData: { sponsoredAccount: request.accountUrn },
      targetingCriteria: request.criteria,
      groupBy: request.groupBy,
      ...(request.orderBy ? { segmentsOrderedBy: request.orderBy } : {}),
      maxReturnCount: request.maxReturnCount,
    },
  };
}

/** Validate, normalize and build the body in one go; throws `InvalidQueryError` with every problem. */
export function buildInsightsRequestBody(input: unknown): AudienceInsightsRequestBody {
  const problems = validateInsightsRequest(input);
  if (problems.length > 0) throw new InvalidQueryError(problems);
  return toInsightsRequestBody(normalizeInsightsRequest(input as InsightsRequestInput));
}
