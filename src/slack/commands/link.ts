import type { AudienceCommandHandler, SlackDeps } from '../app.js';
import { linkPromptMessage } from '../blocks/linking.js';

/** `/audience link`: a private reply with a one-time link to LinkedIn's consent page. */
export const linkCommand =
  (deps: SlackDeps): AudienceCommandHandler =>
  async ({ command, ack }) => {
    const key = { teamId: command.team_id, userId: command.user_id };
    const status = deps.linking.status(key);
    const issued = deps.linking.issueLink(key, {
      channelId: command.channel_id,
      appId: command.api_app_id,
      source: 'command',
    });
    const reason = !status.linked ? 'link' : status.status === 'needs_relink' ? 'relink_required' : 'relink';
    const memberName = status.linked ? status.memberName : undefined;
    await ack({ response_type: 'ephemeral', ...linkPromptMessage({ ...issued, reason, memberName }) });
  };
