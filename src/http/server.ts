/**
 * The one HTTP server: Slack's request URL, the LinkedIn linking routes, health, and (in sandbox mode) a window
 * onto the in-process LinkedIn sandbox. Built from its dependencies; listening and closing belong to the caller.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { Database } from '../db/types.js';
import type { LinkService } from '../linking/types.js';
import type { Logger } from '../logging.js';
import { requestLogging, requestServerOptions } from '../observability/requestLogging.js';
import type { RequestScope } from '../observability/requestScope.js';
import type { Sandbox } from '../sandbox/index.js';
import { mountSandbox } from '../sandbox/mount.js';
import type { FastifyReceiver } from '../slack/receiver.js';
import { healthRoutes } from './health.js';
import { type MetricsRouteOptions, metricsRoutes } from './metrics.js';
import { linkRoutes } from './oauth.js';

/** Where the in-process LinkedIn sandbox is reachable by browsers (its consent page) in sandbox mode. */
export const SANDBOX_PREFIX = '/linkedin-sandbox';

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export interface ServerDeps {
  config: Config;
  db: Database;
  linking: LinkService;
  /** Over HTTP the receiver serves `POST /slack/events`; in Socket Mode there is none. */
  slack: { mode: 'http' | 'socket'; receiver?: FastifyReceiver };
  logger: Logger;
  clock: Clock;
  /** LinkedIn's browser-facing OAuth base and the app's credentials, for the consent redirect. */
  linkedinOAuth: { authorizeBaseUrl: string; clientId: string; clientSecret: string };
  /** Sandbox mode: the in-process sandbox, reachable by browsers under `/linkedin-sandbox/*`. */
  sandbox?: Pick<Sandbox, 'app'>;
  /** `GET /metrics` (the app's registry, optionally behind a bearer token). */
  metrics?: MetricsRouteOptions;
  /** Keeps each request's logger reachable from work that does not see the request. */
  requestScope?: RequestScope;
}

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const startedAt = deps.clock.now();
  const server = Fastify({
    loggerInstance: deps.logger,
    // While closing, new requests get a 503 (and load balancers move on) instead of waiting.
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ...requestServerOptions(),
  });
  // First, so its hook (request id header, request scope) covers every route.
  await server.register(requestLogging, { scope: deps.requestScope });

  server.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    // Client errors keep Fastify's short message; server errors say nothing about internals.
    return reply.code(status).send(status >= 500 ? { error: 'internal_error' } : { error: error.message });
  });

  if (deps.slack.receiver) await server.register(deps.slack.receiver.plugin);
  await server.register(linkRoutes, {
    linking: deps.linking,
    publicUrl: deps.config.publicUrl,
    authorizeBaseUrl: deps.linkedinOAuth.authorizeBaseUrl,
    clientId: deps.linkedinOAuth.clientId,
    clientSecret: deps.linkedinOAuth.clientSecret,
  });
  await server.register(healthRoutes, {
    db: deps.db,
    now: () => deps.clock.now(),
    startedAt,
    slackMode: deps.slack.mode,
    linkedInMode: deps.config.linkedin.mode,
  });
  if (deps.metrics) await server.register(metricsRoutes, deps.metrics);
  // The sandbox's own forwarding plugin: raw bodies (its consent page posts a form), prefixed redirects.
  if (deps.sandbox) await server.register(mountSandbox(deps.sandbox), { prefix: SANDBOX_PREFIX });
  return server;
}
