/**
 * Typeahead for the modal's value pickers (`block_suggestion` → options). Slack drops an answer after 3 s, so a
 * slow LinkedIn yields an empty list in time rather than none. The asking person's own token is used. The
 * selected ad account (for matched audiences) is read from private_metadata, never from the view state, which
 * Slack does not keep current in these payloads.
 */
import type { BlockSuggestion } from '@slack/bolt';
import { type FacetOption, filterOptions, MAX_OPTIONS, typeaheadText } from '../../insights/facetOptions.js';
import { facetUrn } from '../../linkedin/facets.js';
import { LIMITS, option, type PlainTextOption } from '../blocks/kit.js';
import type { SlackListeners } from '../router.js';
import { decodeModalMetadata, FACET_VALUES_ACTION_PREFIX, facetFromValuesActionId } from '../views/audienceModal.js';
import type { QueryFlow } from './flow.js';
import { METADATA_ACCOUNT_KEY } from './modal.js';
import { actorOf } from './slack.js';

const MATCHED_AUDIENCES = 'audienceMatchingSegments';

/** The account the modal works with, as the modal wrote it into private_metadata. */
export function modalAccountOf(privateMetadata: string | undefined): string | undefined {
  try {
    return decodeModalMetadata(privateMetadata).extra?.[METADATA_ACCOUNT_KEY];
  } catch {
    return undefined;
  }
}

/** At most 100 options, each within Slack's 75-character text and value. */
export function toSlackOptions(found: readonly FacetOption[]): PlainTextOption[] {
  return found
    .filter((o) => o.urn.length <= LIMITS.optionValue)
    .slice(0, MAX_OPTIONS)
    .map((o) => option(o.name, o.urn));
}

const within = <T>(work: Promise<T>, ms: number, fallback: T): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
};

export async function suggestionsFor(flow: QueryFlow, body: BlockSuggestion): Promise<PlainTextOption[]> {
  const facet = facetFromValuesActionId(body.action_id);
  if (!facet) return [];
  // Slack sends whatever the field holds; only its start is worth comparing with names.
  const typed = typeaheadText(body.value);
  const actor = actorOf(body as Parameters<typeof actorOf>[0]);
  const token = await flow.linking.accessTokenFor(actor);
  if (facet === MATCHED_AUDIENCES) {
    const account = modalAccountOf(body.view?.private_metadata);
    if (!account) return [];
    return toSlackOptions(filterOptions(await flow.adSegments(actor, token, account), typed));
  }
  return toSlackOptions(await flow.facetOptions.suggest(token, facetUrn(facet), typed, { limit: MAX_OPTIONS }));
}

export function registerOptions(app: SlackListeners, flow: QueryFlow): void {
  const prefix = new RegExp(`^${FACET_VALUES_ACTION_PREFIX.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
  app.options<'block_suggestion'>({ action_id: prefix }, async ({ ack, body }) => {
    const work = suggestionsFor(flow, body).catch((error: unknown) => {
      // Not linked, or LinkedIn failed: an empty list; the modal's submission says what is wrong.
      flow.logger.info({ err: error }, 'typeahead answered empty');
      return [] as PlainTextOption[];
    });
    await ack({ options: await within(work, flow.optionsTimeoutMs, []) });
  });
}
