/**
 * block_id and action_id of the audience modal. Block ids carry the row's position and facet, so a changed
 * facet (or account, for matched audiences) gets a fresh block and Slack drops the old, now meaningless values;
 * unchanged rows keep what the person typed across views.update.
 */

export const AUDIENCE_MODAL_CALLBACK_ID = 'audience_query';

export const MODAL_BLOCK = {
  account: 'account',
  groupBy: 'group_by',
  orderBy: 'order_by',
  maxReturnCount: 'max_return_count',
  includeActions: 'include_actions',
  excludeActions: 'exclude_actions',
} as const;

export const MODAL_ACTION = {
  account: 'account_select',
  includeFacet: 'include_facet',
  excludeFacet: 'exclude_facet',
  addIncludeGroup: 'add_include_group',
  addExcludeRow: 'add_exclude_row',
  groupBy: 'group_by_select',
  orderBy: 'order_by_select',
  maxReturnCount: 'max_return_count_input',
} as const;

export const FACET_VALUES_ACTION_PREFIX = 'facet_values:';

/** `facet_values:skills`: the options (block_suggestion) handler reads the facet from the action id. */
export const valuesActionId = (facet: string): string => `${FACET_VALUES_ACTION_PREFIX}${facet}`;

export function facetFromValuesActionId(actionId: string): string | undefined {
  return actionId.startsWith(FACET_VALUES_ACTION_PREFIX)
    ? actionId.slice(FACET_VALUES_ACTION_PREFIX.length)
    : undefined;
}

export type RowPlace = { kind: 'include'; group: number; row: number } | { kind: 'exclude'; row: number };

const prefix = (place: RowPlace) => (place.kind === 'include' ? `inc:${place.group}:${place.row}` : `exc:${place.row}`);

export const facetBlockId = (place: RowPlace): string => `${prefix(place)}:facet`;

/** `variant` distinguishes lists that depend on something else (matched audiences depend on the account). */
export const valuesBlockId = (place: RowPlace, facet: string, variant?: string): string =>
  `${prefix(place)}:values:${facet}${variant ? `:${variant}` : ''}`;

/** The place and facet of a values block id, or undefined for any other block. */
export function parseValuesBlockId(blockId: string): { place: RowPlace; facet: string } | undefined {
  const inc = /^inc:(\d+):(\d+):values:([^:]+)/.exec(blockId);
  if (inc) return { place: { kind: 'include', group: Number(inc[1]), row: Number(inc[2]) }, facet: inc[3]! };
  const exc = /^exc:(\d+):values:([^:]+)/.exec(blockId);
  if (exc) return { place: { kind: 'exclude', row: Number(exc[1]) }, facet: exc[2]! };
  return undefined;
}
