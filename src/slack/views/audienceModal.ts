/**
 * The /audience modal: an ad account, the audience as include groups (AND-ed; values inside a group OR-ed) and
 * an exclusion, the facet to break it down by, the ordering and how many segments. Pure builders and parsers;
 * the Bolt handlers (views.open / views.update / view_submission) are thin around them:
 *
 * - open:     buildAudienceModal({ ...context, ...emptyForm() }) or ({ ...context, ...formFromSpec(spec, names) })
 * - update:   on `account_select`, `include_facet`, `exclude_facet`, `add_include_group`, `add_exclude_row`:
 *             form = readModalForm(view.state.values, decodeModalMetadata(view.private_metadata)), adjust it
 *             (withIncludeGroup / withExcludeRow), views.update with buildAudienceModal({ ...context, ...form })
 * - submit:   parseAudienceModal(view.state.values, view.private_metadata) → { spec, names }; problems from
 *             draftProblems(spec) and the targeting validator → ack({ response_action: 'errors',
 *             errors: modalErrors(problems, view.blocks) }).
 */
import type { types } from '@slack/bolt';
import type { AudienceQuerySpec } from '../../db/types.js';
import {
  ANTI_DISCRIMINATION_NOTICE,
  ANTI_DISCRIMINATION_URL,
  facetUrn,
  findGroupByFacet,
  findTargetingFacet,
  GROUP_BY_FACETS,
} from '../../linkedin/facets.js';
import type { FacetValues, SegmentsOrderedBy, TargetingCriteria } from '../../linkedin/types.js';
import { LIMITS, option, plainText, truncate } from '../blocks/kit.js';
import { accountOption, capOptions, facetSelectOptions, valuesPicker } from './modal/elements.js';
import {
  AUDIENCE_MODAL_CALLBACK_ID,
  facetBlockId,
  MODAL_ACTION,
  MODAL_BLOCK,
  parseValuesBlockId,
  type RowPlace,
  valuesActionId,
  valuesBlockId,
} from './modal/ids.js';
import { type AudienceModalMetadata, decodeModalMetadata, encodeModalMetadata } from './modal/metadata.js';
import {
  type AudienceModalForm,
  type AudienceModalState,
  DEFAULT_GROUP_BY,
  DEFAULT_MAX_RETURN_COUNT,
  type FacetRowState,
  MAX_EXCLUDE_ROWS,
  MAX_INCLUDE_GROUPS,
  MAX_INCLUDE_ROWS,
  type NamedValue,
} from './modal/state.js';

export * from './modal/ids.js';
export * from './modal/metadata.js';
export * from './modal/state.js';

type ModalView = types.ModalView;
type AnyBlock = types.KnownBlock;
type InputBlock = types.InputBlock;

const TITLES = {
  new: { title: 'Audience insights', submit: 'Get breakdown' },
  edit: { title: 'Edit audience', submit: 'Get breakdown' },
  compare: { title: 'Compare audiences', submit: 'Compare' },
} as const;

const ORDER_OPTIONS = {
  AUDIENCE_PERCENTAGE: option('Largest share first', 'AUDIENCE_PERCENTAGE'),
  // Only the facets marked hierarchical in facets.ts (seniorities, years of experience, company size, growth).
  HIERARCHICAL: option(
    'In the facet’s natural order',
    'HIERARCHICAL',
    'For seniority, experience, company size and growth rate only',
  ),
} as const;

const section = (text: string): AnyBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const contextText = (text: string): AnyBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

/** The rows actually drawn: groups and rows are capped so the modal stays far inside 100 blocks. */
function layout(form: AudienceModalForm): { include: FacetRowState[][]; exclude: FacetRowState[] } {
  const include: FacetRowState[][] = [];
  let rows = 0;
  for (const group of form.include.slice(0, MAX_INCLUDE_GROUPS)) {
    const room = MAX_INCLUDE_ROWS - rows;
    if (room <= 0) break;
    const kept = (group.length > 0 ? group : [{ values: [] }]).slice(0, room);
    include.push(kept);
    rows += kept.length;
  }
  if (include.length === 0) include.push([{ facet: 'locations', values: [] }]);
  const exclude = (form.exclude.length > 0 ? form.exclude : [{ values: [] }]).slice(0, MAX_EXCLUDE_ROWS);
  return { include, exclude };
}

