/**
 * Tells people about their LinkedIn link in Slack: a DM when it is made or stops working, and a fresh App Home
 * after any change. Delivery problems are logged, never thrown: the link itself already changed.
 */
import type { LinkNotifier } from '../../linking/types.js';
import type { SlackDeps } from '../app.js';
import type { SlackMessage } from '../blocks/kit.js';
import { linkedConfirmation, relinkNotice } from '../blocks/linking.js';
import { publishHome } from './home.js';

export function createSlackLinkNotifier(deps: SlackDeps): LinkNotifier {
  const log = deps.logger.child({ component: 'link-notifier' });

  // Posting to a user id lands in the person's DM with the app (chat:write; no conversations.open needed).
  const dm = async (userId: string, message: SlackMessage) => {
    try {
      await deps.client.chat.postMessage({ channel: userId, text: message.text, blocks: message.blocks });
    } catch (error) {
      log.warn({ err: error }, 'could not send the link DM');
    }
  };

  return async (event) => {
    const { key } = event;
    if (event.type === 'linked') {
      await dm(key.userId, linkedConfirmation(event));
    } else if (event.type === 'relink_required') {
      const issued = deps.linking.issueLink(key, { source: 'prompt' });
      await dm(key.userId, relinkNotice(issued));
    }
    try {
      await publishHome(deps.client, deps, key);
    } catch (error) {
      log.warn({ err: error }, 'could not republish the App Home');
    }
  };
}
