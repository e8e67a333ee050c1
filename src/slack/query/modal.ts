/**
 * The audience modal's handlers: opening it (at once with the trigger_id, then filled with views.update when
 * something has to come from LinkedIn), keeping it current as the person picks an account or a facet or adds
 * a group, and the submission, which is validated before anything is sent to LinkedIn.
 */
import type { BlockAction, types, ViewOutput } from '@slack/bolt';
import type { AudienceQuerySpec, SlackUserKey, StoredQuery } from '../../db/types.js';
import { facetUrn, findTargetingFacet } from '../../linkedin/facets.js';
import { validateInsightsRequest } from '../../linkedin/targeting.js';
import type { MemberAdAccount } from '../../linkedin/types.js';
import { linkPromptFor } from '../actions/linking.js';
import type { SlackMessage } from '../blocks/kit.js';
import type { SlackListeners } from '../router.js';
import {
  AUDIENCE_MODAL_CALLBACK_ID,
  type AudienceModalForm,
  type AudienceModalMetadata,
  type AudienceModalState,
  buildAudienceModal,
  decodeModalMetadata,
  draftProblems,
  MODAL_ACTION,
  MODAL_BLOCK,
  type ModalAccount,
  type ModalMode,
  type ModalProblem,
  type ModalStateValues,
  modalErrors,
  type NamedValue,
  parseAudienceModal,
  readModalForm,
  toQuerySpec,
  withExcludeRow,
  withIncludeGroup,
} from '../views/audienceModal.js';
import { answerPrivately, failureMessage } from './deliver.js';
import type { QueryFlow } from './flow.js';
import { pendingMessageFor } from './render.js';
import { actorOf, slackErrorCode, type WebClient } from './slack.js';
import { loadingModal, messageModal } from './views.js';

/** What a modal starts from: a fresh audience, a query to edit, or the first audience of a comparison. */
export interface ModalStart {
  mode: ModalMode;
  form: AudienceModalForm;
  channelId?: string;
  baseQueryId?: string;
  fixedGroupBy?: string;
}

/** The account the modal works with lives in private_metadata (`extra.a`), for the typeahead handler. */
export const METADATA_ACCOUNT_KEY = 'a';

type ModalView = types.ModalView;

const TITLE: Record<ModalMode, string> = {
  new: 'Audience insights',
  edit: 'Edit audience',
  compare: 'Compare audiences',
};

const rowsOf = (form: AudienceModalForm) => [...form.include.flat(), ...form.exclude];

/** Small facets whose values the modal lists in full (needs LinkedIn's listing, cached for hours). */
const staticFacetsOf = (form: AudienceModalForm): string[] => [
  ...new Set(
    rowsOf(form)
      .map((r) => r.facet)
      .filter((f): f is string => f !== undefined && findTargetingFacet(f)?.picker === 'static'),
  ),
];

const usesMatchedAudiences = (form: AudienceModalForm) =>
  rowsOf(form).some((r) => r.facet === 'audienceMatchingSegments');

const modalAccount = (a: MemberAdAccount): ModalAccount => ({ urn: a.urn, name: a.name, role: a.role });

/** The account the modal shows selected: the chosen one when it is the person's, else the default, else the first. */
export function effectiveAccount(
  chosen: string | undefined,
  accounts: readonly { urn: string }[],
  defaultUrn: string | undefined,
): string | undefined {
  if (chosen && accounts.some((a) => a.urn === chosen)) return chosen;
  if (defaultUrn && accounts.some((a) => a.urn === defaultUrn)) return defaultUrn;
  return accounts[0]?.urn;
}

interface ModalData {
  accounts: MemberAdAccount[];
  facetOptions: Record<string, NamedValue[]>;
  adSegments?: NamedValue[];
}

/**
 * Everything the modal needs from LinkedIn for this form: the accounts (cached by the link service), the full
 * lists of the small facets in use (cached for hours, shared), the chosen account's matched audiences. A list
 * that fails to load leaves its facet as a typeahead instead of failing the modal.
 */
