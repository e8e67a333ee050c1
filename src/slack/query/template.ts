/**
 * "Save as audience template": asks for a name in a small modal, then creates a LinkedIn saved audience
 * template (`adTargetTemplates`) on the query's ad account with the clicker's own token, and confirms in the
 * modal. Viewers may look at an account's audiences but not save them: they are told so before typing a name,
 * and LinkedIn's own refusal reads the same.
 */
import type { BlockAction, ButtonAction } from '@slack/bolt';
import type { SlackUserKey, StoredQuery } from '../../db/types.js';
import { QueryNotFoundError } from '../../errors.js';
import { entityLabel } from '../../insights/describe.js';
import { AccessDeniedError, UserNotAuthorizedError } from '../../linkedin/errors.js';
import type { AdAccountRole } from '../../linkedin/types.js';
import { ACTION } from '../blocks/actions.js';
import { audienceFromCriteria, describeAudiencePlain } from '../blocks/audience.js';
import { truncate } from '../blocks/kit.js';
import type { SlackListeners } from '../router.js';
import { failureMessage } from './deliver.js';
import type { QueryFlow } from './flow.js';
import { linkProblem } from './modal.js';
import { accountNameOf } from './render.js';
import { actorOf, clickPlace, slackErrorCode, tellPrivately } from './slack.js';
import {
  messageModal,
  TEMPLATE_MODAL_CALLBACK_ID,
  TEMPLATE_NAME_ACTION,
  TEMPLATE_NAME_BLOCK,
  TEMPLATE_NAME_MAX,
  templateNameModal,
  templateRoleMessage,
  templateSavedModal,
  templateSavingModal,
} from './views.js';

/** Roles that may change an ad account's saved audiences (LinkedIn's rw_ads roles). */
export const TEMPLATE_ROLES: readonly AdAccountRole[] = [
  'ACCOUNT_BILLING_ADMIN',
  'ACCOUNT_MANAGER',
  'CAMPAIGN_MANAGER',
];

const TITLE = 'Save audience';

/** "Locations: United States; and Skills: Python" as a starting name, within LinkedIn's 255 characters. */
export function suggestedTemplateName(query: StoredQuery): string {
  const audience = audienceFromCriteria(query.spec.criteria, (urn) => entityLabel(urn, query.names));
  return truncate(describeAudiencePlain(audience), Math.min(120, TEMPLATE_NAME_MAX));
}

const roleOn = (flow: QueryFlow, actor: SlackUserKey, accountUrn: string) =>
  (flow.repos.preferences.getCachedAccounts(actor) ?? []).find((a) => a.urn === accountUrn)?.role;

function readQueryId(privateMetadata: string | undefined): string | undefined {
  try {
    const parsed = JSON.parse(privateMetadata ?? '') as { q?: unknown };
    return typeof parsed.q === 'string' ? parsed.q : undefined;
  } catch {
    return undefined;
  }
}

export function registerTemplate(app: SlackListeners, flow: QueryFlow): void {
  app.action<BlockAction<ButtonAction>>(ACTION.saveTemplate, async ({ ack, body, action, client }) => {
    await ack();
    const actor = actorOf(body);
    const place = clickPlace(body);
    const prompt = linkProblem(flow, actor, place.channelId);
    if (prompt) {
      await tellPrivately(client, actor.userId, prompt, place);
      return;
    }
    const query = typeof action.value === 'string' && action.value ? flow.repos.queries.get(action.value) : undefined;
    if (!query) {
      await tellPrivately(client, actor.userId, failureMessage(flow, actor, new QueryNotFoundError('')), place);
      return;
    }
    const accounts = flow.repos.preferences.getCachedAccounts(actor) ?? [];
    const accountName = accountNameOf(query.spec.accountUrn, accounts);
    const role = roleOn(flow, actor, query.spec.accountUrn);
    const view =
      role && TEMPLATE_ROLES.includes(role)
        ? templateNameModal({ queryId: query.id, suggestedName: suggestedTemplateName(query), accountName })
        : messageModal(TITLE, templateRoleMessage({ accountName, ...(role ? { role } : {}) }));
    await client.views.open({ trigger_id: body.trigger_id, view });
  });

  app.view(TEMPLATE_MODAL_CALLBACK_ID, async ({ ack, body, view, client }) => {
    const actor = actorOf(body);
    const typed: unknown = view.state?.values?.[TEMPLATE_NAME_BLOCK]?.[TEMPLATE_NAME_ACTION]?.value;
    const name = typeof typed === 'string' ? typed.trim() : '';
    if (name === '') {
      await ack({ response_action: 'errors', errors: { [TEMPLATE_NAME_BLOCK]: 'Give the audience template a name.' } });
      return;
    }
    const queryId = readQueryId(view.private_metadata);
    const query = queryId ? flow.repos.queries.get(queryId) : undefined;
    if (!query) {
      await ack({
        response_action: 'update',
        view: messageModal(TITLE, failureMessage(flow, actor, new QueryNotFoundError(queryId ?? ''))),
      });
      return;
    }
    // LinkedIn may take a moment: the modal says so at once, and shows the outcome when it is known.
    await ack({ response_action: 'update', view: templateSavingModal(name) });
    const accountName = accountNameOf(query.spec.accountUrn, flow.repos.preferences.getCachedAccounts(actor) ?? []);
    let next: ReturnType<typeof templateSavedModal>;
    try {
      const token = await flow.linking.accessTokenFor(actor);
      const { id } = await flow.linkedin.createTargetTemplate(token, {
        account: query.spec.accountUrn,
        name,
        targetingCriteria: query.spec.criteria,
      });
      next = templateSavedModal({ name, id, accountName });
    } catch (error) {
      const role = roleOn(flow, actor, query.spec.accountUrn);
      const roleTooLow = error instanceof AccessDeniedError && !(role && TEMPLATE_ROLES.includes(role));
      if (error instanceof UserNotAuthorizedError || roleTooLow) {
        const shown = roleTooLow ? role : undefined;
        next = messageModal(TITLE, templateRoleMessage({ accountName, ...(shown ? { role: shown } : {}) }));
      } else {
        flow.logger.info({ err: error }, 'saving an audience template failed');
        next = messageModal(TITLE, failureMessage(flow, actor, error));
      }
    }
    try {
      await client.views.update({ view_id: view.id, view: next });
    } catch (error) {
      flow.logger.info(
        { err: error, error_code: slackErrorCode(error) },
        'the template modal was closed before the outcome',
      );
    }
  });
}