function facetSelect(place: RowPlace, row: FacetRowState, label: string, required: boolean): InputBlock {
  const actionId = place.kind === 'include' ? MODAL_ACTION.includeFacet : MODAL_ACTION.excludeFacet;
  const options = facetSelectOptions();
  const initial = row.facet ? options.find((o) => o.value === row.facet) : undefined;
  return {
    type: 'input',
    block_id: facetBlockId(place),
    dispatch_action: true,
    optional: !required,
    label: plainText(label, 2000),
    element: {
      type: 'static_select',
      action_id: actionId,
      placeholder: plainText('Choose a facet', LIMITS.placeholder),
      options,
      ...(initial ? { initial_option: initial } : {}),
    },
  };
}

function rowBlocks(
  place: RowPlace,
  row: FacetRowState,
  label: string,
  required: boolean,
  state: AudienceModalState,
  accountUrn: string | undefined,
): AnyBlock[] {
  const blocks: AnyBlock[] = [facetSelect(place, row, label, required)];
  if (!row.facet) return blocks;
  const picker = valuesPicker(row.facet, row.values, state, accountUrn);
  if (picker.kind === 'none') {
    blocks.push(contextText(picker.message));
    return blocks;
  }
  const facetLabel = findTargetingFacet(row.facet)?.label ?? row.facet;
  blocks.push({
    type: 'input',
    block_id: valuesBlockId(place, row.facet, picker.variant),
    optional: !required,
    label: plainText(facetLabel, 2000),
    element: picker.element,
    ...(picker.hint ? { hint: plainText(picker.hint, 2000) } : {}),
  });
  return blocks;
}

function noAccountModal(state: AudienceModalState, metadata: string): ModalView {
  return {
    type: 'modal',
    callback_id: AUDIENCE_MODAL_CALLBACK_ID,
    title: plainText(TITLES[state.mode].title, LIMITS.modalTitle),
    close: plainText('Close', LIMITS.modalTitle),
    private_metadata: metadata,
    blocks: [
      section(
        '*You have no LinkedIn ad account to use.* Audience insights are asked through an ad account you have a role on. Ask an account admin in Campaign Manager to add you (Viewer is enough), then run `/audience` again.',
      ),
    ],
  };
}

