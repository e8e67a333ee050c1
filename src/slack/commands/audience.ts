/**
 * The `/audience` dispatcher. The first word picks a sub-command (link, status, unlink, help, or one added by an
 * extension); anything else, including no text at all, is a query and belongs to the query flow.
 */
import type { SlackUserKey } from '../../db/types.js';
import { isCodedError, NotLinkedError, RelinkRequiredError } from '../../errors.js';
import { linkPromptFor } from '../actions/linking.js';
import type { AudienceCommandArgs, AudienceCommandHandler, SlackDeps, SlackExtension } from '../app.js';
import { type SlackMessage, section } from '../blocks/kit.js';
import type { SlackListeners } from '../router.js';
import { helpMessage } from './help.js';
import { linkCommand } from './link.js';
import { statusCommand } from './status.js';
import { unlinkCommand } from './unlink.js';

export const AUDIENCE_COMMAND = '/audience';

/** Splits `text` into the sub-command word (lower-cased) and the rest. */
export function parseSubcommand(text: string): { word: string; rest: string } {
  const trimmed = text.trim();
  const match = /^(\S+)\s*([\s\S]*)$/.exec(trimmed);
  if (!match) return { word: '', rest: '' };
  return { word: match[1]!.toLowerCase(), rest: match[2]! };
}

export function registerAudienceCommand(
  app: SlackListeners,
  deps: SlackDeps,
  extensions: readonly SlackExtension[],
): void {
  const extraHelp = extensions.flatMap((e) => e.helpLines ?? []);
  // The same for everyone: built once, and frozen so the receiver serialises it once too.
  const helpAnswer = deepFreeze({ response_type: 'ephemeral' as const, ...helpMessage(extraHelp) });
  const help: AudienceCommandHandler = async ({ ack }) => {
    await ack(helpAnswer);
  };

  const subcommands: Record<string, AudienceCommandHandler> = {
    link: linkCommand(deps),
    status: statusCommand(deps),
    unlink: unlinkCommand(deps),
    help,
    '?': help,
  };
  for (const extension of extensions) Object.assign(subcommands, extension.subcommands);

  // ── QUERY FLOW HOOK ──────────────────────────────────────────────────────────────────────────────────────────
  // `/audience` alone or with query text is handled by the query flow, which plugs in as a SlackExtension with
  // `audienceQuery` (see app.ts). Until one is registered, the person gets the help.
  const queryFlow: AudienceCommandHandler = extensions.find((e) => e.audienceQuery)?.audienceQuery ?? help;
  // ─────────────────────────────────────────────────────────────────────────────────────────────────────────────

  app.command(AUDIENCE_COMMAND, async (args) => {
    // Slack sends every field as a string; a payload with anything else in `text` is read as no text, rather
    // than failing (a 500) before anyone acknowledged it.
    if (typeof args.command.text !== 'string') args.command.text = '';
    const { word } = parseSubcommand(args.command.text);
    const handler = Object.hasOwn(subcommands, word) ? subcommands[word]! : queryFlow;
    await runGuarded(handler, args, deps);
  });
}

/**
 * Runs a handler so that no failure leaves Slack without an answer: before the ack the error becomes the ack's
 * (ephemeral) message, after it a `respond()`. People see a sentence, never a stack trace.
 */
async function runGuarded(handler: AudienceCommandHandler, args: AudienceCommandArgs, deps: SlackDeps): Promise<void> {
  const guard = new AckGuard(args.ack);
  // `args` is this request's own (Bolt builds it for each middleware call): its ack is swapped in place rather
  // than copied with a new one, on the hot path of every command.
  args.ack = guard.ack;
  try {
    await handler(args);
  } catch (error) {
    deps.logger.warn({ err: error, command: AUDIENCE_COMMAND }, 'an /audience command failed');
    const key = { teamId: args.command.team_id, userId: args.command.user_id };
    const message = messageForError(error, deps, key, args.command.channel_id, args.command.api_app_id);
    if (!guard.acked) await guard.original({ response_type: 'ephemeral', ...message });
    else await args.respond({ response_type: 'ephemeral', ...message }).catch(() => undefined);
  }
}

/** Bolt's ack, remembering whether it was called. A class: tsx names every named closure on each call. */
class AckGuard {
  acked = false;
  readonly ack: AudienceCommandArgs['ack'];

  constructor(readonly original: AudienceCommandArgs['ack']) {
    this.ack = (response) => {
      this.acked = true;
      return original(response);
    };
  }
}

/** What a person is told when a command fails: a link prompt for link problems, the coded message, or a generic line. */
export function messageForError(
  error: unknown,
  deps: SlackDeps,
  key: SlackUserKey,
  channelId?: string,
  appId?: string,
): SlackMessage {
  if (error instanceof NotLinkedError || error instanceof RelinkRequiredError) {
    return linkPromptFor(deps, key, error instanceof NotLinkedError ? 'not_linked' : 'relink_required', {
      channelId,
      appId,
      source: 'prompt',
    });
  }
  const text =
    isCodedError(error) && !error.code.startsWith('linkedin_')
      ? error.message
      : 'Something went wrong on our side. Please try again in a moment.';
  return { text, blocks: [section(text)] };
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) if (child !== null && typeof child === 'object') deepFreeze(child);
  return Object.freeze(value);
}
