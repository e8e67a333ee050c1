/**
 * Requests signed exactly like Slack signs them, ready for `fastify.inject()`:
 *   - slash commands: `application/x-www-form-urlencoded` (exactly that, no charset), flat fields;
 *   - interactivity (block_actions, view_submission, block_suggestion, …): the same content type, one
 *     `payload=<JSON>` field;
 *   - Events API: `application/json`.
 * Headers: `X-Slack-Request-Timestamp` (seconds) and `X-Slack-Signature: v0=HMAC-SHA256(secret, "v0:ts:body")`.
 * Options forge the signature, age the timestamp, or mark the delivery as one of Slack's retries.
 *
 *   const req = slashCommand({ text: 'link', userId: 'U1' });
 *   await server.inject(signCommand(req, { signingSecret }));
 *   await server.inject(signEvent(appHomeOpened({ userId: 'U1' }), { signingSecret, ageSeconds: 301 })); // stale
 */
import { createHmac, randomBytes } from 'node:crypto';
import { FAKE_SLACK_ORIGIN } from './fakeSlack.js';

export const SLACK_EVENTS_URL = '/slack/events';
export const TEST_TEAM_ID = 'T0TEST';
export const TEST_APP_ID = 'A0TEST';

export interface SignOptions {
  signingSecret: string;
  /** The sender's clock in epoch ms (default Date.now()); pair it with the app's clock in tests that move time. */
  now?: number;
  /** Seconds to subtract from the timestamp (positive: older; negative: from the future). */
  ageSeconds?: number;
  /** Sign with this secret instead (a forged request). */
  forgeWithSecret?: string;
  /** Replace the signature header altogether. */
  signature?: string;
  /** Mark as Slack's n-th retry (`X-Slack-Retry-Num`), with `retryReason` (default `http_timeout`). */
  retryNum?: number;
  retryReason?: string;
  url?: string;
  headers?: Record<string, string>;
}

/** A request object `fastify.inject()` accepts as is. */
export interface SignedRequest {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  payload: string;
}

export function slackSignature(secret: string, timestamp: number | string, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/** Signs any raw body with any content type. The building block of the helpers below. */
export function signedRequest(rawBody: string, contentType: string, options: SignOptions): SignedRequest {
  const timestamp = Math.floor((options.now ?? Date.now()) / 1000) - (options.ageSeconds ?? 0);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature':
      options.signature ?? slackSignature(options.forgeWithSecret ?? options.signingSecret, timestamp, rawBody),
    ...options.headers,
  };
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = options.retryReason ?? 'http_timeout';
  }
  return { method: 'POST', url: options.url ?? SLACK_EVENTS_URL, headers, payload: rawBody };
}

/**
 * Slack's retry of a delivery: the same body, signed again with a fresh timestamp, with the retry headers.
 * (A replay attack is the identical request object, sent again.)
 */
export function retryOf(request: SignedRequest, options: SignOptions & { retryNum?: number }): SignedRequest {
  return signedRequest(request.payload, request.headers['content-type'] ?? 'application/json', {
    ...options,
    url: request.url,
    retryNum: options.retryNum ?? 1,
  });
}

const FORM = 'application/x-www-form-urlencoded';

export function signCommand(fields: Record<string, string>, options: SignOptions): SignedRequest {
  return signedRequest(new URLSearchParams(fields).toString(), FORM, options);
}

export function signInteraction(payload: object, options: SignOptions): SignedRequest {
  return signedRequest(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM, options);
}

export function signEvent(envelope: object, options: SignOptions): SignedRequest {
  return signedRequest(JSON.stringify(envelope), 'application/json', options);
}