/** The modal for a state; the same state always gives the same view (so updates keep what was typed). */
export function buildAudienceModal(state: AudienceModalState): ModalView {
  const drawn = layout(state);
  const fixedGroupBy = state.mode === 'compare' ? (state.fixedGroupBy ?? state.groupBy) : undefined;
  const metadata = encodeModalMetadata({
    mode: state.mode,
    ...(state.channelId ? { channelId: state.channelId } : {}),
    ...(state.baseQueryId ? { baseQueryId: state.baseQueryId } : {}),
    includeRows: drawn.include.map((g) => g.length),
    excludeRows: drawn.exclude.length,
    ...(fixedGroupBy ? { fixedGroupBy } : {}),
    ...(state.extra ? { extra: state.extra } : {}),
  });
  if (state.accounts.length === 0) return noAccountModal(state, metadata);

  const accountUrn = state.accounts.some((a) => a.urn === state.accountUrn) ? state.accountUrn : state.accounts[0]!.urn;
  const blocks: AnyBlock[] = [];
  if (state.mode === 'compare') {
    blocks.push(
      contextText('Describe the second audience. It is broken down the same way as the first, side by side.'),
    );
  }

  const accountOptions = capOptions(
    state.accounts.map((a) => ({ urn: a.urn, name: a.name })),
    state.accounts.filter((a) => a.urn === accountUrn).map((a) => ({ urn: a.urn, name: a.name })),
    LIMITS.staticOptions,
  ).map((v) => accountOption(state.accounts.find((a) => a.urn === v.urn)!));
  blocks.push({
    type: 'input',
    block_id: MODAL_BLOCK.account,
    dispatch_action: true,
    label: plainText('Ad account', 2000),
    element: {
      type: 'static_select',
      action_id: MODAL_ACTION.account,
      placeholder: plainText('Choose an ad account', LIMITS.placeholder),
      options: accountOptions,
      ...(() => {
        const initial = accountOptions.find((o) => o.value === accountUrn);
        return initial ? { initial_option: initial } : {};
      })(),
    },
  });

  blocks.push(section('*Audience* — members must match every group; inside a group, any of the values is enough.'));
  drawn.include.forEach((group, g) => {
    group.forEach((row, r) => {
      const label = r > 0 ? 'Or members with' : g === 0 ? 'Members with' : 'And members with';
      blocks.push(
        ...rowBlocks({ kind: 'include', group: g, row: r }, row, label, g === 0 && r === 0, state, accountUrn),
      );
    });
  });
  const includeRows = drawn.include.reduce((n, g) => n + g.length, 0);
  if (drawn.include.length < MAX_INCLUDE_GROUPS && includeRows < MAX_INCLUDE_ROWS) {
    blocks.push({
      type: 'actions',
      block_id: MODAL_BLOCK.includeActions,
      elements: [
        {
          type: 'button',
          action_id: MODAL_ACTION.addIncludeGroup,
          text: plainText('Add a group', LIMITS.optionText),
          value: String(drawn.include.length),
        },
      ],
    });
  }

  blocks.push(section('*Exclude* (optional) — members matching any of these are left out.'));
  drawn.exclude.forEach((row, r) => {
    const label = r === 0 ? 'Exclude members with' : 'Or members with';
    blocks.push(...rowBlocks({ kind: 'exclude', row: r }, row, label, false, state, accountUrn));
  });
  if (drawn.exclude.length < MAX_EXCLUDE_ROWS) {
    blocks.push({
      type: 'actions',
      block_id: MODAL_BLOCK.excludeActions,
      elements: [
        {
          type: 'button',
          action_id: MODAL_ACTION.addExcludeRow,
          text: plainText('Exclude another facet', LIMITS.optionText),
          value: String(drawn.exclude.length),
        },
      ],
    });
  }

  blocks.push({ type: 'divider' });
  if (fixedGroupBy) {
    const label = findGroupByFacet(fixedGroupBy)?.label ?? fixedGroupBy;
    blocks.push(section(`*Broken down by:* ${label} (as the first audience)`));
  } else {
    const groupByOptions = GROUP_BY_FACETS.map((f) => option(f.label, f.urn));
    const chosen = findGroupByFacet(state.groupBy ?? DEFAULT_GROUP_BY)?.urn ?? DEFAULT_GROUP_BY;
    blocks.push({
      type: 'input',
      block_id: MODAL_BLOCK.groupBy,
      label: plainText('Break the audience down by', 2000),
      element: {
        type: 'static_select',
        action_id: MODAL_ACTION.groupBy,
        placeholder: plainText('Choose a facet', LIMITS.placeholder),
        options: groupByOptions,
        initial_option: groupByOptions.find((o) => o.value === chosen)!,
      },
    });
  }
  blocks.push({
    type: 'input',
    block_id: MODAL_BLOCK.orderBy,
    label: plainText('Order segments', 2000),
    element: {
      type: 'radio_buttons',
      action_id: MODAL_ACTION.orderBy,
      options: [ORDER_OPTIONS.AUDIENCE_PERCENTAGE, ORDER_OPTIONS.HIERARCHICAL],
      initial_option: ORDER_OPTIONS[state.orderBy ?? 'AUDIENCE_PERCENTAGE'],
    },
  });
  blocks.push({
    type: 'input',
    block_id: MODAL_BLOCK.maxReturnCount,
    label: plainText('How many segments', 2000),
    hint: plainText('From 1 to 100. Segments with fewer than 30 members are never shown.', 2000),
    element: {
      type: 'number_input',
      action_id: MODAL_ACTION.maxReturnCount,
      is_decimal_allowed: false,
      min_value: '1',
      max_value: '100',
      initial_value: String(state.maxReturnCount ?? DEFAULT_MAX_RETURN_COUNT),
    },
  });
  blocks.push(contextText(`${ANTI_DISCRIMINATION_NOTICE} <${ANTI_DISCRIMINATION_URL}|Learn more>`));

  const titles = TITLES[state.mode];
  return {
    type: 'modal',
    callback_id: AUDIENCE_MODAL_CALLBACK_ID,
    title: plainText(titles.title, LIMITS.modalTitle),
    submit: plainText(titles.submit, LIMITS.modalTitle),
    close: plainText('Cancel', LIMITS.modalTitle),
    private_metadata: metadata,
    blocks,
  };
}

interface SelectedOption {
  text: { text: string };
  value: string;
}

/** One element's state, as Slack sends it in `view.state.values` (Bolt's ViewStateValue fits it). */
export interface ModalStateValue {
  type: string;
  value?: string | null;
  selected_option?: SelectedOption | null;
  selected_options?: SelectedOption[];
}

/** `view.state.values`: block_id → action_id → state. */
export type ModalStateValues = Record<string, Record<string, ModalStateValue | undefined> | undefined>;

