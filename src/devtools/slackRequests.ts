/**
 * Requests shaped and signed exactly like Slack's, for driving the bot in-process with `fastify.inject()`:
 * slash commands (flat `application/x-www-form-urlencoded`), interactivity (`payload=<JSON>`: block_actions on a
 * message or in a modal, block_suggestion, view_submission), each with `X-Slack-Request-Timestamp` and the v0
 * `X-Slack-Signature`. Unlike the test helpers, every payload names the message or view it comes from, because
 * the bot replaces and threads messages by their `ts`.
 */
import { randomBytes } from 'node:crypto';
import { computeSlackSignature } from '../http/slackSignature.js';

export const SLACK_EVENTS_PATH = '/slack/events';

/** Who is acting, in which workspace. */
export interface SlackActor {
  teamId: string;
  teamDomain: string;
  userId: string;
  userName: string;
  appId: string;
}

/** A request object `fastify.inject()` accepts as is. */
export interface SignedSlackRequest {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  payload: string;
}

const FORM = 'application/x-www-form-urlencoded';

export function signSlackRequest(
  rawBody: string,
  contentType: string,
  signingSecret: string,
  nowMs: number,
): SignedSlackRequest {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    method: 'POST',
    url: SLACK_EVENTS_PATH,
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': computeSlackSignature(signingSecret, timestamp, rawBody),
    },
    payload: rawBody,
  };
}

export const signCommand = (fields: Record<string, string>, signingSecret: string, nowMs: number) =>
  signSlackRequest(new URLSearchParams(fields).toString(), FORM, signingSecret, nowMs);

export const signInteraction = (payload: object, signingSecret: string, nowMs: number) =>
  signSlackRequest(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM, signingSecret, nowMs);

/** A trigger_id in Slack's shape (`digits.digits.hex`). */
export const newTriggerId = (): string =>
  `${Date.now()}.${Math.floor(Math.random() * 1e12)}.${randomBytes(16).toString('hex')}`;

export interface SlashCommandInput {
  command?: string;
  text: string;
  channelId: string;
  channelName: string;
  responseUrl: string;
  triggerId?: string;
}

/** The fields Slack posts for a slash command, in Slack's order. */
export function slashCommandFields(actor: SlackActor, input: SlashCommandInput): Record<string, string> {
  return {
    token: 'deprecated-verification-token',
    team_id: actor.teamId,
    team_domain: actor.teamDomain,
    channel_id: input.channelId,
    channel_name: input.channelName,
    user_id: actor.userId,
    user_name: actor.userName,
    command: input.command ?? '/audience',
    text: input.text,
    api_app_id: actor.appId,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId ?? newTriggerId(),
  };
}

/** One interactive element's part of a block_actions payload: a button press or a menu choice. */
export type ElementAction =
  | { kind: 'button'; actionId: string; blockId: string; value?: string }
  | { kind: 'static_select'; actionId: string; blockId: string; option: { text: string; value: string } };

function actionOf(action: ElementAction): Record<string, unknown> {
  const base = {
    action_id: action.actionId,
    block_id: action.blockId,
    action_ts: `${(Date.now() / 1000).toFixed(6)}`,
  };
  if (action.kind === 'button') {
    return { ...base, type: 'button', ...(action.value !== undefined ? { value: action.value } : {}) };
  }
  const selected = { text: { type: 'plain_text', text: action.option.text, emoji: true }, value: action.option.value };
  return { ...base, type: 'static_select', selected_option: selected };
}

const user = (actor: SlackActor) => ({
  id: actor.userId,
  username: actor.userName,
  name: actor.userName,
  team_id: actor.teamId,
});

const common = (actor: SlackActor) => ({
  api_app_id: actor.appId,
  token: 'deprecated-verification-token',
  team: { id: actor.teamId, domain: actor.teamDomain },
  enterprise: null,
  is_enterprise_install: false,
});

/** Where a message lives: its channel, its ts, and the parent's ts when it is a thread reply. */
export interface MessageRef {
  channelId: string;
  channelName: string;
  ts: string;
  threadTs?: string;
}

/** A click on a (non-ephemeral) message the bot posted, as Slack sends it. */
export function messageBlockActions(
  actor: SlackActor,
  at: MessageRef,
  action: ElementAction,
  responseUrl: string,
): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: user(actor),
    ...common(actor),
    trigger_id: newTriggerId(),
    container: {
      type: 'message',
      message_ts: at.ts,
      channel_id: at.channelId,
      is_ephemeral: false,
      ...(at.threadTs ? { thread_ts: at.threadTs } : {}),
    },
    channel: { id: at.channelId, name: at.channelName },
    message: { type: 'message', ts: at.ts, ...(at.threadTs ? { thread_ts: at.threadTs } : {}) },
    response_url: responseUrl,
    actions: [actionOf(action)],
  };
}

/** A view as Slack holds it: the bot's view plus Slack's id and hash. */
export type OpenView = Record<string, any> & { id: string; hash?: string };

/** `view.state.values`: block_id → action_id → element state. */
export type ViewStateValues = Record<string, Record<string, Record<string, unknown>>>;

const viewWithState = (view: OpenView, values: ViewStateValues) => ({ ...view, state: { values } });

/** A click or menu choice inside an open modal, carrying the view and what is filled in so far. */
export function viewBlockActions(
  actor: SlackActor,
  view: OpenView,
  values: ViewStateValues,
  action: ElementAction,
): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: user(actor),
    ...common(actor),
    trigger_id: newTriggerId(),
    container: { type: 'view', view_id: view.id },
    view: viewWithState(view, values),
    actions: [actionOf(action)],
  };
}

/** What a person typed into an external select: Slack asks the app for options. */
export function blockSuggestion(
  actor: SlackActor,
  view: OpenView,
  values: ViewStateValues,
  input: { actionId: string; blockId: string; typed: string },
): Record<string, unknown> {
  return {
    type: 'block_suggestion',
    user: user(actor),
    ...common(actor),
    container: { type: 'view', view_id: view.id },
    action_id: input.actionId,
    block_id: input.blockId,
    value: input.typed,
    view: viewWithState(view, values),
  };
}

export function viewSubmission(actor: SlackActor, view: OpenView, values: ViewStateValues): Record<string, unknown> {
  return {
    type: 'view_submission',
    user: user(actor),
    ...common(actor),
    trigger_id: newTriggerId(),
    view: viewWithState(view, values),
    response_urls: [],
  };
}
