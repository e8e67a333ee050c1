import type { AudienceCommandHandler, SlackDeps } from '../app.js';
import { statusMessage } from '../blocks/linking.js';

/** `/audience status`: who the person is linked as, and their default ad account. Reads storage only. */
export const statusCommand =
  (deps: SlackDeps): AudienceCommandHandler =>
  async ({ command, ack }) => {
    const status = deps.linking.status({ teamId: command.team_id, userId: command.user_id });
    await ack({ response_type: 'ephemeral', ...statusMessage(status) });
  };
