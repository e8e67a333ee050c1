/**
 * Block Kit for the LinkedIn link: pure functions from plain data to messages and views. Nothing here carries a
 * token; the only secret-ish value is the one-time start link, shown to its owner only (ephemeral, DM, Home).
 */
import type { types } from '@slack/bolt';
import type { AdAccountRole, MemberAdAccount } from '../../linkedin/types.js';
import type { LinkStatusView, UnlinkResult } from '../../linking/types.js';
import { button, context, escapeMrkdwn, plainText, type SlackMessage, section } from './kit.js';

export const LINK_ACTION_IDS = {
  /** The URL button that opens the one-time link; Slack still sends an action, which is only acknowledged. */
  openLink: 'linkedin_link_open',
  /** App Home: opens a modal holding a fresh one-time link. */
  startLink: 'linkedin_link',
  unlink: 'linkedin_unlink',
  defaultAccount: 'default_account_select',
  refreshAccounts: 'linkedin_accounts_refresh',
} as const;

/** Re-run of a stored query; handled by the query flow, rendered here in the App Home. */
export const QUERY_RERUN_ACTION_ID = 'query_rerun';

export const LINK_MODAL_CALLBACK_ID = 'linkedin_link_modal';

const ROLE_LABELS: Record<AdAccountRole, string> = {
  ACCOUNT_BILLING_ADMIN: 'Billing admin',
  ACCOUNT_MANAGER: 'Account manager',
  CAMPAIGN_MANAGER: 'Campaign manager',
  CREATIVE_MANAGER: 'Creative manager',
  VIEWER: 'Viewer',
};

export const roleLabel = (role: AdAccountRole): string => ROLE_LABELS[role] ?? role;

/** A time Slack renders in the reader's own time zone, with a plain fallback. */
export const slackTime = (epochMs: number, format = '{date_short_pretty} at {time}'): string => {
  const seconds = Math.floor(epochMs / 1000);
  return `<!date^${seconds}^${format}|${new Date(epochMs).toISOString().replace('T', ' ').slice(0, 16)} UTC>`;
};

export const accountLabel = (account: MemberAdAccount): string =>
  `${account.name} (${account.id}) · ${roleLabel(account.role)}${account.status === 'ACTIVE' ? '' : ` · ${account.status.toLowerCase()}`}`;

export const linkButton = (url: string, label = 'Link LinkedIn account'): types.Button =>
  button(LINK_ACTION_IDS.openLink, label, undefined, { url, style: 'primary' });

export type LinkPromptReason = 'link' | 'relink' | 'not_linked' | 'relink_required';

export interface LinkPromptInput {
  url: string;
  expiresAt: number;
  reason: LinkPromptReason;
  memberName?: string;
}

const PROMPT_TEXT: Record<LinkPromptReason, (memberName?: string) => string> = {
  link: () => 'Link your LinkedIn account to explore audiences from Slack.',
  relink: (name) =>
    `You are linked to LinkedIn as *${escapeMrkdwn(name ?? 'a member')}*. Use the button to link again, for example as another member.`,
  not_linked: () => 'This needs your LinkedIn account, which is not linked yet.',
  relink_required: () => 'Your LinkedIn link has expired or was revoked. Link it again to keep going.',
};

/** The private reply with a one-time link (`/audience link`, or any flow that needs LinkedIn first). */
export function linkPromptMessage(input: LinkPromptInput): SlackMessage {
  const lead = PROMPT_TEXT[input.reason](input.memberName);
  return {
    text: `${lead.replace(/\*/g, '')} Open this one-time link: ${input.url}`,
    blocks: [
      section(lead),
      {
        type: 'actions',
        elements: [linkButton(input.url, input.reason === 'relink' ? 'Link again' : 'Link LinkedIn account')],
      },
      context(
        `The link works once, for you only, until ${slackTime(input.expiresAt, '{time}')}. LinkedIn asks you to approve read access to your ad accounts.`,
      ),
    ],
  };
}