function readRow(values: ModalStateValues, place: RowPlace): FacetRowState {
  const actionId = place.kind === 'include' ? MODAL_ACTION.includeFacet : MODAL_ACTION.excludeFacet;
  const facet = values[facetBlockId(place)]?.[actionId]?.selected_option?.value ?? undefined;
  if (!facet) return { values: [] };
  const samePlace = (p: RowPlace) =>
    p.kind === place.kind &&
    p.row === place.row &&
    (p.kind === 'exclude' || (place.kind === 'include' && p.group === place.group));
  const chosen: NamedValue[] = [];
  for (const [blockId, actions] of Object.entries(values)) {
    const parsed = parseValuesBlockId(blockId);
    if (!parsed || parsed.facet !== facet || !samePlace(parsed.place)) continue;
    for (const o of actions?.[valuesActionId(facet)]?.selected_options ?? []) {
      if (!chosen.some((c) => c.urn === o.value)) chosen.push({ urn: o.value, name: o.text.text });
    }
  }
  return { facet, values: chosen };
}

const ORDERS: readonly SegmentsOrderedBy[] = ['AUDIENCE_PERCENTAGE', 'HIERARCHICAL'];

/** What the person has chosen so far (also mid-edit, for views.update), laid out as the metadata says. */
export function readModalForm(values: ModalStateValues, meta: AudienceModalMetadata): AudienceModalForm {
  const get = (block: string, action: string) => values[block]?.[action];
  const accountUrn = get(MODAL_BLOCK.account, MODAL_ACTION.account)?.selected_option?.value;
  const include = meta.includeRows.map((rows, group) =>
    Array.from({ length: rows }, (_, row) => readRow(values, { kind: 'include', group, row })),
  );
  const exclude = Array.from({ length: meta.excludeRows }, (_, row) => readRow(values, { kind: 'exclude', row }));
  const groupBy = meta.fixedGroupBy ?? get(MODAL_BLOCK.groupBy, MODAL_ACTION.groupBy)?.selected_option?.value;
  const order = get(MODAL_BLOCK.orderBy, MODAL_ACTION.orderBy)?.selected_option?.value;
  const rawCount = get(MODAL_BLOCK.maxReturnCount, MODAL_ACTION.maxReturnCount)?.value;
  const count = rawCount === undefined || rawCount === null || rawCount.trim() === '' ? Number.NaN : Number(rawCount);
  return {
    ...(accountUrn ? { accountUrn } : {}),
    include,
    exclude,
    ...(groupBy ? { groupBy } : {}),
    ...(order && ORDERS.includes(order as SegmentsOrderedBy) ? { orderBy: order as SegmentsOrderedBy } : {}),
    ...(Number.isFinite(count) ? { maxReturnCount: count } : {}),
  };
}

/** A query spec as far as the person filled it in; `draftProblems` says what is missing. */
export interface AudienceQuerySpecDraft {
  accountUrn?: string;
  criteria: TargetingCriteria;
  groupBy?: string;
  orderBy: SegmentsOrderedBy;
  maxReturnCount?: number;
}

export interface ParsedAudienceModal {
  spec: AudienceQuerySpecDraft;
  /** Display names of every chosen value, to store with the query. */
  names: Record<string, string>;
  form: AudienceModalForm;
  meta: AudienceModalMetadata;
}

function facetValues(rows: readonly FacetRowState[]): FacetValues {
  const out: FacetValues = {};
  for (const row of rows) {
    if (!row.facet || row.values.length === 0) continue;
    const key = facetUrn(row.facet);
    const list = out[key] ?? [];
    out[key] = list;
    for (const v of row.values) if (!list.includes(v.urn)) list.push(v.urn);
  }
  return out;
}

/** The submitted modal as a query spec draft plus the names of the chosen values. */
export function parseAudienceModal(
  values: ModalStateValues,
  metadata: AudienceModalMetadata | string | undefined,
): ParsedAudienceModal {
  const meta = typeof metadata === 'object' ? metadata : decodeModalMetadata(metadata);
  const form = readModalForm(values, meta);
  const and = form.include.map((rows) => ({ or: facetValues(rows) })).filter((g) => Object.keys(g.or).length > 0);
  const excluded = facetValues(form.exclude);
  const criteria: TargetingCriteria = {
    include: { and },
    ...(Object.keys(excluded).length > 0 ? { exclude: { or: excluded } } : {}),
  };
  const names: Record<string, string> = {};
  for (const row of [...form.include.flat(), ...form.exclude]) for (const v of row.values) names[v.urn] = v.name;
  return {
    spec: {
      ...(form.accountUrn ? { accountUrn: form.accountUrn } : {}),
      criteria,
      ...(form.groupBy ? { groupBy: form.groupBy } : {}),
      orderBy: form.orderBy ?? 'AUDIENCE_PERCENTAGE',
      ...(form.maxReturnCount !== undefined ? { maxReturnCount: form.maxReturnCount } : {}),
    },
    names,
    form,
    meta,
  };
}

