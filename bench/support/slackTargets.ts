/**
 * The three servers the Slack load bench compares, each answering `POST /slack/events` on 127.0.0.1:
 *   ours — the real bot from `createApp` (Fastify + our FastifyReceiver + Bolt, SQLite, the sandbox), with the
 *          recording fake Slack as the Web API;
 *   bolt — Bolt's own `HTTPReceiver` (plain node:http) running a Bolt App with the SAME listeners and deps;
 *   bare — a Fastify route that only verifies the v0 signature (HMAC + ±5 minutes) and answers 200.
 * Each counts the requests it fully handled (listener finished / signature verified), so the bench can prove
 * every 2xx it counted came from real work and not from a dedupe, a deadline or a shortcut.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, HTTPReceiver, type webApi } from '@slack/bolt';
import Fastify from 'fastify';
import { loadConfig } from '../../src/config.js';
import { checkSlackSignature } from '../../src/http/slackSignature.js';
import { createLogger, type Logger, toBoltLogger } from '../../src/logging.js';
import { type AppHandles, createApp, DEFAULT_EXTENSIONS, type SlackExtensionFactory } from '../../src/main.js';
import { requestServerOptions } from '../../src/observability/requestLogging.js';
import { BOLT_APP_DEFAULTS, registerListeners, type SlackDeps, type SlackExtension } from '../../src/slack/app.js';
import { createFakeSlack, type FakeSlack } from '../../test/support/fakeSlack.js';
import { SLACK_EVENTS_URL, TEST_TEAM_ID } from '../../test/support/slackRequests.js';

export const TARGET_KINDS = ['ours', 'bolt', 'bare'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export const TARGET_LABELS: Record<TargetKind, string> = {
  ours: '(a) ours: Fastify + FastifyReceiver + Bolt',
  bolt: "(b) Bolt's HTTPReceiver, same listeners",
  bare: '(c) bare Fastify, signature check only',
};

const BOT_IDENTITY = { botId: 'BBENCH', botUserId: 'UBENCH' };

export interface RunningTarget {
  kind: TargetKind;
  port: number;
  /** Requests fully handled so far: the Bolt listener chain finished, or (bare) the signature verified. */
  handled(): number;
  /** Outbound Slack Web API calls the fake saw, and the ones it did not serve (must stay 0). */
  slackCalls(): { calls: number; unexpected: number };
  close(): Promise<void>;
}

/**
 * The Bolt listeners (a) and (b) both run: `core` (the listener folders: /audience, the linking actions, App Home)
 * or `production` (those plus the default extensions, i.e. the query flow, as `createApp` registers them by default).
 * Both register them through the listener router, so the count matters little (`npm run bench:dispatch`).
 */
export type ListenerSet = 'core' | 'production';

export interface TargetOptions {
  signingSecret: string;
  /** The log level every target uses; the comparison is only fair when they all log alike. */
  logLevel: 'silent' | 'info';
  listeners: ListenerSet;
}

export function startTarget(kind: TargetKind, options: TargetOptions): Promise<RunningTarget> {
  switch (kind) {
    case 'ours':
      return startOurs(options);
    case 'bolt':
      return startBoltHttpReceiver(options);
    case 'bare':
      return startBareFastify(options);
  }
}

/**
 * Counts Bolt requests whose listener chain completed without throwing, identically in both Bolt apps: their
 * `processEvent` (which the receiver calls for every request it hands over) wrapped. Not a Bolt middleware: that
 * would add one middleware call (a copy of the listener arguments) to every request of (a) and (b).
 */
function countCompletions(app: App): () => number {
  let completed = 0;
  const processEvent = app.processEvent.bind(app);
  app.processEvent = async (event) => {
    await processEvent(event);
    completed += 1;
  };
  return () => completed;
}

interface Bot {
  handles: AppHandles;
  /** The extensions (a) registered, for (b) to register the same way. */
  extensions: readonly SlackExtensionFactory[];
  slack: FakeSlack;
  botToken: string;
  clientOptions: webApi.WebClientOptions;
  /** Requests (a) handled: see countCompletions. */
  handled: () => number;
  dispose(): Promise<void>;
}

/**
 * The real bot, as production builds it (processBeforeResponse off, real clock), with the fake Slack at the edge
 * and a throw-away SQLite file. Not listening yet.
 */
