/**
 * What the audience modal shows, as plain data. `AudienceModalContext` is what the handler knows (accounts,
 * option lists); `AudienceModalForm` is what the person chose, and can be read back from the view state.
 */
import type { AudienceQuerySpec } from '../../../db/types.js';
import { facetName } from '../../../linkedin/facets.js';
import type { AdAccountRole, FacetValues, SegmentsOrderedBy } from '../../../linkedin/types.js';
import type { ModalMode } from './metadata.js';

/** A value with its display name: initial options of typeahead selects need the name, not only the URN. */
export interface NamedValue {
  urn: string;
  name: string;
}

/** One facet with its chosen values; `facet` is the short name ("skills"), unset until the person picks one. */
export interface FacetRowState {
  facet?: string;
  values: NamedValue[];
}

export interface ModalAccount {
  urn: string;
  name: string;
  role: AdAccountRole | string;
}

export interface AudienceModalForm {
  accountUrn?: string;
  /** AND-ed groups; each group's rows are OR-ed (usually one row a group). */
  include: FacetRowState[][];
  /** OR-ed rows; members matching any are left out. */
  exclude: FacetRowState[];
  /** groupBy facet URN. */
  groupBy?: string;
  orderBy?: SegmentsOrderedBy;
  maxReturnCount?: number;
}

export interface AudienceModalContext {
  mode: ModalMode;
  channelId?: string;
  baseQueryId?: string;
  /** The member's ad accounts; none → the modal explains instead of asking. */
  accounts: ModalAccount[];
  /** Full option lists for small facets (facet short name → values); facets without one use a typeahead. */
  facetOptions?: Partial<Record<string, NamedValue[]>>;
  /** The selected account's matched audiences (adSegments); unset → typeahead, [] → "none in this account". */
  adSegments?: NamedValue[];
  /** In compare mode: the base query's groupBy URN, which the second audience must share. */
  fixedGroupBy?: string;
  /** Passed through private_metadata untouched. */
  extra?: Record<string, string>;
}

export type AudienceModalState = AudienceModalContext & AudienceModalForm;

export const DEFAULT_GROUP_BY = 'urn:li:adTargetingFacet:jobFunctions';
export const DEFAULT_MAX_RETURN_COUNT = 5;
/** Kept well inside the 100-block modal limit (two blocks a row). */
export const MAX_INCLUDE_GROUPS = 10;
export const MAX_INCLUDE_ROWS = 30;
export const MAX_EXCLUDE_ROWS = 5;

/** A new audience starts with a location group: LinkedIn requires a location unless a matched audience is used. */
export const emptyForm = (): AudienceModalForm => ({
  include: [[{ facet: 'locations', values: [] }]],
  exclude: [{ values: [] }],
});

const rowsOf = (values: FacetValues, nameOf: (urn: string) => string): FacetRowState[] =>
  Object.entries(values).map(([facetUrn, urns]) => ({
    facet: facetName(facetUrn),
    values: urns.map((urn) => ({ urn, name: nameOf(urn) })),
  }));

/** The form for an existing query ("Edit query", "Compare with…"): every value with its display name. */
export function formFromSpec(spec: AudienceQuerySpec, names: Record<string, string> = {}): AudienceModalForm {
  const nameOf = (urn: string) => names[urn] ?? urn;
  const include = spec.criteria.include.and.map((group) => rowsOf(group.or, nameOf)).filter((g) => g.length > 0);
  const exclude = spec.criteria.exclude ? rowsOf(spec.criteria.exclude.or, nameOf) : [];
  return {
    accountUrn: spec.accountUrn,
    include: include.length > 0 ? include : emptyForm().include,
    exclude: exclude.length > 0 ? exclude : [{ values: [] }],
    groupBy: spec.groupBy,
    orderBy: spec.orderBy,
    maxReturnCount: spec.maxReturnCount,
  };
}

/** The form with one more (empty) include group, for "Add a group"; unchanged at the cap. */
export function withIncludeGroup(form: AudienceModalForm): AudienceModalForm {
  const rows = form.include.reduce((n, g) => n + g.length, 0);
  if (form.include.length >= MAX_INCLUDE_GROUPS || rows >= MAX_INCLUDE_ROWS) return form;
  return { ...form, include: [...form.include, [{ values: [] }]] };
}

/** The form with one more exclusion row; unchanged at the cap. */
export function withExcludeRow(form: AudienceModalForm): AudienceModalForm {
  if (form.exclude.length >= MAX_EXCLUDE_ROWS) return form;
  return { ...form, exclude: [...form.exclude, { values: [] }] };
}
