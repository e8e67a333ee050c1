import type { RegisterListeners } from '../app.js';
import { publishHome } from './home.js';

export const registerEvents: RegisterListeners = (app, deps) => {
  app.event('app_home_opened', async ({ event, body, context, client }) => {
    // The Messages tab sends this event too; only the Home tab has a view to publish.
    if (event.tab !== undefined && event.tab !== 'home') return;
    // Slack always names the person; an event without one has no Home to publish (views.publish would fail).
    if (typeof event.user !== 'string' || event.user === '') return;
    const teamId = context.teamId ?? body.team_id;
    await publishHome(client, deps, { teamId, userId: event.user });
  });
};