async function buildBot(options: TargetOptions): Promise<Bot> {
  const dir = mkdtempSync(join(tmpdir(), 'audience-bench-'));
  const botToken = `xoxb-bench-${randomBytes(8).toString('hex')}`;
  const slack = createFakeSlack({ teamId: TEST_TEAM_ID, botId: BOT_IDENTITY.botId, botUserId: BOT_IDENTITY.botUserId });
  const config = loadConfig({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    PUBLIC_URL: 'https://audience-bot.bench',
    DATABASE_URL: join(dir, 'bot.sqlite'),
    LINKEDIN_MODE: 'sandbox',
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    SLACK_SIGNING_SECRET: options.signingSecret,
    SLACK_BOT_TOKEN: botToken,
    SLACK_API_URL: slack.apiUrl,
    LOG_LEVEL: options.logLevel,
  });
  const logger = createLogger(options.logLevel);
  const retryConfig = { retries: 0 };
  const extensions = options.listeners === 'production' ? DEFAULT_EXTENSIONS : [];
  let handles: AppHandles;
  try {
    handles = await createApp(config, {
      logger,
      slack: { fetch: slack.fetch, apiUrl: slack.apiUrl, retryConfig, botIdentity: BOT_IDENTITY },
      extensions,
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  // What createApp gives its own Bolt App, so the HTTPReceiver app talks to the same fake the same way.
  const clientOptions: webApi.WebClientOptions = {
    slackApiUrl: slack.apiUrl,
    logger: toBoltLogger(logger),
    fetch: slack.fetch,
    retryConfig,
  };
  return {
    handles,
    extensions,
    slack,
    botToken,
    clientOptions,
    handled: countCompletions(handles.slack.app),
    dispose: async () => {
      await handles.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const slackCallsOf = (slack: FakeSlack) => () => ({ calls: slack.calls.length, unexpected: slack.unexpected.length });

async function startOurs(options: TargetOptions): Promise<RunningTarget> {
  const bot = await buildBot(options);
  await bot.handles.server.listen({ port: 0, host: '127.0.0.1' });
  const { port } = bot.handles.server.server.address() as AddressInfo;
  return { kind: 'ours', port, handled: bot.handled, slackCalls: slackCallsOf(bot.slack), close: bot.dispose };
}

/**
 * Bolt's default HTTP stack with our listeners registered exactly as `buildSlackApp` registers them (same core
 * listener folders, same deps, same error policy, same single-workspace authorize with known bot ids).
 */
async function startBoltHttpReceiver(options: TargetOptions): Promise<RunningTarget> {
  const bot = await buildBot(options);
  const { handles } = bot;
  const deps: SlackDeps = {
    config: handles.config,
    repos: handles.db.repos,
    linking: handles.linking,
    logger: handles.logger,
    now: () => handles.clock.now(),
    client: handles.slackClient,
  };
  const boltLogger = toBoltLogger(handles.logger);
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    endpoints: SLACK_EVENTS_URL,
    logger: boltLogger,
    processBeforeResponse: false,
  });
  const app = new App({
    receiver,
    authorize: async () => ({ botToken: bot.botToken, ...BOT_IDENTITY }),
    logger: boltLogger,
    clientOptions: bot.clientOptions,
    ...BOLT_APP_DEFAULTS,
  });
  app.error(async (error) => {
    throw error;
  });
  const handled = countCompletions(app);
  // Built from the same context createApp gives its own extensions, and registered in the same order.
  const extensions: SlackExtension[] = bot.extensions.map((build) => build(handles));
  // The same listener router createApp installs: the core folders, then the extensions.
  registerListeners(app, deps, extensions);
  const server = await receiver.start({ port: 0, host: '127.0.0.1' });
  const { port } = server.address() as AddressInfo;
  return {
    kind: 'bolt',
    port,
    handled,
    slackCalls: slackCallsOf(bot.slack),
    close: async () => {
      await receiver.stop();
      await bot.dispose();
    },
  };
}

/**
 * The floor: what any Slack endpoint on Fastify must do (read the raw body, check the signature), nothing more.
 * Its request ids and request line are ours (`requestServerOptions`), so at any log level it logs what (a) logs
 * per request, and no more: Fastify's default would write two lines a request and build a child logger at `silent`.
 */
async function startBareFastify(options: TargetOptions): Promise<RunningTarget> {
  const logger: Logger = createLogger(options.logLevel);
  const server = Fastify({ loggerInstance: logger, ...requestServerOptions() });
  let verified = 0;
  server.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );
  server.post(SLACK_EVENTS_URL, async (request, reply) => {
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const check = checkSlackSignature({
      signingSecret: options.signingSecret,
      rawBody: typeof request.body === 'string' ? request.body : '',
      timestamp: header('x-slack-request-timestamp'),
      signature: header('x-slack-signature'),
      nowMs: Date.now(),
    });
    if (!check.ok) return reply.code(401).send();
    verified += 1;
    return reply.code(200).send();
  });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const { port } = server.server.address() as AddressInfo;
  return {
    kind: 'bare',
    port,
    handled: () => verified,
    slackCalls: () => ({ calls: 0, unexpected: 0 }),
    close: () => server.close(),
  };
}
