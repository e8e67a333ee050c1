/**
 * The query flow's own small views and messages (pure): the loading modal, what a modal shows when LinkedIn
 * could not fill it, the "Save as audience template" modals, and notices about sharing and quick queries.
 */
import type { types } from '@slack/bolt';
import type { QuickQueryResolution } from '../../insights/quickQuery.js';
import { findTargetingFacet } from '../../linkedin/facets.js';
import {
  context,
  escapeMrkdwn,
  LIMITS,
  oneLine,
  plainText,
  type SlackMessage,
  section,
  truncate,
} from '../blocks/kit.js';

type ModalView = types.ModalView;

export const LOADING_MODAL_CALLBACK_ID = 'audience_query_loading';
export const TEMPLATE_MODAL_CALLBACK_ID = 'save_template';
export const TEMPLATE_NAME_BLOCK = 'template_name';
export const TEMPLATE_NAME_ACTION = 'template_name_input';
/** LinkedIn accepts template names up to 255 characters. */
export const TEMPLATE_NAME_MAX = 255;

const modal = (title: string, blocks: types.KnownBlock[], extra: Partial<ModalView> = {}): ModalView => ({
  type: 'modal',
  title: plainText(title, LIMITS.modalTitle),
  close: plainText('Close', LIMITS.modalTitle),
  blocks,
  ...extra,
});

/** Opened at once with the trigger_id; views.update replaces it when the accounts and lists are in. */
export function loadingModal(title = 'Audience insights'): ModalView {
  return modal(
    title,
    [
      section(':hourglass_flowing_sand: *Loading your ad accounts and LinkedIn’s facet lists…*'),
      context('This takes a moment the first time; the form appears here by itself.'),
    ],
    { callback_id: LOADING_MODAL_CALLBACK_ID },
  );
}

/** What the modal shows when it cannot be filled: the failure's message, as blocks of a modal. */
export function messageModal(title: string, message: SlackMessage, callbackId = LOADING_MODAL_CALLBACK_ID): ModalView {
  return modal(title, message.blocks as types.KnownBlock[], { callback_id: callbackId });
}

/** The small modal that asks for the template's name. */
export function templateNameModal(input: { queryId: string; suggestedName: string; accountName: string }): ModalView {
  return modal(
    'Save audience',
    [
      section(
        `Saves this audience as a LinkedIn *saved audience template* on *${escapeMrkdwn(oneLine(input.accountName))}*, ready to use in Campaign Manager.`,
      ),
      {
        type: 'input',
        block_id: TEMPLATE_NAME_BLOCK,
        label: plainText('Template name', 2000),
        element: {
          type: 'plain_text_input',
          action_id: TEMPLATE_NAME_ACTION,
          initial_value: truncate(input.suggestedName, TEMPLATE_NAME_MAX),
          max_length: TEMPLATE_NAME_MAX,
        },
      },
    ],
    {
      callback_id: TEMPLATE_MODAL_CALLBACK_ID,
      submit: plainText('Save', LIMITS.modalTitle),
      close: plainText('Cancel', LIMITS.modalTitle),
      private_metadata: JSON.stringify({ q: input.queryId }),
    },
  );
}

export const templateSavingModal = (name: string): ModalView =>
  modal('Save audience', [section(`:hourglass_flowing_sand: Saving *${escapeMrkdwn(oneLine(name))}* at LinkedIn…`)]);

export const templateSavedModal = (input: { name: string; id: number; accountName: string }): ModalView =>
  modal('Audience saved', [
    section(
      `:white_check_mark: Saved *${escapeMrkdwn(oneLine(input.name))}* as an audience template on *${escapeMrkdwn(
        oneLine(input.accountName),
      )}* (template ${input.id}).`,
    ),
    context('Find it in Campaign Manager when you create a campaign: Audience → Saved audiences.'),
  ]);

/** Saving templates needs a role that may change the account; a Viewer can only look. */
export function templateRoleMessage(input: { accountName: string; role?: string }): SlackMessage {
  const lead = input.role
    ? `Your role on *${escapeMrkdwn(oneLine(input.accountName))}* is *${input.role === 'VIEWER' ? 'Viewer' : escapeMrkdwn(input.role)}*, which can look at audiences but not save them.`
    : `You have no role on *${escapeMrkdwn(oneLine(input.accountName))}*, so LinkedIn does not let you save audiences there.`;
  const next =
    'Saving an audience template needs the Campaign Manager, Account Manager or Billing Admin role. Ask an account manager to change your role in Campaign Manager, or ask them to save it.';
  return { text: `${lead.replace(/\*/g, '')} ${next}`, blocks: [section(`:no_entry: ${lead}`), section(next)] };
}

export function shareProblemMessage(
  reason: 'no_channel' | 'not_member' | 'unavailable' | 'not_owner' | 'not_ready',
  input: { channelId?: string; botUserId?: string } = {},
): SlackMessage {
  const channel = input.channelId ? `<#${input.channelId}>` : 'that channel';
  const bot = input.botUserId ? `<@${input.botUserId}>` : 'the bot';
  const text = {
    no_channel:
      'This answer was not asked in a channel, so there is nowhere to share it. Run `/audience` in the channel you want to share to.',
    not_member: `I am not a member of ${channel} and cannot join it by myself (it is private or shared). Add me with \`/invite ${bot}\` in ${channel}, then click *Share to channel* again.`,
    unavailable: `Slack did not let me post in ${channel} (it may be archived or gone). Run \`/audience\` in another channel to share from there.`,
    not_owner: 'Only the person who asked can share this answer. Run `/audience` to ask it yourself.',
    not_ready: 'Only a finished answer can be shared. Try again once the result is in.',
  }[reason];
  return { text: text.replace(/[*`]/g, ''), blocks: [section(`:information_source: ${text}`)] };
}

export const sharedNote = (channelId: string): string => `:white_check_mark: Shared in <#${channelId}>.`;

/** A quick query that could not be read or resolved: every problem, with LinkedIn's suggestions. */
export function quickQueryProblemsMessage(problems: ReadonlyArray<{ message: string }>, example: string): SlackMessage {
  const lines = problems.slice(0, 20).map((p) => `• ${escapeMrkdwn(p.message)}`);
  const text = `I could not run that query: ${problems.map((p) => p.message).join(' ')}`;
  return {
    text: truncate(text, LIMITS.notificationText),
    blocks: [
      section('*I could not run that query:*'),
      section(lines.join('\n')),
      context(`Example: \`/audience ${example}\` · \`/audience\` alone opens the form.`),
    ],
  };
}

export const quickQueryAcceptedMessage = (): SlackMessage => {
  const text = 'Looking that up: the answer arrives in your direct messages with me, where you can share it.';
  return { text, blocks: [context(`:hourglass_flowing_sand: ${text}`)] };
};

/** "Read “Python” as Python (Programming Language) (skill) · …": how each typed name was resolved. */
export function resolutionNote(resolutions: readonly QuickQueryResolution[]): string | undefined {
  if (resolutions.length === 0) return undefined;
  const parts = resolutions.map((r) => {
    const facet = (findTargetingFacet(r.facet)?.label ?? r.facet).toLowerCase();
    const exclusion = r.excluded ? ', excluded' : '';
    return `“${escapeMrkdwn(oneLine(r.input))}” → *${escapeMrkdwn(oneLine(r.name))}* (${escapeMrkdwn(facet)}${exclusion})`;
  });
  return `Read as: ${parts.join(' · ')}`;
}
