/**
 * The buttons and menus on answers: Share to channel, Break down by…, Edit query, Compare with…, Try again /
 * Re-run (also in the App Home) and Link LinkedIn. Every element carries only the stored query's id.
 *
 * Whoever clicks acts with their own LinkedIn link (the insights calls take the clicker's key); someone without
 * a working link is offered one, privately. A failure is told only to the person who clicked.
 *
 * Break down by…: when the query was shared, or the menu was used on a message in a channel, the new breakdown
 * is a reply in that message's thread, for everyone there. When the answer is still private (the asker's DM),
 * the breakdown stays private too, as a reply in the DM thread; it is not shared on the person's behalf.
 */
import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
  StaticSelectAction,
} from '@slack/bolt';
import type { SlackUserKey, StoredQuery } from '../../db/types.js';
import { QueryNotFoundError } from '../../errors.js';
import { linkPromptFor } from '../actions/linking.js';
import { ACTION, parseBreakDownValue } from '../blocks/actions.js';
import type { SlackListeners } from '../router.js';
import { formFromSpec } from '../views/audienceModal.js';
import { answerPrivately, failureMessage, postAnswerInChannel, renderContextFor, sendRendered } from './deliver.js';
import type { QueryFlow } from './flow.js';
import { linkProblem, modalNotOpenedMessage, openAudienceModal } from './modal.js';
import { pendingMessageFor, renderQueryMessage, renderThreadMessage, withNote } from './render.js';
import {
  actorOf,
  type ClickPlace,
  clickPlace,
  isDirectChannel,
  type PostedMessage,
  replaceableDirectMessage,
  replaceMessage,
  slackErrorCode,
  tellPrivately,
  type WebClient,
} from './slack.js';
import { sharedNote, shareProblemMessage } from './views.js';

const sameUser = (a: SlackUserKey, b: SlackUserKey) => a.teamId === b.teamId && a.userId === b.userId;

interface Click {
  actor: SlackUserKey;
  place: ClickPlace;
}

/**
 * The stored query behind a click, after checking the clicker can act: a link prompt or "that query is gone"
 * goes to them privately instead.
 */
async function queryForClick(
  flow: QueryFlow,
  client: WebClient,
  click: Click,
  queryId: string | undefined,
  needsLink = true,
): Promise<StoredQuery | undefined> {
  if (needsLink) {
    const prompt = linkProblem(flow, click.actor, click.place.channelId);
    if (prompt) {
      await tellPrivately(client, click.actor.userId, prompt, click.place);
      return undefined;
    }
  }
  // Button values come from Slack's payload: anything but a non-empty string names no stored query.
  const query = typeof queryId === 'string' && queryId ? flow.repos.queries.get(queryId) : undefined;
  if (!query) {
    await tellPrivately(
      client,
      click.actor.userId,
      failureMessage(flow, click.actor, new QueryNotFoundError(queryId ?? '')),
      click.place,
    );
  }
  return query;
}

type ShareOutcome = { ok: true; posted: PostedMessage } | { ok: false; reason: 'not_member' | 'unavailable' };

/** Posts the answer in its channel; on `not_in_channel` the bot joins (public channels) and tries once more. */
async function postShared(
  flow: QueryFlow,
  client: WebClient,
  query: StoredQuery,
  channel: string,
): Promise<ShareOutcome> {
  const post = () =>
    postAnswerInChannel(
      flow,
      client,
      query,
      (ctx) => renderQueryMessage(query, { ...ctx, shared: true, askedBy: query.userId }),
      channel,
    );
  try {
    return { ok: true, posted: await post() };
  } catch (error) {
    const code = slackErrorCode(error);
    if (code === 'channel_not_found') return { ok: false, reason: 'not_member' };
    if (code !== 'not_in_channel') {
      flow.logger.warn({ err: error, error_code: code }, 'sharing an answer failed');
      return { ok: false, reason: 'unavailable' };
    }
  }
  try {
    await client.conversations.join({ channel });
  } catch (error) {
    // Private and shared channels cannot be joined: the person has to invite the bot.
    flow.logger.info({ err: error, error_code: slackErrorCode(error) }, 'could not join the channel to share');
    return { ok: false, reason: 'not_member' };
  }
  try {
    return { ok: true, posted: await post() };
  } catch (error) {
    flow.logger.warn({ err: error, error_code: slackErrorCode(error) }, 'sharing failed after joining');
    return { ok: false, reason: 'unavailable' };
  }
}

