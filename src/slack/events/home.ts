import type { webApi } from '@slack/bolt';
import type { SlackUserKey } from '../../db/types.js';
import type { SlackDeps } from '../app.js';
import { type HomeData, RECENT_QUERIES_SHOWN, recentQueryItem, renderHome } from '../blocks/home.js';

/** Everything the App Home shows for one person, read from storage (no LinkedIn call). */
export function homeDataFor(deps: Pick<SlackDeps, 'linking' | 'repos' | 'config'>, key: SlackUserKey): HomeData {
  return {
    link: deps.linking.status(key),
    recentQueries: deps.repos.queries.listRecent(key, RECENT_QUERIES_SHOWN).map(recentQueryItem),
    linkedInMode: deps.config.linkedin.mode,
  };
}

/** Renders and publishes the person's App Home. Other flows call it after changing what the Home shows. */
export async function publishHome(
  client: webApi.WebClient,
  deps: Pick<SlackDeps, 'linking' | 'repos' | 'config'>,
  key: SlackUserKey,
): Promise<void> {
  await client.views.publish({ user_id: key.userId, view: renderHome(homeDataFor(deps, key)) });
}
