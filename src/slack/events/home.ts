import type { webApi } from '@slack/bolt';
import type { SlackUserKey } from '../../db/types.js';
import type { SlackDeps } from '../app.js';
import { isChartStyle, resolveChartStyle } from '../blocks/chartStyles.js';
import {
  type HomeChartStyle,
  type HomeData,
  RECENT_QUERIES_SHOWN,
  recentQueryItem,
  renderHome,
} from '../blocks/home.js';

type HomeDeps = Pick<SlackDeps, 'linking' | 'repos' | 'config' | 'logger'>;

/**
 * Whether Slack says the person is a workspace admin or owner (users.info, `users:read`). Anything else —
 * including a failed call, e.g. a token without that scope — counts as "no": the style picker is then not
 * offered, and a change is refused.
 */
export async function isWorkspaceAdmin(
  client: webApi.WebClient,
  userId: string,
  logger?: SlackDeps['logger'],
): Promise<boolean> {
  try {
    const { user } = await client.users.info({ user: userId });
    return Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner);
  } catch (error) {
    logger?.info({ err: error }, 'could not tell whether the person is a workspace admin');
    return false;
  }
}

/** The workspace's chart style as the Home shows it. */
export function homeChartStyle(
  deps: Pick<SlackDeps, 'repos' | 'config'>,
  teamId: string,
  canChange: boolean,
): HomeChartStyle {
  const stored = deps.repos.preferences.getWorkspaceChartStyle(teamId);
  const serverDefault = deps.config.charts.style;
  return {
    current: resolveChartStyle(stored, serverDefault),
    ...(isChartStyle(stored) ? { workspaceChoice: stored } : {}),
    serverDefault,
    canChange,
  };
}

/** Everything the App Home shows for one person, read from storage (no LinkedIn call). */
export function homeDataFor(
  deps: Pick<SlackDeps, 'linking' | 'repos' | 'config'>,
  key: SlackUserKey,
  opts: { isAdmin?: boolean } = {},
): HomeData {
  return {
    link: deps.linking.status(key),
    recentQueries: deps.repos.queries.listRecent(key, RECENT_QUERIES_SHOWN).map(recentQueryItem),
    chartStyle: homeChartStyle(deps, key.teamId, opts.isAdmin ?? false),
    linkedInMode: deps.config.linkedin.mode,
  };
}

/** Renders and publishes the person's App Home. Other flows call it after changing what the Home shows. */
export async function publishHome(client: webApi.WebClient, deps: HomeDeps, key: SlackUserKey): Promise<void> {
  const isAdmin = await isWorkspaceAdmin(client, key.userId, deps.logger);
  await client.views.publish({ user_id: key.userId, view: renderHome(homeDataFor(deps, key, { isAdmin })) });
}