async function share(
  flow: QueryFlow,
  client: WebClient,
  click: Click,
  queryId: string | undefined,
  botUserId?: string,
) {
  const query = await queryForClick(flow, client, click, queryId, false);
  if (!query) return;
  const tell = (reason: Parameters<typeof shareProblemMessage>[0], channelId?: string) =>
    tellPrivately(
      client,
      click.actor.userId,
      shareProblemMessage(reason, { ...(channelId ? { channelId } : {}), ...(botUserId ? { botUserId } : {}) }),
      click.place,
    );
  // The answer was made with the asker's LinkedIn access: only they decide to show it to a channel.
  if (!sameUser(query, click.actor)) return tell('not_owner');
  if (query.status !== 'done') return tell('not_ready');
  const channel = query.channelId;
  if (!channel || isDirectChannel(channel)) return tell('no_channel');

  let posted: PostedMessage;
  if (query.sharedChannelId && query.sharedTs) {
    posted = { channel: query.sharedChannelId, ts: query.sharedTs };
  } else {
    const outcome = await postShared(flow, client, query, channel);
    if (!outcome.ok) return tell(outcome.reason, channel);
    posted = outcome.posted;
    flow.repos.queries.update(query.id, { sharedChannelId: posted.channel, sharedTs: posted.ts });
  }

  // The private copy loses its Share button and says where the answer went.
  const dm = replaceableDirectMessage(click.place);
  if (!dm) return;
  const ctx = renderContextFor(flow, query, query);
  try {
    await sendRendered(
      (fallback) => withNote(renderQueryMessage(query, { ...ctx, shared: true, fallback }), sharedNote(posted.channel)),
      (message) => replaceMessage(client, dm, message),
    );
  } catch (error) {
    flow.logger.info({ err: error }, 'the private answer was not updated after sharing');
  }
}

/** The thread a breakdown of `query` belongs in, if it is public. */
export function publicThreadFor(
  flow: QueryFlow,
  query: StoredQuery,
  place: ClickPlace,
): { channel: string; ts: string } | undefined {
  if (query.sharedChannelId && query.sharedTs) return { channel: query.sharedChannelId, ts: query.sharedTs };
  if (place.kind !== 'message' || place.ephemeral || !place.channelId || isDirectChannel(place.channelId)) {
    return undefined;
  }
  // A breakdown clicked inside a thread: the parent is the shared answer (never reply to a reply).
  const parent = query.parentId ? flow.repos.queries.get(query.parentId) : undefined;
  const parentTs = parent?.sharedChannelId === place.channelId ? parent.sharedTs : undefined;
  const ts = place.threadTs ?? parentTs ?? place.messageTs;
  return ts ? { channel: place.channelId, ts } : undefined;
}

async function breakDown(flow: QueryFlow, client: WebClient, click: Click, value: string | undefined) {
  const parsed = typeof value === 'string' && value ? parseBreakDownValue(value) : undefined;
  if (!parsed) {
    const text = 'That “Break down by…” choice names no facet I know. Pick one from the menu of a fresh answer.';
    await tellPrivately(
      client,
      click.actor.userId,
      { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] },
      click.place,
    );
    return;
  }
  const original = await queryForClick(flow, client, click, parsed.queryId);
  if (!original) return;
  const { actor } = click;
  const thread = publicThreadFor(flow, original, click.place);
  if (thread) {
    try {
      const query = await flow.insights.regroup(actor, original.id, parsed.facetUrn, {
        channelId: thread.channel,
        chartStyle: flow.chartStyleFor(actor.teamId),
      });
      await postAnswerInChannel(
        flow,
        client,
        query,
        (ctx) => renderThreadMessage(query, { ...ctx, askedBy: actor.userId }),
        thread.channel,
        thread.ts,
      );
    } catch (error) {
      await tellPrivately(client, actor.userId, failureMessage(flow, actor, error), { channelId: thread.channel });
    }
    return;
  }
  const dm = replaceableDirectMessage(click.place);
  const accounts = flow.repos.preferences.getCachedAccounts(actor) ?? [];
  const regrouped = { ...original.spec, groupBy: parsed.facetUrn };
  await answerPrivately(flow, client, {
    actor,
    pending: pendingMessageFor(regrouped, original.names, accounts, original.compareSpec),
    run: () =>
      flow.insights.regroup(actor, original.id, parsed.facetUrn, { chartStyle: flow.chartStyleFor(actor.teamId) }),
    ...(dm ? { thread: { channel: dm.channel, ts: dm.threadTs ?? dm.ts } } : {}),
  });
}

