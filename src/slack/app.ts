/**
 * Builds the Bolt App and registers its listeners, bolt-js style: each folder exposes one `register(app, deps)`.
 * Other modules add theirs through `SlackExtension`s (listeners, `/audience` sub-commands, and the query flow
 * behind a bare `/audience`), so this file needs no edit when a feature arrives.
 *
 * Over HTTP, Bolt runs on our FastifyReceiver (Fastify owns the port). With an app-level token (`xapp-`), Bolt
 * uses Socket Mode instead and Fastify keeps serving OAuth and health.
 */
import { type AllMiddlewareArgs, App, type Authorize, type SlackCommandMiddlewareArgs, type webApi } from '@slack/bolt';
import type { Config } from '../config.js';
import type { Repositories } from '../db/types.js';
import type { LinkService } from '../linking/types.js';
import { type Logger, toBoltLogger } from '../logging.js';
import { registerLinkingActions } from './actions/linking.js';
import { registerCommands } from './commands/index.js';
import { registerEvents } from './events/index.js';
import { FastifyReceiver, type FastifyReceiverOptions } from './receiver.js';
import { createListenerRouter, type SlackListeners } from './router.js';

export interface SlackDeps {
  config: Config;
  repos: Repositories;
  linking: LinkService;
  logger: Logger;
  now: () => number;
  /** A bot-token client for messages sent outside a Slack request (DMs after linking, App Home republishing). */
  client: webApi.WebClient;
}

export type AudienceCommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
/** Handles `/audience …`. It must `ack()` (within 3 s; before any slow work when it opens a modal). */
export type AudienceCommandHandler = (args: AudienceCommandArgs) => Promise<void>;

export interface SlackExtension {
  name: string;
  /** Registers Bolt listeners (actions, views, options, events), like the core folders do. */
  register?(app: SlackListeners, deps: SlackDeps): void;
  /**
   * `/audience` with no sub-command or with query text (anything that is not a known sub-command): the query
   * flow. `command.text` is the full text. Without one, the person gets the help.
   */
  audienceQuery?: AudienceCommandHandler;
  /** Extra `/audience <word> …` sub-commands, keyed by the lower-case word. */
  subcommands?: Record<string, AudienceCommandHandler>;
  /** Lines (mrkdwn) added to `/audience help` for the extension's sub-commands. */
  helpLines?: string[];
}

/** A listener folder: `commands/`, `actions/`, `events/` (and `views/`, `options/` when they exist). */
export type RegisterListeners = (app: SlackListeners, deps: SlackDeps, extensions: readonly SlackExtension[]) => void;

const CORE_LISTENERS: readonly RegisterListeners[] = [registerCommands, registerLinkingActions, registerEvents];

/**
 * Bolt options every App of ours runs with (each of Bolt's global middlewares costs every request a copy of its
 * arguments; bench/README.md, "Slack request load"):
 * - no conversation store: no listener reads `context.conversation`, and Bolt's default in-memory one looks every
 *   request's channel up and builds an Error (with its stack) for each miss, about 8% of a slash command's CPU;
 * - no `ignoreSelf` middleware: the listener router (router.ts) skips the bot's own events the same way.
 */
export const BOLT_APP_DEFAULTS = { convoStore: false, ignoreSelf: false } as const;

export interface BuildSlackAppOptions {
  deps: SlackDeps;
  botToken: string;
  /** Required over HTTP; unused in Socket Mode. */
  signingSecret?: string;
  /** An `xapp-` token switches Bolt to Socket Mode. */
  appToken?: string;
  /** `slackApiUrl`, `fetch`, `retryConfig`: where the Web API and `respond()` go (a fake in tests). */
  clientOptions: webApi.WebClientOptions;
  processBeforeResponse?: boolean;
  /** Known bot ids skip the one `auth.test` call made on the first request. */
  botIdentity?: { botId: string; botUserId: string };
  extensions?: readonly SlackExtension[];
  receiver?: Partial<Omit<FastifyReceiverOptions, 'signingSecret' | 'logger'>>;
}

export interface SlackApp {
  app: App;
  mode: 'http' | 'socket';
  /** Present over HTTP: give it to `buildServer`. */
  receiver?: FastifyReceiver;
  /** Connects Socket Mode; nothing to do over HTTP (Fastify listens). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function buildSlackApp(options: BuildSlackAppOptions): SlackApp {
  const { deps } = options;
  const logger = deps.logger.child({ component: 'slack' });
  const socketMode = Boolean(options.appToken);

  let receiver: FastifyReceiver | undefined;
  if (!socketMode) {
    if (!options.signingSecret)
      throw new Error('SLACK_SIGNING_SECRET is required to receive Slack requests over HTTP.');
    receiver = new FastifyReceiver({
      signingSecret: options.signingSecret,
      logger,
      now: deps.now,
      processBeforeResponse: options.processBeforeResponse,
      ...options.receiver,
    });
  }

  const app = new App({
    ...(receiver ? { receiver } : { socketMode: true, appToken: options.appToken }),
    authorize: singleWorkspaceAuthorize(options.botToken, deps.client, options.botIdentity, logger),
    logger: toBoltLogger(deps.logger),
    clientOptions: options.clientOptions,
    ...BOLT_APP_DEFAULTS,
  });

  // Rethrown so the receiver sees the failure: it logs it (once) and, when nothing was acked yet, answers 500
  // instead of pretending the request found no listener.
  app.error(async (error) => {
    throw error;
  });

  registerListeners(app, deps, options.extensions ?? []);

  return {
    app,
    mode: socketMode ? 'socket' : 'http',
    receiver,
    start: async () => {
      if (socketMode) await app.start();
    },
    stop: async () => {
      if (socketMode) await app.stop();
    },
  };
}

/**
 * The core folders, then the extensions, on one listener router (see router.ts for why not on the App itself).
 * Exported for benches that run the same listeners on another receiver.
 */
export function registerListeners(app: App, deps: SlackDeps, extensions: readonly SlackExtension[]): void {
  const router = createListenerRouter();
  for (const register of CORE_LISTENERS) register(router.listeners, deps, extensions);
  for (const extension of extensions) extension.register?.(router.listeners, deps);
  router.attach(app);
}

/**
 * One bot token for one workspace. The bot's own ids (which Bolt uses to ignore its own events) come from a
 * single `auth.test` on the first request, not at start-up, so the app starts offline.
 */
function singleWorkspaceAuthorize(
  botToken: string,
  client: webApi.WebClient,
  known: { botId: string; botUserId: string } | undefined,
  logger: Logger,
): Authorize<boolean> {
  let identity: Promise<{ botId?: string; botUserId?: string }> | undefined = known
    ? Promise.resolve(known)
    : undefined;
  return async () => {
    identity ??= client.auth
      .test({ token: botToken })
      .then((r) => ({ botId: r.bot_id, botUserId: r.user_id }))
      .catch((error: unknown) => {
        identity = undefined;
        logger.warn({ err: error }, 'auth.test failed; continuing without the bot ids');
        return {};
      });
    return { botToken, ...(await identity) };
  };
}