/** The modal the App Home's Link button opens: a fresh one-time link each time. */
export function linkModal(input: { url: string; expiresAt: number }): types.ModalView {
  return {
    type: 'modal',
    callback_id: LINK_MODAL_CALLBACK_ID,
    title: plainText('Link LinkedIn'),
    close: plainText('Close'),
    blocks: [
      section(
        'Open LinkedIn to approve access to your ad accounts. When you are done, come back here: the Home tab shows your link.',
      ),
      { type: 'actions', elements: [linkButton(input.url, 'Open LinkedIn')] },
      context(`The link works once, for you only, until ${slackTime(input.expiresAt, '{time}')}.`),
    ],
  };
}

/** `/audience status`. */
export function statusMessage(status: LinkStatusView): SlackMessage {
  if (!status.linked) {
    return {
      text: 'Your Slack account is not linked to LinkedIn. Run /audience link to link it.',
      blocks: [section('Your Slack account is not linked to LinkedIn yet. Run `/audience link` to link it.')],
    };
  }
  const name = escapeMrkdwn(status.memberName);
  const headline =
    status.status === 'needs_relink'
      ? `:warning: Linked to LinkedIn as *${name}*, but the link has expired or was revoked. Run \`/audience link\` to link again.`
      : `:white_check_mark: Linked to LinkedIn as *${name}*.`;
  const account = status.defaultAccount
    ? `*Default ad account:* ${escapeMrkdwn(accountLabel(status.defaultAccount))}`
    : status.defaultAccountUrn
      ? `*Default ad account:* ${escapeMrkdwn(status.defaultAccountUrn)}`
      : status.accounts.length === 0
        ? '*Default ad account:* none: this member has no ad account with a role on it.'
        : '*Default ad account:* none chosen yet. Pick one in the App Home.';
  const details = [
    account,
    `*Ad accounts:* ${status.accounts.length}`,
    `*Linked since:* ${slackTime(status.linkedAt)}`,
  ].join('\n');
  return {
    text: `Linked to LinkedIn as ${status.memberName}.`,
    blocks: [
      section(headline),
      section(details),
      context('Change the default ad account in the App Home. `/audience unlink` removes the link.'),
    ],
  };
}

/** The DM that confirms a new link. */
export function linkedConfirmation(input: {
  memberName: string;
  accounts: MemberAdAccount[];
  defaultAccountUrn?: string;
}): SlackMessage {
  const name = escapeMrkdwn(input.memberName);
  const defaultAccount = input.accounts.find((a) => a.urn === input.defaultAccountUrn);
  const accountLine = defaultAccount
    ? `Your default ad account is *${escapeMrkdwn(accountLabel(defaultAccount))}*; change it in the Home tab.`
    : 'This LinkedIn member has no ad account with a role on it, so audience queries will not work yet.';
  return {
    text: `LinkedIn linked: you are connected as ${input.memberName}.`,
    blocks: [
      section(`:white_check_mark: Your LinkedIn account is linked: you are connected as *${name}*.`),
      section(accountLine),
      context('Try `/audience` to explore an audience, or `/audience help` for everything the bot can do.'),
    ],
  };
}

/** The DM sent once when a link stops working. */
export function relinkNotice(input: { url: string; expiresAt: number }): SlackMessage {
  return linkPromptMessage({ ...input, reason: 'relink_required' });
}

/** The reply to `/audience unlink`. */
export function unlinkedMessage(result: UnlinkResult): SlackMessage {
  const text = !result.wasLinked
    ? 'There was no LinkedIn link to remove.'
    : result.revoked
      ? 'Your LinkedIn link is removed, and LinkedIn has revoked the bot’s access.'
      : 'Your LinkedIn link is removed here. LinkedIn did not confirm the revocation; you can also remove the app in your LinkedIn settings.';
  return { text, blocks: [section(text)] };
}
