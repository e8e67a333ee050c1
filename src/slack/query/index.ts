/**
 * The /audience query flow as a SlackExtension: the modal (and its typeahead), quick text queries, private
 * answers that can be shared, breakdowns in threads, editing, re-running and saving audience templates.
 *
 *   createApp(config, { extensions: [createQueryFlowExtension] })
 */

import type { AppContext, SlackExtensionFactory } from '../../main.js';
import type { SlackExtension } from '../app.js';
import { registerResultActions } from './actions.js';
import { audienceQueryHandler } from './command.js';
import { buildQueryFlow, type QueryFlowOptions } from './flow.js';
import { registerModal } from './modal.js';
import { registerOptions } from './options.js';
import { registerTemplate } from './template.js';

export type { QueryFlow, QueryFlowOptions } from './flow.js';

/** The extension with non-default options (cache lifetimes, the typeahead deadline, a QuickChart fetch). */
export function queryFlowExtension(options: QueryFlowOptions = {}): SlackExtensionFactory {
  return (context: AppContext): SlackExtension => {
    const flow = buildQueryFlow(context, options);
    return {
      name: 'query-flow',
      audienceQuery: audienceQueryHandler(flow),
      register(app) {
        registerModal(app, flow);
        registerOptions(app, flow);
        registerResultActions(app, flow);
        registerTemplate(app, flow);
      },
    };
  };
}

export const createQueryFlowExtension: SlackExtensionFactory = queryFlowExtension();
