/**
 * The buttons and menus under a result. Every element carries only the stored query id (Slack values are
 * ≤75 characters and visible to the client); the handler reloads the query and checks who may act on it.
 */
import { findGroupByFacet, GROUP_BY_FACETS } from '../../linkedin/facets.js';
import type { ActionsBlock, Button, StaticSelect } from './kit.js';
import { button, checkedValue, option, plainText } from './kit.js';

/** action_id of every interactive element the renderers produce, for `app.action(...)`. */
export const ACTION = {
  shareToChannel: 'share_to_channel',
  breakDownBy: 'break_down_by',
  editQuery: 'edit_query',
  saveTemplate: 'save_template',
  compareWith: 'compare_with',
  queryRerun: 'query_rerun',
  linkLinkedIn: 'link_linkedin',
} as const;

export const RESULT_ACTIONS_BLOCK_ID = 'result_actions';

const SEPARATOR = '|';

/** `${queryId}|${facetName}`, the value of a "Break down by" option. */
export const breakDownValue = (queryId: string, facet: string): string =>
  checkedValue(`${queryId}${SEPARATOR}${facet}`);

/** Reads a "Break down by" option value back; undefined for anything that is not one of the 15 facets. */
export function parseBreakDownValue(
  value: string,
): { queryId: string; facetName: string; facetUrn: string } | undefined {
  const at = value.lastIndexOf(SEPARATOR);
  if (at <= 0) return undefined;
  const facet = findGroupByFacet(value.slice(at + 1));
  if (!facet) return undefined;
  return { queryId: value.slice(0, at), facetName: facet.name, facetUrn: facet.urn };
}

/** A menu of the groupBy facets other than the current one. */
export function breakDownSelect(queryId: string, currentGroupBy: string): StaticSelect {
  const current = findGroupByFacet(currentGroupBy)?.name;
  return {
    type: 'static_select',
    action_id: ACTION.breakDownBy,
    placeholder: plainText('Break down by…', 150),
    options: GROUP_BY_FACETS.filter((f) => f.name !== current).map((f) =>
      option(f.label, breakDownValue(queryId, f.name)),
    ),
  };
}

export interface ResultActionsInput {
  queryId: string;
  groupByUrn: string;
  share?: boolean;
  breakDown?: boolean;
  edit?: boolean;
  saveTemplate?: boolean;
  compare?: boolean;
}

/** The actions block under a result; only the elements asked for, in a stable order. */
export function resultActions(input: ResultActionsInput): ActionsBlock | undefined {
  const id = checkedValue(input.queryId);
  const elements: Array<Button | StaticSelect> = [];
  if (input.share) elements.push(button(ACTION.shareToChannel, 'Share to channel', id, { style: 'primary' }));
  if (input.breakDown) elements.push(breakDownSelect(id, input.groupByUrn));
  if (input.edit) elements.push(button(ACTION.editQuery, 'Edit query', id));
  if (input.saveTemplate) elements.push(button(ACTION.saveTemplate, 'Save as audience template', id));
  if (input.compare) elements.push(button(ACTION.compareWith, 'Compare with…', id));
  if (elements.length === 0) return undefined;
  return { type: 'actions', block_id: RESULT_ACTIONS_BLOCK_ID, elements };
}
