/**
 * What Slack would show, replayed from the fake Slack's recorded Web API calls: every message the bot posted,
 * in posting order, with its latest content (chat.update replaces a message in place, as in Slack), its
 * channel and thread. Ephemeral messages are kept with the one person who sees them.
 */
import type { SlackCall } from './fakeSlack.js';

export interface ShownMessage {
  /** The conversation id Slack answered with (a `D…` id for a DM with the bot). */
  channel: string;
  ts: string;
  /** The parent's ts, for a thread reply. */
  threadTs?: string;
  /** Set for chat.postEphemeral: the only person who sees it. */
  visibleTo?: string;
  text: string;
  blocks: unknown[];
  /** How many times chat.update replaced it. */
  updates: number;
  /** Index in the recorder's calls of the post, and of the latest change. */
  postedAt: number;
  changedAt: number;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const blocksOf = (args: Record<string, any>): unknown[] => (Array.isArray(args.blocks) ? args.blocks : []);

/** Every message as it stands after the recorded calls (refused calls changed nothing). */
export function shownMessages(calls: readonly SlackCall[]): ShownMessage[] {
  const messages: ShownMessage[] = [];
  const byKey = new Map<string, ShownMessage>();
  calls.forEach((call, index) => {
    if (call.response.ok !== true) return;
    const { args, response } = call;
    if (call.method === 'chat.postMessage') {
      const message: ShownMessage = {
        channel: str(response.channel) ?? String(args.channel),
        ts: String(response.ts),
        ...(str(args.thread_ts) ? { threadTs: str(args.thread_ts) } : {}),
        text: String(args.text ?? ''),
        blocks: blocksOf(args),
        updates: 0,
        postedAt: index,
        changedAt: index,
      };
      messages.push(message);
      byKey.set(`${message.channel}/${message.ts}`, message);
    } else if (call.method === 'chat.postEphemeral') {
      messages.push({
        channel: String(args.channel),
        ts: String(response.message_ts),
        visibleTo: String(args.user),
        text: String(args.text ?? ''),
        blocks: blocksOf(args),
        updates: 0,
        postedAt: index,
        changedAt: index,
      });
    } else if (call.method === 'chat.update') {
      const message = byKey.get(`${String(args.channel)}/${String(args.ts)}`);
      if (!message) return;
      if (args.text !== undefined) message.text = String(args.text);
      if (args.blocks !== undefined) message.blocks = blocksOf(args);
      message.updates += 1;
      message.changedAt = index;
    }
  });
  return messages;
}

/** Web API calls Slack refused (e.g. `invalid_blocks`), each in one line with its Block Kit problems. */
export function refusedCalls(calls: readonly SlackCall[]): string[] {
  return calls
    .filter((c) => c.response.ok !== true)
    .map((c) => {
      const problems = c.problems?.length ? `: ${c.problems.join('; ')}` : '';
      return `${c.method} → ${String(c.response.error ?? 'failed')}${problems}`;
    });
}
