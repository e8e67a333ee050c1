/**
 * Select menus of the audience modal, within Block Kit's limits: option text and value ≤75 characters, ≤100
 * options in a static menu (selected values are always kept, so initial_options match the options exactly).
 */
import type { types } from '@slack/bolt';
import { findTargetingFacet, TARGETING_FACETS } from '../../../linkedin/facets.js';
import type { PlainTextOption } from '../../blocks/kit.js';
import { LIMITS, option, plainText, truncate } from '../../blocks/kit.js';
import { valuesActionId } from './ids.js';
import type { AudienceModalContext, ModalAccount, NamedValue } from './state.js';

export type MultiSelectElement = types.MultiStaticSelect | types.MultiExternalSelect;

const fitsValue = (urn: string) => urn.length <= LIMITS.optionValue;

export const namedOption = (v: NamedValue): PlainTextOption => option(v.name, v.urn);

/** "Acme Ads (CAMPAIGN_MANAGER)", with the name cut so the role always shows. */
export function accountOption(account: ModalAccount): PlainTextOption {
  const role = ` (${account.role})`;
  const name = truncate(account.name.replace(/\s+/g, ' ').trim() || account.urn, LIMITS.optionText - role.length);
  return option(`${name}${role}`, account.urn);
}

/** At most `max` items, keeping every selected one and otherwise the list's own order. */
export function capOptions(list: readonly NamedValue[], selected: readonly NamedValue[], max: number): NamedValue[] {
  const chosen = new Set(selected.map((s) => s.urn));
  const listed = new Set(list.map((v) => v.urn));
  const missing = selected.filter((s) => !listed.has(s.urn) && fitsValue(s.urn));
  let budget = max - missing.length - list.filter((v) => chosen.has(v.urn)).length;
  const kept: NamedValue[] = [];
  for (const v of list) {
    if (!fitsValue(v.urn)) continue;
    if (chosen.has(v.urn)) kept.push(v);
    else if (budget > 0) {
      kept.push(v);
      budget--;
    }
  }
  return [...missing, ...kept];
}

export const facetSelectOptions = (): PlainTextOption[] => TARGETING_FACETS.map((f) => option(f.label, f.name));

export type ValuesPicker =
  | { kind: 'element'; element: MultiSelectElement; variant?: string; hint?: string }
  | { kind: 'none'; message: string };

const accountVariant = (accountUrn: string | undefined) => accountUrn?.split(':').at(-1);

/**
 * The values menu for a facet: a static list where the handler gave one (small facets, the account's matched
 * audiences), a typeahead otherwise (skills, titles, companies…: the options handler answers from LinkedIn).
 */
export function valuesPicker(
  facet: string,
  selected: readonly NamedValue[],
  ctx: Pick<AudienceModalContext, 'facetOptions' | 'adSegments'>,
  accountUrn: string | undefined,
): ValuesPicker {
  const info = findTargetingFacet(facet);
  const label = (info?.label ?? facet).toLowerCase();
  const isMatched = facet === 'audienceMatchingSegments';
  const list = isMatched ? ctx.adSegments : ctx.facetOptions?.[facet];
  const variant = isMatched ? accountVariant(accountUrn) : undefined;

  if (isMatched && list && list.length === 0 && selected.length === 0) {
    return { kind: 'none', message: 'This ad account has no matched audiences yet.' };
  }
  if (list && list.length + selected.length > 0) {
    const options = capOptions(list, selected, LIMITS.staticOptions);
    const shown = new Set(options.map((o) => o.urn));
    const listedCount = list.filter((v) => shown.has(v.urn)).length;
    const hint = listedCount < list.length ? `Showing ${listedCount} of ${list.length}.` : undefined;
    // initial_options must equal options of the menu exactly, so they are taken from the menu itself.
    const menu = options.map(namedOption);
    const byUrn = new Map(menu.map((o) => [o.value, o]));
    const initialFromMenu = selected.flatMap((v) => byUrn.get(v.urn) ?? []);
    return {
      kind: 'element',
      element: {
        type: 'multi_static_select',
        action_id: valuesActionId(facet),
        placeholder: plainText(`Choose ${label}`, LIMITS.placeholder),
        options: menu,
        ...(initialFromMenu.length > 0 ? { initial_options: initialFromMenu } : {}),
      },
      ...(variant ? { variant } : {}),
      ...(hint ? { hint } : {}),
    };
  }
  // A typeahead has no option list: its initial options carry the names themselves.
  const initial = selected.filter((v) => fitsValue(v.urn)).map(namedOption);
  return {
    kind: 'element',
    element: {
      type: 'multi_external_select',
      action_id: valuesActionId(facet),
      placeholder: plainText(`Type to search ${label}`, LIMITS.placeholder),
      min_query_length: 1,
      ...(initial.length > 0 ? { initial_options: initial } : {}),
    },
    ...(variant ? { variant } : {}),
  };
}
