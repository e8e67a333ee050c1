/**
 * Messages around a result: the placeholder shown while LinkedIn is asked, and errors that say what happened
 * and what to do next, with a "Try again" or "Link LinkedIn" button when that is the next step.
 */
import { ACTION } from './actions.js';
import { describeAudienceLines, describeAudiencePlain } from './audience.js';
import type { Button, MessageBlock, SlackMessage } from './kit.js';
import { button, context, escapeMrkdwn, LIMITS, oneLine, sectionsFromLines, truncate } from './kit.js';
import type { ErrorView, PendingView } from './types.js';

/** Thread replies use the compact breakdown of result.ts. */
export { renderThreadBreakdown } from './result.js';

export const PENDING_TEXT = 'Fetching your audience breakdown…';
export const ERROR_ACTIONS_BLOCK_ID = 'error_actions';

/** The placeholder posted at once, then replaced by the result (chat.update / respond replace_original). */
export function renderPendingMessage(view: PendingView): SlackMessage {
  const lines = [
    `:hourglass_flowing_sand: *${PENDING_TEXT}*`,
    `*Account:* ${escapeMrkdwn(oneLine(view.accountName))} · *By:* ${escapeMrkdwn(view.groupBy.label)}`,
    ...describeAudienceLines(view.audience),
  ];
  if (view.compareWith) {
    lines.push('*Compared with:*', ...describeAudienceLines(view.compareWith));
  }
  const blocks: MessageBlock[] = [
    ...sectionsFromLines(lines),
    context('LinkedIn usually answers within a few seconds.'),
  ];
  const plain = `${PENDING_TEXT} ${view.groupBy.label} for ${describeAudiencePlain(view.audience)}`;
  return { text: truncate(plain, LIMITS.notificationText), blocks };
}

/** What happened, what to do next, and the button that does it. Never shows tokens or stack traces. */
export function renderErrorMessage(view: ErrorView): SlackMessage {
  const lines = [
    `:warning: *${escapeMrkdwn(oneLine(view.title))}*`,
    escapeMrkdwn(view.message),
    `*Next:* ${escapeMrkdwn(view.nextStep)}`,
  ];
  const blocks: MessageBlock[] = sectionsFromLines(lines);
  const elements: Button[] = [];
  if (view.relink) {
    elements.push(
      button(ACTION.linkLinkedIn, 'Link LinkedIn', view.queryId, {
        style: 'primary',
        ...(view.relinkUrl ? { url: view.relinkUrl } : {}),
      }),
    );
  }
  if (view.retryable && view.queryId) elements.push(button(ACTION.queryRerun, 'Try again', view.queryId));
  if (elements.length > 0) blocks.push({ type: 'actions', block_id: ERROR_ACTIONS_BLOCK_ID, elements });
  const text = `${oneLine(view.title)}. ${oneLine(view.message)} ${oneLine(view.nextStep)}`;
  return { text: truncate(text, LIMITS.notificationText), blocks };
}

/**
 * The error views for the bot's own error codes (src/errors.ts); other codes get a generic, retryable view.
 * `relinkUrl` is the "Link LinkedIn" address when the handler has one.
 */
export function errorViewFor(
  error: { code: string; message?: string },
  ctx: { queryId?: string; relinkUrl?: string } = {},
): ErrorView {
  const base = { ...(ctx.queryId ? { queryId: ctx.queryId } : {}) };
  const relink = { relink: true, ...(ctx.relinkUrl ? { relinkUrl: ctx.relinkUrl } : {}) };
  switch (error.code) {
    case 'not_linked':
      return {
        ...base,
        ...relink,
        title: 'Your Slack account is not linked to LinkedIn yet',
        message: 'The bot asks LinkedIn on your behalf, with your own access to your ad accounts.',
        nextStep: 'Link LinkedIn, then run the query again.',
        retryable: false,
      };
    case 'relink_required':
      return {
        ...base,
        ...relink,
        title: 'Your LinkedIn link has expired',
        message: 'LinkedIn no longer accepts the bot’s access for you (it expired or was revoked).',
        nextStep: 'Link LinkedIn again; your saved queries stay.',
        retryable: false,
      };
    case 'no_ad_account':
      return {
        ...base,
        title: 'No LinkedIn ad account to use',
        message: 'Your LinkedIn member has no role on an ad account, and audience insights are asked through one.',
        nextStep: 'Ask an account admin in Campaign Manager to add you (Viewer is enough), then try again.',
        retryable: Boolean(ctx.queryId),
      };
    case 'invalid_query':
      return {
        ...base,
        title: 'LinkedIn cannot answer this audience as described',
        message: error.message ?? 'The audience breaks one of LinkedIn’s targeting rules.',
        nextStep: 'Edit the query and try again.',
        retryable: false,
      };
    case 'query_not_found':
      return {
        ...base,
        title: 'That query is no longer stored',
        message: 'Old queries are cleaned up after a while.',
        nextStep: 'Run /audience to ask again.',
        retryable: false,
      };
    case 'not_query_owner':
      return {
        ...base,
        title: 'Only the person who asked can do that',
        message: 'Buttons on a shared result act with the asker’s LinkedIn access.',
        nextStep: 'Run /audience to ask the same question with your own account.',
        retryable: false,
      };
    default:
      return {
        ...base,
        title: 'Something went wrong asking LinkedIn',
        message: 'The breakdown could not be fetched this time.',
        nextStep: ctx.queryId ? 'Try again in a minute.' : 'Run /audience again in a minute.',
        retryable: Boolean(ctx.queryId),
      };
  }
}
