/**
 * Composition root: config → database (opened, migrated) → LinkedIn client (live, or the in-process sandbox) →
 * link service → Slack app → HTTP server. `createApp` builds the whole bot and is what tests build too, with
 * fakes only at the edges (Slack's fetch, the sandbox, the clock). `main` adds listening and signal handling.
 */
import { realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { webApi } from '@slack/bolt';
import type { FastifyInstance } from 'fastify';
import { type Config, ConfigError, loadConfig } from './config.js';
import { createTokenSealer, resolveTokenKey } from './crypto/sealer.js';
import { openDatabase } from './db/sqlite/client.js';
import { resolveDatabasePath } from './db/sqlite/connection.js';
import type { Database } from './db/types.js';
import { buildServer, type Clock, SANDBOX_PREFIX } from './http/server.js';
import { createLinkedInClient, type LinkedInClient } from './linkedin/client.js';
import { createLinkService, LINK_CALLBACK_PATH } from './linking/service.js';
import { deriveTicketKey } from './linking/tickets.js';
import type { LinkNotifier, LinkService } from './linking/types.js';
import { createLogger, type Logger, toBoltLogger } from './logging.js';
import {
  type AppObservers,
  appObservers,
  linkedinCallObserver,
  nameCacheObserver,
  slackRequestObserver,
} from './observability/hooks.js';
import { logLinkedInFailures } from './observability/linkedinErrors.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { createRequestScope } from './observability/requestScope.js';
import type { Sandbox } from './sandbox/index.js';
import { buildSlackApp, type SlackApp, type SlackDeps, type SlackExtension } from './slack/app.js';
import { createSlackLinkNotifier } from './slack/events/linkNotifier.js';
import { createQueryFlowExtension } from './slack/query/index.js';

export type { Clock };

/** What `createApp` needs from the in-process LinkedIn sandbox (`buildSandbox()`); its `fetch` feeds the client. */
export type SandboxHandle = Pick<Sandbox, 'app' | 'fetch' | 'clientId' | 'clientSecret' | 'close'>;

/** Everything a feature module may use to build its Slack listeners. */
export interface AppContext {
  config: Config;
  db: Database;
  linkedin: LinkedInClient;
  linking: LinkService;
  logger: Logger;
  clock: Clock;
  /** Bot-token Web API client, for work outside a Slack request. */
  slackClient: webApi.WebClient;
  sandbox?: SandboxHandle;
  /** This app's Prometheus metrics (served on `/metrics`). */
  metrics: Metrics;
  /**
   * Callbacks for what features build themselves: spread `observe.insights` into `createInsightsService` deps
   * and `observe.facetOptions` into `createFacetOptions` deps, so queries and cache look-ups are counted.
   */
  observe: AppObservers;
}

/** How a feature (e.g. the query flow) plugs into the Slack app: built once the rest of the app exists. */
export type SlackExtensionFactory = (context: AppContext) => SlackExtension;

export interface AppOverrides {
  clock?: Clock;
  logger?: Logger;
  /** Slack's edge: a fake Web API in tests. */
  slack?: {
    fetch?: typeof fetch;
    apiUrl?: string;
    retryConfig?: webApi.RetryOptions;
    processBeforeResponse?: boolean;
    botIdentity?: { botId: string; botUserId: string };
  };
  /** A sandbox built by the caller (tests keep its handle to turn its knobs). Closed by the caller. */
  sandbox?: SandboxHandle;
  /** Live mode: the fetch the LinkedIn client uses. */
  linkedinFetch?: typeof fetch;
  /** A database opened by the caller. Closed by the caller. */
  db?: Database;
  extensions?: readonly SlackExtensionFactory[];
  /** Default: a fresh registry without process metrics (`main` turns those on). */
  metrics?: Metrics;
}

export interface AppHandles extends AppContext {
  server: FastifyInstance;
  slack: SlackApp;
  /** Stops accepting requests, waits for the ones in flight, then closes Slack, the sandbox and the database. */
  close(): Promise<void>;
}

/** The base URL the LinkedIn client uses for the in-process sandbox; any host works, the sandbox routes on path. */
/** Features on by default: the /audience query flow (modal, quick query, answers, sharing, threads). */
export const DEFAULT_EXTENSIONS: readonly SlackExtensionFactory[] = [createQueryFlowExtension];

export const SANDBOX_INTERNAL_URL = 'http://linkedin-sandbox.internal';

export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<AppHandles> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? { now: () => Date.now() };
  const now = () => clock.now();
  const metrics = overrides.metrics ?? createMetrics();
  const requestScope = createRequestScope();
  const clientObservers = { onCall: linkedinCallObserver(metrics), onCacheEvent: nameCacheObserver(metrics) };
  const { botToken, signingSecret, appToken } = config.slack;
  const problems: string[] = [];
  if (!botToken) problems.push('SLACK_BOT_TOKEN is required (the bot token, xoxb-…)');
  if (!signingSecret && !appToken)
    problems.push('SLACK_SIGNING_SECRET is required (or SLACK_APP_TOKEN for Socket Mode)');
  if (problems.length > 0) throw new ConfigError(problems);

  const cleanup: Array<() => Promise<void> | void> = [];
  try {
    let tokenKey: Buffer | undefined;
    let db = overrides.db;
    if (!db) {
      tokenKey = resolveTokenKey({
        configuredKey: config.tokenEncryptionKey,
        mode: config.linkedin.mode,
        dataDir: dataDirOf(config.databaseUrl),
        logger,
      });
      db = openDatabase({ url: config.databaseUrl, sealer: createTokenSealer({ current: tokenKey }), now });
      const opened = db;
      cleanup.push(() => opened.close());
    }

    let sandbox = overrides.sandbox;
    let linkedin: LinkedInClient;
    let authorizeBaseUrl: string;
    let clientId: string;
    let clientSecret: string;
    if (config.linkedin.mode === 'sandbox') {
      if (!sandbox) {
        sandbox = await buildDefaultSandbox(config, now);
        const built = sandbox;
        cleanup.push(() => built.close());
      }
      ({ clientId, clientSecret } = sandbox);
      // The browser reaches the sandbox's consent page through this server (sandboxProxy).
      authorizeBaseUrl = `${config.publicUrl}${SANDBOX_PREFIX}/oauth/v2`;
      linkedin = createLinkedInClient({
        apiUrl: `${SANDBOX_INTERNAL_URL}/rest`,
        oauthUrl: `${SANDBOX_INTERNAL_URL}/oauth/v2`,
        version: config.linkedin.version,
        clientId,
        clientSecret,
        fetch: sandbox.fetch,
        now,
        ...clientObservers,
      });
    } else {
      clientId = config.linkedin.clientId!;
      clientSecret = config.linkedin.clientSecret!;
      authorizeBaseUrl = config.linkedin.oauthUrl;
      linkedin = createLinkedInClient({
        apiUrl: config.linkedin.apiUrl,
        oauthUrl: config.linkedin.oauthUrl,
        version: config.linkedin.version,
        clientId,
        clientSecret,
        fetch: overrides.linkedinFetch,
        now,
        ...clientObservers,
      });
    }
    linkedin = logLinkedInFailures(linkedin, { logger, scope: requestScope });

    const clientOptions: webApi.WebClientOptions = {
      slackApiUrl: overrides.slack?.apiUrl ?? config.slack.apiUrl,
      logger: toBoltLogger(logger),
      ...(overrides.slack?.fetch ? { fetch: overrides.slack.fetch } : {}),
      ...(overrides.slack?.retryConfig ? { retryConfig: overrides.slack.retryConfig } : {}),
    };
    const slackClient = new webApi.WebClient(botToken, clientOptions);

    // The notifier needs the link service (for fresh links) and the service needs the notifier: bound late.
    let notifier: LinkNotifier = async () => {};
    const linking = createLinkService({
      repos: db.repos,
      linkedin,
      now,
      notify: (event) => notifier(event),
      ticketKey: deriveTicketKey(tokenKey ?? signingSecret ?? botToken!),
      publicUrl: config.publicUrl,
      logger: logger.child({ component: 'linking' }),
    });
    const slackDeps: SlackDeps = { config, repos: db.repos, linking, logger, now, client: slackClient };
    notifier = createSlackLinkNotifier(slackDeps);

    const context: AppContext = {
      config,
      db,
      linkedin,
      linking,
      logger,
      clock,
      slackClient,
      sandbox,
      metrics,
      observe: appObservers(metrics),
    };
    const slack = buildSlackApp({
      deps: slackDeps,
      botToken: botToken!,
      signingSecret,
      appToken,
      clientOptions,
      processBeforeResponse: overrides.slack?.processBeforeResponse,
      botIdentity: overrides.slack?.botIdentity,
      receiver: { onOutcome: slackRequestObserver(metrics) },
      extensions: (overrides.extensions ?? DEFAULT_EXTENSIONS).map((build) => build(context)),
    });
    cleanup.push(() => slack.stop());

    const server = await buildServer({
      config,
      db,
      linking,
      slack: { mode: slack.mode, receiver: slack.receiver },
      logger,
      clock,
      linkedinOAuth: { authorizeBaseUrl, clientId, clientSecret },
      sandbox,
      metrics: { registry: metrics.registry, token: config.metrics.token },
      requestScope,
    });

    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= (async () => {
        await server.close();
        await runCleanup(cleanup, logger);
      })();
      return closing;
    };
    return { ...context, server, slack, close };
  } catch (error) {
    await runCleanup(cleanup, logger);
    throw error;
  }
}

