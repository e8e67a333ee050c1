/**
 * `/audience` with no sub-command: alone it opens the modal; with `key:value` text it is a quick query that
 * skips the modal (names resolved with LinkedIn's listings and typeahead, the reading shown in the answer).
 */
import type { SlackUserKey } from '../../db/types.js';
import { InvalidQueryError, NotLinkedError, RelinkRequiredError } from '../../errors.js';
import { parseQuickQuery, type ResolvedQuickQuery, resolveQuickQuery } from '../../insights/quickQuery.js';
import { validateInsightsRequest } from '../../linkedin/targeting.js';
import { linkPromptFor } from '../actions/linking.js';
import type { AudienceCommandArgs, AudienceCommandHandler } from '../app.js';
import type { SlackMessage } from '../blocks/kit.js';
import { QUICK_QUERY_EXAMPLE } from '../commands/help.js';
import { emptyForm } from '../views/audienceModal.js';
import { answerPrivately, failureMessage } from './deliver.js';
import type { QueryFlow } from './flow.js';
import { linkProblem, modalNotOpenedMessage, openAudienceModal } from './modal.js';
import { pendingMessageFor } from './render.js';
import type { WebClient } from './slack.js';
import { quickQueryAcceptedMessage, quickQueryProblemsMessage, resolutionNote } from './views.js';

export function audienceQueryHandler(flow: QueryFlow): AudienceCommandHandler {
  return async ({ command, ack, respond, client }) => {
    const actor: SlackUserKey = { teamId: command.team_id, userId: command.user_id };
    const text = (command.text ?? '').trim();
    const prompt = linkProblem(flow, actor, command.channel_id);
    if (prompt) {
      await ack({ response_type: 'ephemeral', text: prompt.text, blocks: prompt.blocks });
      return;
    }
    // Acknowledged before anything else: the trigger_id is only good for 3 seconds after Slack sent it.
    await ack();
    if (text === '') {
      const opened = await openAudienceModal(flow, client, command.trigger_id, actor, {
        mode: 'new',
        form: emptyForm(),
        channelId: command.channel_id,
      });
      if (!opened) await say(flow, respond, modalNotOpenedMessage());
      return;
    }
    await runQuickQuery(flow, client, actor, text, command.channel_id, respond);
  };
}

async function say(flow: QueryFlow, respond: AudienceCommandArgs['respond'], message: SlackMessage): Promise<void> {
  try {
    await respond({ response_type: 'ephemeral', text: message.text, blocks: message.blocks as never });
  } catch (error) {
    flow.logger.warn({ err: error }, 'could not reply to a quick query');
  }
}

async function runQuickQuery(
  flow: QueryFlow,
  client: WebClient,
  actor: SlackUserKey,
  text: string,
  channelId: string,
  respond: AudienceCommandArgs['respond'],
): Promise<void> {
  const parsed = parseQuickQuery(text);
  if (parsed.problems.length > 0) {
    await say(flow, respond, quickQueryProblemsMessage(parsed.problems, QUICK_QUERY_EXAMPLE));
    return;
  }
  let resolved: ResolvedQuickQuery;
  try {
    const token = await flow.linking.accessTokenFor(actor);
    const accounts = await flow.linking.accounts(actor);
    const status = flow.linking.status(actor);
    resolved = await resolveQuickQuery(parsed.draft, {
      token,
      linkedin: flow.linkedin,
      accounts,
      ...(status.linked && status.defaultAccountUrn ? { defaultAccount: status.defaultAccountUrn } : {}),
      facetOptions: flow.facetOptions,
    });
  } catch (error) {
    if (error instanceof InvalidQueryError) {
      // Unknown or ambiguous names come back with LinkedIn's closest suggestions.
      await say(flow, respond, quickQueryProblemsMessage(error.problems, QUICK_QUERY_EXAMPLE));
    } else if (error instanceof NotLinkedError || error instanceof RelinkRequiredError) {
      const reason = error instanceof NotLinkedError ? 'not_linked' : 'relink_required';
      await say(flow, respond, linkPromptFor(flow, actor, reason, { source: 'prompt', channelId }));
    } else {
      flow.logger.info({ err: error }, 'a quick query could not be resolved');
      await say(flow, respond, failureMessage(flow, actor, error));
    }
    return;
  }
  const problems = validateInsightsRequest(resolved.spec);
  if (problems.length > 0) {
    await say(flow, respond, quickQueryProblemsMessage(problems, QUICK_QUERY_EXAMPLE));
    return;
  }
  await say(flow, respond, quickQueryAcceptedMessage());
  const accounts = flow.repos.preferences.getCachedAccounts(actor) ?? [];
  const note = resolutionNote(resolved.resolutions);
  await answerPrivately(flow, client, {
    actor,
    pending: pendingMessageFor(resolved.spec, resolved.names, accounts),
    run: () => flow.insights.run(actor, resolved.spec, { channelId, chartStyle: flow.chartStyleFor(actor.teamId) }),
    ...(note ? { note } : {}),
  });
}