const uid = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`;

export const triggerId = (): string =>
  `${Math.floor(Math.random() * 1e13)}.${Math.floor(Math.random() * 1e12)}.${randomBytes(16).toString('hex')}`;

const responseUrl = () => `${FAKE_SLACK_ORIGIN}/respond/${uid('R')}`;

export interface SlashCommandInput {
  text?: string;
  userId?: string;
  userName?: string;
  teamId?: string;
  channelId?: string;
  channelName?: string;
  command?: string;
  triggerId?: string;
  responseUrl?: string;
}

/** The fields Slack posts for a slash command, in Slack's order. */
export function slashCommand(input: SlashCommandInput = {}): Record<string, string> {
  return {
    token: 'deprecated-verification-token',
    team_id: input.teamId ?? TEST_TEAM_ID,
    team_domain: 'testteam',
    channel_id: input.channelId ?? 'C0TEST',
    channel_name: input.channelName ?? 'marketing',
    user_id: input.userId ?? 'U0TEST',
    user_name: input.userName ?? 'tester',
    command: input.command ?? '/audience',
    text: input.text ?? '',
    api_app_id: TEST_APP_ID,
    is_enterprise_install: 'false',
    response_url: input.responseUrl ?? responseUrl(),
    trigger_id: input.triggerId ?? triggerId(),
  };
}

export interface BlockActionInput {
  actionId: string;
  value?: string;
  /** For static_select: the chosen option's value. */
  selectedValue?: string;
  type?: 'button' | 'static_select' | 'external_select' | 'multi_static_select';
  blockId?: string;
  userId?: string;
  teamId?: string;
  /** Where the action happened: the App Home, a modal, or a message in a channel. */
  container?: 'home' | 'modal' | 'message';
  channelId?: string;
  view?: Record<string, unknown>;
  triggerId?: string;
  responseUrl?: string;
}

export function blockActions(input: BlockActionInput): Record<string, unknown> {
  const userId = input.userId ?? 'U0TEST';
  const teamId = input.teamId ?? TEST_TEAM_ID;
  const type = input.type ?? 'button';
  const action: Record<string, unknown> = {
    type,
    action_id: input.actionId,
    block_id: input.blockId ?? uid('b'),
    action_ts: `${Math.floor(Date.now() / 1000)}.000100`,
  };
  if (type === 'button') action.value = input.value;
  if (type === 'static_select' || type === 'external_select') {
    action.selected_option = {
      text: { type: 'plain_text', text: input.selectedValue ?? '' },
      value: input.selectedValue,
    };
  }
  const container = input.container ?? 'message';
  const payload: Record<string, unknown> = {
    type: 'block_actions',
    user: { id: userId, username: 'tester', name: 'tester', team_id: teamId },
    api_app_id: TEST_APP_ID,
    token: 'deprecated-verification-token',
    team: { id: teamId, domain: 'testteam' },
    enterprise: null,
    is_enterprise_install: false,
    trigger_id: input.triggerId ?? triggerId(),
    actions: [action],
  };
  if (container === 'home') {
    payload.container = { type: 'view', view_id: 'VHOME' };
    payload.view = input.view ?? { id: 'VHOME', type: 'home', hash: 'h1', private_metadata: '', blocks: [] };
  } else if (container === 'modal') {
    payload.container = { type: 'view', view_id: 'VMODAL' };
    payload.view = input.view ?? { id: 'VMODAL', type: 'modal', hash: 'h1', private_metadata: '', blocks: [] };
  } else {
    const channelId = input.channelId ?? 'C0TEST';
    payload.container = { type: 'message', message_ts: '1700000000.000100', channel_id: channelId, is_ephemeral: true };
    payload.channel = { id: channelId, name: 'marketing' };
    payload.response_url = input.responseUrl ?? responseUrl();
  }
  return payload;
}

export interface EventInput {
  userId?: string;
  teamId?: string;
  eventId?: string;
}

/** An Events API envelope for `app_home_opened` on the Home tab. */
export function appHomeOpened(input: EventInput & { tab?: 'home' | 'messages' } = {}): Record<string, unknown> {
  const userId = input.userId ?? 'U0TEST';
  return eventEnvelope(
    {
      type: 'app_home_opened',
      user: userId,
      channel: `D${userId.slice(1)}`,
      tab: input.tab ?? 'home',
      event_ts: `${Date.now() / 1000}`,
    },
    input,
  );
}

export function eventEnvelope(event: Record<string, unknown>, input: EventInput = {}): Record<string, unknown> {
  const teamId = input.teamId ?? TEST_TEAM_ID;
  return {
    token: 'deprecated-verification-token',
    team_id: teamId,
    api_app_id: TEST_APP_ID,
    event,
    type: 'event_callback',
    event_id: input.eventId ?? uid('Ev'),
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: teamId, user_id: 'UBOT', is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  };
}

export interface SuggestionInput {
  actionId: string;
  value: string;
  userId?: string;
  teamId?: string;
  blockId?: string;
  privateMetadata?: string;
}

/** A `block_suggestion` payload (an external_select asking for options as the person types). */
export function blockSuggestion(input: SuggestionInput): Record<string, unknown> {
  const teamId = input.teamId ?? TEST_TEAM_ID;
  return {
    type: 'block_suggestion',
    user: { id: input.userId ?? 'U0TEST', username: 'tester', team_id: teamId },
    container: { type: 'view', view_id: 'VMODAL' },
    api_app_id: TEST_APP_ID,
    token: 'deprecated-verification-token',
    action_id: input.actionId,
    block_id: input.blockId ?? uid('b'),
    value: input.value,
    team: { id: teamId, domain: 'testteam' },
    view: {
      id: 'VMODAL',
      type: 'modal',
      private_metadata: input.privateMetadata ?? '',
      blocks: [],
      state: { values: {} },
    },
  };
}

export interface ViewSubmissionInput {
  callbackId: string;
  values: Record<string, Record<string, unknown>>;
  privateMetadata?: string;
  userId?: string;
  teamId?: string;
}

/** A `view_submission` payload; `values` is `view.state.values` (block_id → action_id → element state). */
export function viewSubmission(input: ViewSubmissionInput): Record<string, unknown> {
  const teamId = input.teamId ?? TEST_TEAM_ID;
  return {
    type: 'view_submission',
    team: { id: teamId, domain: 'testteam' },
    user: { id: input.userId ?? 'U0TEST', username: 'tester', team_id: teamId },
    api_app_id: TEST_APP_ID,
    token: 'deprecated-verification-token',
    trigger_id: triggerId(),
    view: {
      id: 'VMODAL',
      type: 'modal',
      callback_id: input.callbackId,
      private_metadata: input.privateMetadata ?? '',
      hash: 'h1',
      blocks: [],
      state: { values: input.values },
    },
    response_urls: [],
    is_enterprise_install: false,
  };
}
