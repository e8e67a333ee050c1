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
import { webApi } from '@slack/bolt';
import { buildBreakdownChartConfig, buildComparisonChartConfig } from '../../charts/config.js';
import { renderChartPng } from '../../charts/quickchart.js';
import type { BarChartConfig } from '../../charts/types.js';
import type { SlackUserKey, StoredQuery } from '../../db/types.js';
import { describeError, QueryFailedError } from '../../insights/errors.js';
import { isChartStyle } from '../blocks/chartStyles.js';
import { comparisonChartInput } from '../blocks/compare.js';
import { context, type SlackMessage } from '../blocks/kit.js';
import type { ChartStyle } from '../blocks/types.js';
import type { QueryFlow } from './flow.js';
import {
  compareViewFor,
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

/**
 * The style a stored answer is drawn in now. It keeps the style it was answered in (its `chartStyle`), so a
 * shared copy looks like the private one, with one exception: once the workspace no longer uses the QuickChart
 * image, no copy sends the numbers out in an image URL again; it is drawn the workspace's current way instead.
 */
export function styleForAnswer(recorded: string | undefined, current: ChartStyle): ChartStyle {
  if (!isChartStyle(recorded)) return current;
  return recorded === 'quickchart' && current !== 'quickchart' ? current : recorded;
}

/** How the owner's answers are drawn and named. */
export function renderContextFor(flow: QueryFlow, owner: SlackUserKey, query?: StoredQuery): RenderContext {
  const style = styleForAnswer(query?.chartStyle, flow.chartStyleFor(owner.teamId));
  return {
    style,
    quickchartUrl: flow.config.charts.quickchartUrl,
    accounts: flow.repos.preferences.getCachedAccounts(owner) ?? [],
  };
}

/**
 * Sends a rendered message; when Slack refuses the table/chart blocks (`invalid_blocks`, e.g. a client or
 * workspace without them), sends the mrkdwn fallback instead: the same answer, as text lines.
 */
export async function sendRendered<T>(
  render: (fallback: boolean) => SlackMessage,
  send: (message: SlackMessage) => Promise<T>,
): Promise<T> {
  try {
    return await send(render(false));
  } catch (error) {
    if (slackErrorCode(error) !== 'invalid_blocks') throw error;
    return send(render(true));
  }
}

/** The chart of a stored answer as Chart.js config: one series, or two grouped ones for a comparison. */
export function chartConfigFor(query: StoredQuery): { config: BarChartConfig; label: string } | undefined {
  const groupBy = groupByView(query.spec.groupBy);
  const title = `Share of audience by ${groupBy.label}`;
  if (query.compareSpec) {
    const view = compareViewFor(query, { style: 'upload', quickchartUrl: '', accounts: [] });
    const { categories, series } = comparisonChartInput(view);
    if (categories.length === 0) return undefined;
    return { config: buildComparisonChartConfig(categories, series, { title }), label: groupBy.label };
  }
  const segments = query.result ? segmentViews(query.result, query.names) : [];
  if (segments.length === 0) return undefined;
  return { config: buildBreakdownChartConfig(segments, { title }), label: groupBy.label };
}

export const CHART_NOT_ATTACHED =
  ':warning: The chart image could not be drawn this time. Every number is in the answer above.';

/**
 * CHART_STYLE=upload: the chart is rendered as a PNG by the configured (self-hosted) QuickChart with
 * `toBinary()` and uploaded into the message's thread with files.uploadV2, so no audience data leaves in an
 * image URL. A failure costs the image only, and the thread says so instead of leaving the promise unkept.
 */
export async function uploadChart(
  flow: QueryFlow,
  client: WebClient,
  query: StoredQuery,
  at: PostedMessage,
): Promise<void> {
  const chart = chartConfigFor(query);
  if (!chart) return;
  const threadTs = at.threadTs ?? at.ts;
  try {
    const png = await renderChartPng(chart.config, {
      quickchartUrl: flow.config.charts.quickchartUrl,
      ...(flow.chartFetch ? { fetch: flow.chartFetch } : {}),
    });
    await client.filesUploadV2({
      channel_id: at.channel,
      thread_ts: threadTs,
      file: png,
      filename: query.compareSpec ? 'audience-comparison.png' : 'audience-breakdown.png',
      title: `${query.compareSpec ? 'Audience comparison' : 'Audience breakdown'} by ${chart.label}`,
    });
  } catch (error) {
    flow.logger.warn({ err: error, queryId: query.id }, 'could not attach the chart image');
    try {
      await postToChannel(
        client,
        at.channel,
        { text: CHART_NOT_ATTACHED, blocks: [context(CHART_NOT_ATTACHED)] },
        threadTs,
      );
    } catch (notice) {
      flow.logger.info({ err: notice }, 'could not say the chart image is missing');
    }
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
 * Slack's refusals of chat.update after which the message is posted fresh instead: the message is gone or can no
 * longer be edited (the person deleted the placeholder, …), or Slack failed for a moment. Not `invalid_blocks`
 * (sendRendered sends the text fallback in place instead), nor refusals a new post would meet as well
 * (`msg_too_long`, `no_text`, auth and scope errors): those are thrown.
 */
const REPOST_AFTER_CODES = new Set([
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'channel_not_found',
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

/** Whether a failed chat.update should be followed by posting the message fresh (see REPOST_AFTER_CODES). */
export function shouldRepostAfter(error: unknown): boolean {
  const code = slackErrorCode(error);
  if (code !== undefined) return REPOST_AFTER_CODES.has(code);
  // No answer from Slack's API itself: the network failed, Slack answered 5xx, or the rate limit outlasted the
  // client's retries. The update may rarely have gone through anyway; a second copy beats a lost answer.
  const clientCode = (error as { code?: unknown } | undefined)?.code;
  if (clientCode === webApi.ErrorCode.RequestError || clientCode === webApi.ErrorCode.RateLimitedError) return true;
  if (clientCode !== webApi.ErrorCode.HTTPError) return false;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 500;
}

/**
 * Where an answer is shown: a message to replace (a placeholder, or the clicked one), or nowhere yet. Every
 * placeholder the bot later replaces goes through show(), so a placeholder Slack will not replace never costs the
 * person their answer, and exactly one message holds it.
 */
export interface AnswerSpot {
  /** The message shown last, or undefined when the next show() posts fresh. */
  readonly current: PostedMessage | undefined;
  /**
   * Replaces the current message with `message`; when there is none, or Slack will not replace it (see
   * shouldRepostAfter), posts `message` fresh and makes that the current one. Other failures, `invalid_blocks`
   * among them, are thrown with the current message kept, so a text fallback replaces the same message.
   */
  show(message: SlackMessage): Promise<PostedMessage>;
}

export function answerSpot(
  flow: Pick<QueryFlow, 'logger'>,
  client: WebClient,
  post: (message: SlackMessage) => Promise<PostedMessage>,
  replace?: PostedMessage,
): AnswerSpot {
  let current = replace;
  return {
    get current() {
      return current;
    },
    async show(message) {
      if (current) {
        try {
          await replaceMessage(client, current, message);
          return current;
        } catch (error) {
          if (!shouldRepostAfter(error)) throw error;
          flow.logger.warn(
            { err: error, error_code: slackErrorCode(error) },
            'Slack did not replace the message; posting it fresh',
          );
          current = undefined;
        }
      }
      current = await post(message);
      return current;
    },
  };
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
  const spot = answerSpot(
    flow,
    client,
    (message) => postDirect(client, answer.thread?.channel ?? answer.actor.userId, message, answer.thread?.ts),
    answer.replace,
  );
  try {
    await spot.show(answer.pending);
  } catch (error) {
    // Without a placeholder the answer still comes: in place of the clicked message, or posted fresh.
    flow.logger.warn({ err: error, error_code: slackErrorCode(error) }, 'could not show the placeholder');
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

  if (failure !== undefined || !query) {
    await spot.show(failureMessage(flow, answer.actor, failure));
    return query;
  }
  const done = query;
  const ctx = renderContextFor(flow, answer.actor, done);
  const posted = await sendRendered(
    (fallback) => withNote(renderQueryMessage(done, { ...ctx, fallback }), answer.note),
    (message) => spot.show(message),
  );
  if (ctx.style === 'upload') await uploadChart(flow, client, done, posted);
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
  );
  if (ctx.style === 'upload') await uploadChart(flow, client, query, posted);
  return posted;
}
