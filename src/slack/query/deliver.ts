/**
 * Delivering answers.
 *
 * Private answers go to the person's DM with the bot: a "fetching…" placeholder with chat.postMessage, then
 * the result (or the error) in its place with chat.update. Why not the slash command's response_url with
 * `replace_original`, or chat.postEphemeral? A view_submission carries no response_url of its own, the
 * command's one expires after 30 minutes and 5 uses (a modal can stay open longer, and Edit / Try again /
 * App Home re-runs need more posts), ephemeral messages cannot be updated with chat.update and vanish on
 * reload, and whether replace_original replaces a slash command's ephemeral reply is not documented. A DM
 * message works from every entry point, keeps its buttons, and is replaced exactly by its `ts`.
 * Sharing then posts the same answer in the channel the query was asked in.
 */
import { buildBreakdownChartConfig } from '../../charts/config.js';
import { renderChartPng } from '../../charts/quickchart.js';
import type { SlackUserKey, StoredQuery } from '../../db/types.js';
import { describeError, QueryFailedError } from '../../insights/errors.js';
import type { SlackMessage } from '../blocks/kit.js';
import type { ChartStyle } from '../blocks/types.js';
import { isChartStyle, type QueryFlow } from './flow.js';
import {
  errorMessageFor,
  groupByView,
  type RenderContext,
  renderQueryMessage,
  segmentViews,
  withNote,
} from './render.js';
import {
  type PostedMessage,
  postDirect,
  postToChannel,
  replaceMessage,
  slackErrorCode,
  type WebClient,
} from './slack.js';

/** How the owner's answers are drawn and named. */
export function renderContextFor(flow: QueryFlow, owner: SlackUserKey, query?: StoredQuery): RenderContext {
  // A query keeps the style it was first answered in, so a shared copy looks like the private one.
  const style: ChartStyle = isChartStyle(query?.chartStyle) ? query.chartStyle : flow.chartStyleFor(owner.teamId);
  return {
    style,
    quickchartUrl: flow.config.charts.quickchartUrl,
    accounts: flow.repos.preferences.getCachedAccounts(owner) ?? [],
  };
}

/**
 * Sends a rendered message; when Slack refuses the native table/chart blocks (`invalid_blocks`, e.g. a client
 * or workspace without them), sends the mrkdwn fallback instead.
 */
export async function sendRendered<T>(
  render: (fallback: boolean) => SlackMessage,
  send: (message: SlackMessage) => Promise<T>,
  style: ChartStyle,
): Promise<T> {
  try {
    return await send(render(false));
  } catch (error) {
    if (style === 'quickchart' || slackErrorCode(error) !== 'invalid_blocks') throw error;
    return send(render(true));
  }
}

/**
 * CHART_STYLE=upload: the chart is rendered as a PNG by the configured QuickChart and uploaded into the
 * message's thread, so no audience data leaves in an image URL. A failure costs the image only.
 */
export async function uploadChart(
  flow: QueryFlow,
  client: WebClient,
  query: StoredQuery,
  at: PostedMessage,
): Promise<void> {
  const segments = query.result ? segmentViews(query.result, query.names) : [];
  if (segments.length === 0) return;
  const groupBy = groupByView(query.spec.groupBy);
  try {
    const png = await renderChartPng(
      buildBreakdownChartConfig(segments, { title: `Share of audience by ${groupBy.label}` }),
      { quickchartUrl: flow.config.charts.quickchartUrl, ...(flow.chartFetch ? { fetch: flow.chartFetch } : {}) },
    );
    await client.filesUploadV2({
      channel_id: at.channel,
      thread_ts: at.threadTs ?? at.ts,
      file: png,
      filename: 'audience-breakdown.png',
      title: `Audience breakdown by ${groupBy.label}`,
    });
  } catch (error) {
    flow.logger.warn({ err: error, queryId: query.id }, 'could not attach the chart image');
  }
}

export interface PrivateAnswer {
  actor: SlackUserKey;
  /** The placeholder, from what is known before LinkedIn answers. */
  pending: SlackMessage;
  /** Runs (and stores) the query; rejects with QueryFailedError when LinkedIn (or the link) failed. */
  run: () => Promise<StoredQuery>;
  /** Replace this DM message (the one clicked) instead of posting a new one. */
  replace?: PostedMessage;
  /** Post as a reply in this DM thread (the bot's DM channel with the person, and the parent's ts). */
  thread?: { channel: string; ts: string };
  /** A context line shown with the answer (e.g. how the names of a quick query were read). */
  note?: string;
}

/** The error message for a failure, with a fresh link when the next step is linking LinkedIn. */
export function failureMessage(flow: QueryFlow, actor: SlackUserKey, error: unknown): SlackMessage {
  const described = describeError(error);
  const queryId = error instanceof QueryFailedError ? error.queryId : undefined;
  const relinkUrl = described.relink ? flow.linking.issueLink(actor, { source: 'prompt' }).url : undefined;
  return errorMessageFor(described, {
    ...(queryId ? { queryId } : {}),
    ...(relinkUrl ? { relinkUrl } : {}),
  });
}

/**
 * The private answer: the placeholder at once, then the result or the error in its place. Resolves with the
 * stored query (done or failed), or undefined when the query could not even be stored.
 */
export async function answerPrivately(
  flow: QueryFlow,
  client: WebClient,
  answer: PrivateAnswer,
): Promise<StoredQuery | undefined> {
  let spot: PostedMessage | undefined = answer.replace;
  try {
    if (spot) await replaceMessage(client, spot, answer.pending);
    else
      spot = await postDirect(client, answer.thread?.channel ?? answer.actor.userId, answer.pending, answer.thread?.ts);
  } catch (error) {
    // The answer still comes: posted fresh below instead of replacing the placeholder.
    flow.logger.warn({ err: error }, 'could not show the placeholder');
    spot = undefined;
  }

  let query: StoredQuery | undefined;
  let failure: unknown;
  try {
    query = await answer.run();
  } catch (error) {
    failure = error;
    query = error instanceof QueryFailedError ? error.query : undefined;
    if (!(error instanceof QueryFailedError)) flow.logger.warn({ err: error }, 'a query could not be run');
  }

  const ctx = renderContextFor(flow, answer.actor, query);
  const deliver = async (message: SlackMessage): Promise<PostedMessage> => {
    if (spot) {
      await replaceMessage(client, spot, message);
      return spot;
    }
    return postDirect(client, answer.thread?.channel ?? answer.actor.userId, message, answer.thread?.ts);
  };

  if (failure !== undefined || !query) {
    await deliver(failureMessage(flow, answer.actor, failure));
    return query;
  }
  const done = query;
  const posted = await sendRendered(
    (fallback) => withNote(renderQueryMessage(done, { ...ctx, fallback }), answer.note),
    deliver,
    ctx.style,
  );
  if (ctx.style === 'upload' && !done.compareSpec) await uploadChart(flow, client, done, posted);
  return done;
}

/** Posts a finished query into a channel (optionally a thread), with the native-block fallback and upload. */
export async function postAnswerInChannel(
  flow: QueryFlow,
  client: WebClient,
  query: StoredQuery,
  render: (ctx: RenderContext) => SlackMessage,
  channel: string,
  threadTs?: string,
): Promise<PostedMessage> {
  const ctx = renderContextFor(flow, query, query);
  const posted = await sendRendered(
    (fallback) => render({ ...ctx, fallback }),
    (message) => postToChannel(client, channel, message, threadTs),
    ctx.style,
  );
  if (ctx.style === 'upload' && !query.compareSpec) await uploadChart(flow, client, query, posted);
  return posted;
}
