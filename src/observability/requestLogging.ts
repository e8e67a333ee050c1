/**
 * Request ids and one log line per request. The id is the caller's `x-request-id` when it is a plain token
 * (a proxy's or load balancer's id, so lines can be followed across hops), else a fresh UUID; it is sent back as
 * `x-request-id` and is the `reqId` of every line logged while serving the request.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import {
  type FastifyBaseLogger,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import fp from 'fastify-plugin';
import type { RequestScope } from './requestScope.js';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Anything else (long, spaces, quotes, control characters) is not echoed into logs or headers. */
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** Paths polled by machines; their lines go out at debug level so they do not drown the rest. */
const PROBE_PATHS = new Set(['/healthz', '/metrics']);

export function requestIdFrom(req: Pick<IncomingMessage, 'headers'>): string {
  const header = req.headers[REQUEST_ID_HEADER];
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && ACCEPTABLE_REQUEST_ID.test(value) ? value : randomUUID();
}

/**
 * Fastify's request lines, reshaped: nothing when a request arrives or finds no route, one `request completed`
 * line when it ends (method, redacted URL, status, duration; `request errored` when the response failed).
 */
export class RequestLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const log = request.log;
    if (error) {
      log.error({ ...completionLine(request, reply), err: error }, 'request errored');
      return;
    }
    const level = reply.statusCode < 400 && PROBE_PATHS.has(pathOf(request.url)) ? 'debug' : 'info';
    // Skipped before the line is built: at a level that drops it, it would be built for nothing on every request.
    if (isLevelEnabled(log, level)) log[level](completionLine(request, reply), 'request completed');
  }

  // The completion line says 404 already; Fastify's own line would add the raw URL, query string included.
  override routeNotFound(): void {}
}

function completionLine(request: FastifyRequest, reply: FastifyReply) {
  return { req: request, res: reply, responseTimeMs: Math.round(reply.elapsedTime * 10) / 10 };
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function isLevelEnabled(log: FastifyBaseLogger, level: 'debug' | 'info'): boolean {
  const check = (log as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled;
  return typeof check === 'function' ? check.call(log, level) : true;
}

/**
 * Each request's logger is a child carrying its `reqId`. When the level is `silent` no line can be written, so the
 * request uses the server's logger and no child (with its redaction set-up) is built per request. Decided per
 * request: a level changed at run time gets its children back.
 */
export const requestChildLogger: NonNullable<FastifyServerOptions['childLoggerFactory']> = (
  logger,
  bindings,
  options,
) => (logger.level === 'silent' && options.level === undefined ? logger : logger.child(bindings, options));

/** Fastify options for request ids and request lines: spread into `Fastify({...})`. */
export function requestServerOptions(): Pick<
  FastifyServerOptions,
  'requestIdHeader' | 'genReqId' | 'logController' | 'childLoggerFactory'
> {
  return {
    // Read by `genReqId` instead, so that an unacceptable header value is replaced rather than trusted.
    requestIdHeader: false,
    genReqId: requestIdFrom,
    logController: new RequestLogController(),
    childLoggerFactory: requestChildLogger,
  };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false`: the route's requests are kept out of the request scope (see requestScope.ts). */
    requestScope?: boolean;
  }
}

/** Route config for routes whose requests need no request scope: nothing they run logs without seeing them. */
export const OUTSIDE_REQUEST_SCOPE = { requestScope: false } as const;

export interface RequestLoggingOptions {
  /** Keeps the request's logger current for work that does not see the request (LinkedIn failures). */
  scope?: RequestScope;
}

/**
 * Registered first on the root instance (not encapsulated), so its hook covers every route: the id header on
 * every answer, and the request scope around the rest of the request (unless the route opts out with
 * `OUTSIDE_REQUEST_SCOPE`), until its response is finished or abandoned.
 */
export const requestLogging = fp<RequestLoggingOptions>(
  async (instance, options) => {
    const scope = options.scope;
    instance.addHook('onRequest', (request, reply, done) => {
      reply.header(REQUEST_ID_HEADER, request.id);
      if (scope === undefined || request.routeOptions.config.requestScope === false) {
        done();
        return;
      }
      scope.run(request.log, (end) => {
        reply.raw.once('close', end);
        done();
      });
    });
  },
  { name: 'request-logging' },
);
