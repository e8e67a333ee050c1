import type { AudienceCommandHandler, SlackDeps } from '../app.js';
import { unlinkedMessage } from '../blocks/linking.js';

/** `/audience unlink`: acknowledged at once, since revoking at LinkedIn is a network call; the result follows. */
export const unlinkCommand =
  (deps: SlackDeps): AudienceCommandHandler =>
  async ({ command, ack, respond }) => {
    await ack();
    const result = await deps.linking.unlink({ teamId: command.team_id, userId: command.user_id });
    await respond({ response_type: 'ephemeral', ...unlinkedMessage(result) });
  };
