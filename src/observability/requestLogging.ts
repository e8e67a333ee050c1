/**
 * Request ids and one log line per request. The id is the caller's `x-request-id` when it is a plain token
 * (a proxy's or load balancer's id, so lines can be followed across hops), else a fresh UUID; it is sent back as
 * `x-request-id` and is the `reqId` of every line logged while serving the request.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type FastifyReply, type FastifyRequest, type FastifyServerOptions, LogController } from 'fastify';
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
    const line = { req: request, res: reply, responseTimeMs: Math.round(reply.elapsedTime * 10) / 10 };
    if (error) {
      request.log.error({ ...line, err: error }, 'request errored');
      return;
    }
    const path = request.url.split('?', 1)[0] ?? '';
    const level = PROBE_PATHS.has(path) && reply.statusCode < 400 ? 'debug' : 'info';
    request.log[level](line, 'request completed');
  }

  // The completion line says 404 already; Fastify's own line would add the raw URL, query string included.
  override routeNotFound(): void {}
}

/** Fastify options for request ids and request lines: spread into `Fastify({...})`. */
export function requestServerOptions(): Pick<FastifyServerOptions, 'requestIdHeader' | 'genReqId' | 'logController'> {
  return {
    // Read by `genReqId` instead, so that an unacceptable header value is replaced rather than trusted.
    requestIdHeader: false,
    genReqId: requestIdFrom,
    logController: new RequestLogController(),
  };
}

export interface RequestLoggingOptions {
  /** Keeps the request's logger current for work that does not see the request (LinkedIn failures). */
  scope?: RequestScope;
}

/**
 * Registered first on the root instance (not encapsulated), so its hook covers every route: the id header on
 * every answer, and the request scope around the rest of the request.
 */
export const requestLogging = fp<RequestLoggingOptions>(
  async (instance, options) => {
    instance.addHook('onRequest', (request, reply, done) => {
      reply.header(REQUEST_ID_HEADER, request.id);
      if (options.scope) options.scope.run(request.log, done);
      else done();
    });
  },
  { name: 'request-logging' },
);
