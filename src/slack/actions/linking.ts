/**
 * Link-related interactivity: the Link and Unlink buttons of the App Home, the default ad account picker, the
 * workspace chart style picker (admins and owners only), and the URL button of link prompts. Also
 * `linkPromptFor`, for any flow that finds the person unlinked.
 */
import type { BlockAction, ButtonAction, StaticSelectAction } from '@slack/bolt';
import type { SlackUserKey } from '../../db/types.js';
import { NotLinkedError, RelinkRequiredError } from '../../errors.js';
import type { LinkContext } from '../../linking/types.js';
import type { RegisterListeners, SlackDeps } from '../app.js';
import { isChartStyle } from '../blocks/chartStyles.js';
import { CHART_STYLE_ACTION_ID, chartStyleRefusedMessage, SERVER_DEFAULT_STYLE } from '../blocks/home.js';
import type { SlackMessage } from '../blocks/kit.js';
import { LINK_ACTION_IDS, type LinkPromptReason, linkModal, linkPromptMessage } from '../blocks/linking.js';
import { isWorkspaceAdmin, publishHome } from '../events/home.js';
import type { SlackListeners } from '../router.js';

/**
 * The private message that asks the person to link (or link again), with a fresh one-time link. For flows that
 * caught NotLinkedError / RelinkRequiredError: post it ephemerally, or `respond()` with it.
 */
export function linkPromptFor(
  deps: Pick<SlackDeps, 'linking'>,
  key: SlackUserKey,
  reason: Extract<LinkPromptReason, 'not_linked' | 'relink_required'>,
  context: LinkContext = { source: 'prompt' },
): SlackMessage {
  const issued = deps.linking.issueLink(key, context);
  return linkPromptMessage({ ...issued, reason });
}

const keyOf = (body: BlockAction): SlackUserKey => ({
  teamId: body.team?.id ?? body.user.team_id ?? '',
  userId: body.user.id,
});

export const registerLinkingActions: RegisterListeners = (app: SlackListeners, deps: SlackDeps) => {
  // A URL button opens the browser by itself; Slack still sends the click, which only needs acknowledging.
  app.action<BlockAction<ButtonAction>>(LINK_ACTION_IDS.openLink, async ({ ack }) => {
    await ack();
  });

  // A fresh one-time link per click: a link shown in the Home would go stale (10 minutes, single use).
  app.action<BlockAction<ButtonAction>>(LINK_ACTION_IDS.startLink, async ({ ack, body, client }) => {
    await ack();
    const issued = deps.linking.issueLink(keyOf(body), { source: 'home', appId: body.api_app_id });
    await client.views.open({ trigger_id: body.trigger_id, view: linkModal(issued) });
  });

  // Unlinking republishes the Home through the link notifier.
  app.action<BlockAction<ButtonAction>>(LINK_ACTION_IDS.unlink, async ({ ack, body }) => {
    await ack();
    await deps.linking.unlink(keyOf(body));
  });

  app.action<BlockAction<StaticSelectAction>>(LINK_ACTION_IDS.defaultAccount, async ({ ack, body, action, client }) => {
    await ack();
    const key = keyOf(body);
    try {
      await deps.linking.setDefaultAccount(key, action.selected_option.value);
    } catch (error) {
      deps.logger.info({ err: error }, 'default ad account not changed');
    }
    await publishHome(client, deps, key);
  });

  app.action<BlockAction<ButtonAction>>(LINK_ACTION_IDS.refreshAccounts, async ({ ack, body, client }) => {
    await ack();
    const key = keyOf(body);
    try {
      await deps.linking.accounts(key, { refresh: true });
    } catch (error) {
      // An unlinked or expired link shows as such in the republished Home.
      if (!(error instanceof NotLinkedError || error instanceof RelinkRequiredError)) {
        deps.logger.warn({ err: error }, 'reloading ad accounts failed');
      }
    }
    await publishHome(client, deps, key);
  });

  // The picker is only shown to admins, but a stale Home or a forged payload can still send the action: Slack
  // is asked again who the person is before anything is stored.
  app.action<BlockAction<StaticSelectAction>>(CHART_STYLE_ACTION_ID, async ({ ack, body, action, client }) => {
    await ack();
    const key = keyOf(body);
    const value = action.selected_option?.value;
    if (!(await isWorkspaceAdmin(client, key.userId, deps.logger))) {
      deps.logger.info({ team_id: key.teamId }, 'chart style change refused: not a workspace admin');
      const refused = chartStyleRefusedMessage();
      try {
        await client.chat.postMessage({ channel: key.userId, text: refused.text, blocks: refused.blocks });
      } catch (error) {
        deps.logger.warn({ err: error }, 'could not tell the person the chart style change was refused');
      }
    } else if (value === SERVER_DEFAULT_STYLE || isChartStyle(value)) {
      const style = isChartStyle(value) ? value : undefined;
      deps.repos.preferences.setWorkspaceChartStyle(key.teamId, style);
      deps.logger.info({ team_id: key.teamId, chart_style: style ?? 'server_default' }, 'workspace chart style set');
    }
    // Republished either way, so the picker shows what is really stored.
    await publishHome(client, deps, key);
  });
};