/** A validator problem, as src/linkedin/targeting.ts reports it. */
export interface ModalProblem {
  code: string;
  field: string;
  message: string;
}

/** What is missing before a draft can even be validated (the targeting rules are the validator's job). */
export function draftProblems(draft: AudienceQuerySpecDraft): ModalProblem[] {
  const problems: ModalProblem[] = [];
  if (!draft.accountUrn) problems.push({ code: 'missing_account', field: 'account', message: 'Choose an ad account.' });
  if (draft.criteria.include.and.length === 0) {
    problems.push({ code: 'missing_include', field: 'include', message: 'Pick at least one facet and a value.' });
  }
  if (!draft.groupBy || !findGroupByFacet(draft.groupBy)) {
    problems.push({
      code: 'missing_group_by',
      field: 'groupBy',
      message: 'Choose what to break the audience down by.',
    });
  }
  const n = draft.maxReturnCount;
  if (n === undefined || !Number.isInteger(n) || n < 1 || n > 100) {
    problems.push({
      code: 'bad_max_return_count',
      field: 'maxReturnCount',
      message: 'Enter a whole number from 1 to 100.',
    });
  }
  return problems;
}

/** The draft as a complete spec, or undefined while `draftProblems` has something to say. */
export function toQuerySpec(draft: AudienceQuerySpecDraft): AudienceQuerySpec | undefined {
  if (draftProblems(draft).length > 0) return undefined;
  return {
    accountUrn: draft.accountUrn!,
    criteria: draft.criteria,
    groupBy: draft.groupBy!,
    orderBy: draft.orderBy,
    maxReturnCount: draft.maxReturnCount!,
  };
}

const ERROR_MAX = 2000;

/** Problems about one facet are shown on that facet's row when the view has it (codes of linkedin/targeting.ts). */
const CODE_FACETS: Record<string, readonly string[]> = {
  seniorities_with_titles: ['seniorities', 'titles'],
  job_functions_with_titles: ['jobFunctions', 'titles'],
  company_attributes_with_employers: ['employers'],
  dynamic_segments_with_interests: ['dynamicSegments', 'interests'],
  not_excludable: ['ageRanges', 'genders', 'interfaceLocales'],
  location_required: ['locations', 'profileLocations'],
};

/** The group index in fields such as "include[1]" or "include.1"; group 0 otherwise. */
const groupIndex = (field: string) => Number(/^include(?:\[(\d+)\]|\.(\d+))/.exec(field)?.slice(1).find(Boolean) ?? 0);

/**
 * Validator problems as `response_action: 'errors'` wants them: input block_id → message. Only input blocks
 * can show an error, so each problem goes to the closest input of `blocks` (the submitted view's blocks); a
 * problem with no better place goes to the first include row.
 */
export function modalErrors(
  problems: readonly ModalProblem[],
  blocks: ReadonlyArray<{ type: string; block_id?: string }>,
): Record<string, string> {
  const inputs = blocks.filter((b) => b.type === 'input' && b.block_id).map((b) => b.block_id!);
  const firstOf = (prefix: string) =>
    inputs.find((id) => id.startsWith(prefix) && id.includes(':values:')) ?? inputs.find((id) => id.startsWith(prefix));
  const fallback = firstOf('inc:') ?? inputs[0];
  const facetRow = (prefix: string, code: string) => {
    for (const facet of CODE_FACETS[code] ?? []) {
      const row = inputs.find((id) => id.startsWith(prefix) && parseValuesBlockId(id)?.facet === facet);
      if (row) return row;
    }
    return undefined;
  };
  const targetOf = ({ field, code }: ModalProblem): string | undefined => {
    if (field === 'account') return inputs.find((id) => id === MODAL_BLOCK.account);
    if (field.startsWith('include')) {
      return facetRow('inc:', code) ?? firstOf(`inc:${groupIndex(field)}:`) ?? firstOf('inc:');
    }
    if (field.startsWith('exclude')) return facetRow('exc:', code) ?? firstOf('exc:');
    if (field === 'groupBy') return inputs.find((id) => id === MODAL_BLOCK.groupBy);
    if (field === 'orderBy') return inputs.find((id) => id === MODAL_BLOCK.orderBy);
    if (field === 'maxReturnCount') return inputs.find((id) => id === MODAL_BLOCK.maxReturnCount);
    return undefined;
  };
  const errors: Record<string, string> = {};
  for (const p of problems) {
    const target = targetOf(p) ?? fallback;
    if (!target) continue;
    errors[target] = truncate(errors[target] ? `${errors[target]} ${p.message}` : p.message, ERROR_MAX);
  }
  return errors;
}
