/**
 * Small Web API helpers the query flow shares: who acted, where a click happened, posting and replacing
 * messages, and telling one person something privately wherever they are.
 */
import type { types, webApi } from '@slack/bolt';
import type { SlackUserKey } from '../../db/types.js';
import type { SlackMessage } from '../blocks/kit.js';

export type WebClient = webApi.WebClient;
type KnownBlock = types.KnownBlock;

/** A message the bot posted and may replace: `channel` is the id Slack answered with (a `D…` id for DMs). */
export interface PostedMessage {
  channel: string;
  ts: string;
  /** Set when the message is a thread reply: uploads go to the parent's thread. */
  threadTs?: string;
}

/** Slack's error code of a failed Web API call (`not_in_channel`, `invalid_blocks`, …), if it was one. */
export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/** The person behind an interaction payload. */
export function actorOf(body: { user: { id: string; team_id?: string }; team?: { id: string } | null }): SlackUserKey {
  return { teamId: body.team?.id ?? body.user.team_id ?? '', userId: body.user.id };
}

/** Direct-message conversations (with the bot or between people) cannot be shared into. */
export const isDirectChannel = (channelId: string | undefined): boolean =>
  channelId === undefined || channelId === '' || channelId.startsWith('D');

/** Where a block action was clicked. */
export interface ClickPlace {
  kind: 'home' | 'modal' | 'message';
  channelId?: string;
  messageTs?: string;
  /** The parent of the clicked message when it is a thread reply. */
  threadTs?: string;
  ephemeral: boolean;
}

export function clickPlace(body: {
  container?: Record<string, unknown>;
  channel?: { id: string };
  message?: { ts: string; thread_ts?: string };
  view?: { type: string };
}): ClickPlace {
  const container = body.container ?? {};
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  if (container.type === 'view' || (body.view && !container.channel_id)) {
    return { kind: body.view?.type === 'home' ? 'home' : 'modal', ephemeral: false };
  }
  return {
    kind: 'message',
    channelId: str(container.channel_id) ?? body.channel?.id,
    messageTs: str(container.message_ts) ?? body.message?.ts,
    threadTs: str(container.thread_ts) ?? str(body.message?.thread_ts),
    ephemeral: container.is_ephemeral === true,
  };
}

/** A message in the bot's DM that the bot itself posted, so it can be replaced in place. */
export function replaceableDirectMessage(place: ClickPlace): PostedMessage | undefined {
  if (place.kind !== 'message' || place.ephemeral || !place.channelId || !place.messageTs) return undefined;
  if (!place.channelId.startsWith('D')) return undefined;
  return { channel: place.channelId, ts: place.messageTs, ...(place.threadTs ? { threadTs: place.threadTs } : {}) };
}

/**
 * Posts to the person's DM with the bot: a user id as channel opens it (chat:write is enough); a known `D…`
 * channel id is used as is, e.g. for a reply in a DM thread.
 */
export async function postDirect(
  client: WebClient,
  userOrChannel: string,
  message: SlackMessage,
  threadTs?: string,
): Promise<PostedMessage> {
  const res = await client.chat.postMessage({
    channel: userOrChannel,
    text: message.text,
    blocks: message.blocks as KnownBlock[],
    ...(threadTs ? { thread_ts: threadTs } : {}),
  });
  return { channel: res.channel ?? userOrChannel, ts: res.ts ?? '', ...(threadTs ? { threadTs } : {}) };
}

export async function postToChannel(
  client: WebClient,
  channel: string,
  message: SlackMessage,
  threadTs?: string,
): Promise<PostedMessage> {
  const res = await client.chat.postMessage({
    channel,
    text: message.text,
    blocks: message.blocks as KnownBlock[],
    unfurl_links: false,
    unfurl_media: false,
    ...(threadTs ? { thread_ts: threadTs } : {}),
  });
  return { channel: res.channel ?? channel, ts: res.ts ?? '', ...(threadTs ? { threadTs } : {}) };
}

export async function replaceMessage(client: WebClient, at: PostedMessage, message: SlackMessage): Promise<void> {
  await client.chat.update({
    channel: at.channel,
    ts: at.ts,
    text: message.text,
    blocks: message.blocks as KnownBlock[],
  });
}

/**
 * Tells one person something only they see: ephemerally in the channel they clicked in, otherwise (App Home,
 * DMs, or when Slack refuses the ephemeral) in their DM with the bot.
 */
export async function tellPrivately(
  client: WebClient,
  userId: string,
  message: SlackMessage,
  place?: Pick<ClickPlace, 'channelId'>,
): Promise<void> {
  const channel = place?.channelId;
  if (channel && !channel.startsWith('D')) {
    try {
      await client.chat.postEphemeral({
        channel,
        user: userId,
        text: message.text,
        blocks: message.blocks as KnownBlock[],
      });
      return;
    } catch {
      // Not in that channel any more, or the channel is gone: the DM always reaches the person.
    }
  }
  await postDirect(client, userId, message);
}