async function runCleanup(steps: Array<() => Promise<void> | void>, logger: Logger): Promise<void> {
  for (const step of [...steps].reverse()) {
    try {
      await step();
    } catch (error) {
      logger.warn({ err: error }, 'a shutdown step failed');
    }
  }
  steps.length = 0;
}

/** Where a sandbox token key is kept: next to the database file. */
function dataDirOf(databaseUrl: string): string {
  const path = resolveDatabasePath(databaseUrl);
  return path === ':memory:' ? resolve('data') : dirname(resolve(path));
}

async function buildDefaultSandbox(config: Config, now: () => number): Promise<SandboxHandle> {
  // Loaded only in sandbox mode, so a live deployment never loads the simulator.
  const { buildSandbox } = await import('./sandbox/index.js');
  return buildSandbox({
    seed: config.sandbox.seed,
    now,
    redirectUriPrefixes: [`${config.publicUrl}${LINK_CALLBACK_PATH}`],
  });
}

/** Starts the bot: listens on PORT, connects Socket Mode if configured, and shuts down cleanly on SIGTERM/SIGINT. */
export async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  let app: AppHandles;
  try {
    app = await createApp(config, { logger, metrics: createMetrics({ defaultMetrics: true }) });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    // In-flight requests normally finish in well under Slack's 3 s; never hang forever.
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    app.close().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  await app.server.listen({ port: config.port, host: config.host });
  await app.slack.start();
  logger.info(
    {
      slack: app.slack.mode === 'socket' ? 'socket mode' : `${config.publicUrl}/slack/events`,
      linkedin: config.linkedin.mode,
      linkedinConsent:
        config.linkedin.mode === 'sandbox' ? `${config.publicUrl}${SANDBOX_PREFIX}/oauth/v2` : config.linkedin.oauthUrl,
    },
    'audience bot ready',
  );
}

const isEntryPoint = (() => {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
})();

if (isEntryPoint) {
  main().catch((error: unknown) => {
    process.stderr.write(`The bot could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