async function rerun(flow: QueryFlow, client: WebClient, click: Click, queryId: string | undefined) {
  const query = await queryForClick(flow, client, click, queryId);
  if (!query) return;
  const accounts = flow.repos.preferences.getCachedAccounts(click.actor) ?? [];
  // "Try again" on an error in the DM replaces that error; from the App Home or elsewhere, a new DM answer.
  const dm = replaceableDirectMessage(click.place);
  await answerPrivately(flow, client, {
    actor: click.actor,
    pending: pendingMessageFor(query.spec, query.names, accounts, query.compareSpec),
    run: () => flow.insights.rerun(click.actor, query.id, { chartStyle: flow.chartStyleFor(click.actor.teamId) }),
    ...(dm ? { replace: dm } : {}),
  });
}

export function registerResultActions(app: SlackListeners, flow: QueryFlow): void {
  const clickOf = (body: BlockAction): Click => ({ actor: actorOf(body), place: clickPlace(body) });

  app.action<BlockAction<ButtonAction>>(ACTION.shareToChannel, async ({ ack, body, action, client, context }) => {
    await ack();
    await share(flow, client, clickOf(body), action.value, context.botUserId);
  });

  app.action<BlockAction<StaticSelectAction>>(ACTION.breakDownBy, async ({ ack, body, action, client }) => {
    await ack();
    await breakDown(flow, client, clickOf(body), action.selected_option?.value);
  });

  app.action<BlockAction<ButtonAction>>(ACTION.queryRerun, async ({ ack, body, action, client }) => {
    await ack();
    await rerun(flow, client, clickOf(body), action.value);
  });

  // Edit and Compare with… both open the modal pre-filled from the clicked query; Compare keeps its group-by.
  const openFromQuery =
    (mode: 'edit' | 'compare') =>
    async ({ ack, body, action, client }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs) => {
      await ack();
      const click = clickOf(body);
      const query = await queryForClick(flow, client, click, action.value);
      if (!query) return;
      const opened = await openAudienceModal(flow, client, body.trigger_id, click.actor, {
        mode,
        form: formFromSpec(query.spec, query.names),
        ...(query.channelId ? { channelId: query.channelId } : {}),
        baseQueryId: query.id,
        ...(mode === 'compare' ? { fixedGroupBy: query.spec.groupBy } : {}),
      });
      if (!opened) await tellPrivately(client, click.actor.userId, modalNotOpenedMessage(), click.place);
    };
  app.action<BlockAction<ButtonAction>>(ACTION.editQuery, openFromQuery('edit'));
  app.action<BlockAction<ButtonAction>>(ACTION.compareWith, openFromQuery('compare'));

  // A URL button opens the link by itself (Slack still reports the click); without a URL, a fresh link.
  app.action<BlockAction<ButtonAction>>(ACTION.linkLinkedIn, async ({ ack, body, action, client }) => {
    await ack();
    if (action.url) return;
    const click = clickOf(body);
    const status = flow.linking.status(click.actor);
    const reason = status.linked ? 'relink_required' : 'not_linked';
    await tellPrivately(client, click.actor.userId, linkPromptFor(flow, click.actor, reason), click.place);
  });
}