async function loadModalData(
  flow: QueryFlow,
  actor: SlackUserKey,
  form: AudienceModalForm,
  defaultUrn: string | undefined,
): Promise<ModalData> {
  const accounts = await flow.linking.accounts(actor);
  let token: Promise<string> | undefined;
  const tokenOnce = () => {
    token ??= flow.linking.accessTokenFor(actor);
    return token;
  };
  const facetOptions: Record<string, NamedValue[]> = {};
  await Promise.all(
    staticFacetsOf(form).map(async (facet) => {
      try {
        const list = await flow.facetOptions.staticOptions(await tokenOnce(), facetUrn(facet));
        facetOptions[facet] = list.map((e) => ({ urn: e.urn, name: e.name }));
      } catch (error) {
        flow.logger.info({ err: error, facet }, 'facet list not loaded; the facet falls back to a typeahead');
      }
    }),
  );
  let adSegments: NamedValue[] | undefined;
  const account = effectiveAccount(form.accountUrn, accounts, defaultUrn);
  if (usesMatchedAudiences(form) && account) {
    try {
      adSegments = await flow.adSegments(actor, await tokenOnce(), account);
    } catch (error) {
      flow.logger.info({ err: error }, 'matched audiences not loaded; they fall back to a typeahead');
    }
  }
  return { accounts, facetOptions, ...(adSegments ? { adSegments } : {}) };
}

function modalState(start: ModalStart, data: ModalData, form: AudienceModalForm, defaultUrn?: string) {
  const accountUrn = effectiveAccount(form.accountUrn, data.accounts, defaultUrn);
  const state: AudienceModalState = {
    ...form,
    ...(accountUrn ? { accountUrn } : {}),
    mode: start.mode,
    ...(start.channelId ? { channelId: start.channelId } : {}),
    ...(start.baseQueryId ? { baseQueryId: start.baseQueryId } : {}),
    ...(start.fixedGroupBy ? { fixedGroupBy: start.fixedGroupBy } : {}),
    accounts: data.accounts.map(modalAccount),
    facetOptions: data.facetOptions,
    ...(data.adSegments ? { adSegments: data.adSegments } : {}),
    ...(accountUrn ? { extra: { [METADATA_ACCOUNT_KEY]: accountUrn } } : {}),
  };
  return state;
}

/** Not linked, or the link stopped working: the private prompt to link (again) instead of a modal. */
export function linkProblem(flow: QueryFlow, actor: SlackUserKey, channelId?: string): SlackMessage | undefined {
  const status = flow.linking.status(actor);
  if (status.linked && status.status === 'active') return undefined;
  return linkPromptFor(flow, actor, status.linked ? 'relink_required' : 'not_linked', {
    source: 'prompt',
    ...(channelId ? { channelId } : {}),
  });
}

