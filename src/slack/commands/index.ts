import type { RegisterListeners } from '../app.js';
import { registerAudienceCommand } from './audience.js';

/** Slash commands. The bot has one, `/audience`, with sub-commands. */
export const registerCommands: RegisterListeners = (app, deps, extensions) => {
  registerAudienceCommand(app, deps, extensions);
};