/** What the person is told when Slack would not open the modal (the trigger_id expired or was used). */
export const modalNotOpenedMessage = (): SlackMessage => {
  const text = 'The form could not open in time. Please try again.';
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:warning: ${text}` } }] };
};

/**
 * Opens the modal with the trigger_id before anything slow: the full form when nothing has to come from
 * LinkedIn (the accounts are cached and no row needs a list), otherwise a loading view that is replaced with
 * views.update (view id and hash) once the accounts and lists are in. The caller checked the link. Resolves
 * false when Slack refused to open it (the caller tells the person).
 */
export async function openAudienceModal(
  flow: QueryFlow,
  client: WebClient,
  triggerId: string,
  actor: SlackUserKey,
  start: ModalStart,
): Promise<boolean> {
  const open = async (view: ModalView) => {
    try {
      return (await client.views.open({ trigger_id: triggerId, view })).view;
    } catch (error) {
      flow.logger.warn({ err: error, error_code: slackErrorCode(error) }, 'the audience modal did not open');
      return undefined;
    }
  };
  const status = flow.linking.status(actor);
  const defaultUrn = status.linked ? status.defaultAccountUrn : undefined;
  const cached = status.linked ? status.accounts : [];
  const form = start.form.accountUrn || !defaultUrn ? start.form : { ...start.form, accountUrn: defaultUrn };

  if (cached.length > 0 && staticFacetsOf(form).length === 0 && !usesMatchedAudiences(form)) {
    const data: ModalData = { accounts: cached, facetOptions: {} };
    return (await open(buildAudienceModal(modalState(start, data, form, defaultUrn)))) !== undefined;
  }

  const opened = await open(loadingModal(TITLE[start.mode]));
  if (!opened) return false;
  const viewId = opened.id;
  const hash = opened.hash;
  let view: ReturnType<typeof buildAudienceModal>;
  try {
    const data = await loadModalData(flow, actor, form, defaultUrn);
    view = buildAudienceModal(modalState(start, data, form, defaultUrn));
  } catch (error) {
    flow.logger.info({ err: error }, 'the audience modal could not be filled');
    view = messageModal(TITLE[start.mode], failureMessage(flow, actor, error));
  }
  if (!viewId) return true;
  try {
    await client.views.update({ view_id: viewId, ...(hash ? { hash } : {}), view });
  } catch (error) {
    // Closed meanwhile (not_found) or already changed by the person (hash_conflict): nothing to fill.
    flow.logger.info({ err: error, error_code: slackErrorCode(error) }, 'the audience modal was not updated');
  }
  return true;
}

const startFromMetadata = (meta: AudienceModalMetadata): ModalStart => ({
  mode: meta.mode,
  form: { include: [], exclude: [] },
  ...(meta.channelId ? { channelId: meta.channelId } : {}),
  ...(meta.baseQueryId ? { baseQueryId: meta.baseQueryId } : {}),
  ...(meta.fixedGroupBy ? { fixedGroupBy: meta.fixedGroupBy } : {}),
});

/** Input blocks of a submitted view (Slack sends them; state keys stand in when a payload has none). */
function inputBlocksOf(view: Pick<ViewOutput, 'blocks' | 'state'>): Array<{ type: string; block_id?: string }> {
  const blocks = (view.blocks ?? []) as Array<{ type: string; block_id?: string }>;
  if (blocks.some((b) => b.type === 'input')) return blocks;
  return Object.keys(view.state?.values ?? {}).map((block_id) => ({ type: 'input', block_id }));
}

/** `response_action: errors` wants at least one input block id: a problem without a better place goes first. */
export function errorsForView(problems: readonly ModalProblem[], view: Pick<ViewOutput, 'blocks' | 'state'>) {
  const blocks = inputBlocksOf(view);
  const errors = modalErrors(problems, blocks);
  if (Object.keys(errors).length === 0 && problems.length > 0) {
    errors[blocks.find((b) => b.type === 'input')?.block_id ?? MODAL_BLOCK.account] = problems
      .map((p) => p.message)
      .join(' ');
  }
  return errors;
}

const MODAL_UPDATE_ACTIONS = [
  MODAL_ACTION.account,
  MODAL_ACTION.includeFacet,
  MODAL_ACTION.excludeFacet,
  MODAL_ACTION.addIncludeGroup,
  MODAL_ACTION.addExcludeRow,
] as const;

export function registerModal(app: SlackListeners, flow: QueryFlow): void {
  for (const actionId of MODAL_UPDATE_ACTIONS) {
    app.action<BlockAction>(actionId, async ({ ack, body, client }) => {
      await ack();
      const view = body.view;
      if (view?.type !== 'modal') return;
      const actor = actorOf(body);
      let meta: AudienceModalMetadata;
      try {
        meta = decodeModalMetadata(view.private_metadata);
      } catch (error) {
        flow.logger.info({ err: error }, 'a modal action came from a view that is not the audience modal');
        return;
      }
      let form = readModalForm(view.state.values as ModalStateValues, meta);
      if (actionId === MODAL_ACTION.addIncludeGroup) form = withIncludeGroup(form);
      if (actionId === MODAL_ACTION.addExcludeRow) form = withExcludeRow(form);
      const status = flow.linking.status(actor);
      const defaultUrn = status.linked ? status.defaultAccountUrn : undefined;
      let next: ReturnType<typeof buildAudienceModal>;
      try {
        const data = await loadModalData(flow, actor, form, defaultUrn);
        next = buildAudienceModal(modalState(startFromMetadata(meta), data, form, defaultUrn));
      } catch (error) {
        next = messageModal(TITLE[meta.mode], failureMessage(flow, actor, error));
      }
      try {
        await client.views.update({ view_id: view.id, hash: view.hash, view: next });
      } catch (error) {
        // hash_conflict: a later change already updated the modal, and it will be rebuilt from that one.
        flow.logger.info({ err: error, error_code: slackErrorCode(error) }, 'the audience modal was not updated');
      }
    });
  }

  app.view(AUDIENCE_MODAL_CALLBACK_ID, async ({ ack, body, view, client }) => {
    const actor = actorOf(body);
    let parsed: ReturnType<typeof parseAudienceModal>;
    try {
      parsed = parseAudienceModal(view.state.values as ModalStateValues, view.private_metadata);
    } catch {
      await ack({
        response_action: 'errors',
        errors: { [MODAL_BLOCK.account]: 'This form is out of date. Close it and run /audience again.' },
      });
      return;
    }
    const draft = parsed.spec;
    const spec = toQuerySpec(draft);
    const problems: ModalProblem[] = spec ? validateInsightsRequest(spec) : draftProblems(draft);
    const compareBase =
      parsed.meta.mode === 'compare' && parsed.meta.baseQueryId
        ? flow.repos.queries.get(parsed.meta.baseQueryId)
        : undefined;
    if (parsed.meta.mode === 'compare' && !compareBase) {
      problems.push({ code: 'base_gone', field: 'include', message: 'The first audience is no longer stored.' });
    }
    if (!spec || problems.length > 0) {
      // Nothing is sent to LinkedIn: the person fixes the form where each problem is shown.
      await ack({ response_action: 'errors', errors: errorsForView(problems, view) });
      return;
    }
    await ack();
    await answerSubmission(flow, client, actor, spec, parsed.names, parsed.meta, compareBase);
  });
}

async function answerSubmission(
  flow: QueryFlow,
  client: WebClient,
  actor: SlackUserKey,
  spec: AudienceQuerySpec,
  names: Record<string, string>,
  meta: AudienceModalMetadata,
  compareBase: StoredQuery | undefined,
): Promise<void> {
  const accounts = flow.repos.preferences.getCachedAccounts(actor) ?? [];
  const chartStyle = flow.chartStyleFor(actor.teamId);
  const channelId = meta.channelId;
  if (compareBase) {
    const allNames = { ...compareBase.names, ...names };
    await answerPrivately(flow, client, {
      actor,
      pending: pendingMessageFor(compareBase.spec, allNames, accounts, spec),
      run: () =>
        flow.insights.compare(
          actor,
          compareBase.id,
          { criteria: spec.criteria, accountUrn: spec.accountUrn },
          { ...(channelId ? { channelId } : {}), chartStyle },
        ),
    });
    return;
  }
  await answerPrivately(flow, client, {
    actor,
    pending: pendingMessageFor(spec, names, accounts),
    run: () =>
      flow.insights.run(actor, spec, {
        ...(channelId ? { channelId } : {}),
        ...(meta.mode === 'edit' && meta.baseQueryId && flow.repos.queries.get(meta.baseQueryId)
          ? { parentId: meta.baseQueryId }
          : {}),
        chartStyle,
      }),
  });
}
