/**
 * `GET /metrics`: the app's Prometheus registry in the text exposition format. Open by default on the main port
 * (scrape it from inside the network); with METRICS_TOKEN set, only `Authorization: Bearer <token>` gets it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';

export const METRICS_PATH = '/metrics';

export interface MetricsRouteOptions {
  registry: Registry;
  /** When set, the bearer token a scraper must present. */
  token?: string;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

export const metricsRoutes: FastifyPluginAsync<MetricsRouteOptions> = async (instance, options) => {
  // Digests have equal lengths, so the comparison takes the same time whatever was sent.
  const expected = options.token ? digest(options.token) : undefined;
  const authorized = (header: string | undefined): boolean => {
    if (!expected) return true;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    return match !== null && timingSafeEqual(digest(match[1]!), expected);
  };

  instance.get(METRICS_PATH, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    if (!authorized(request.headers.authorization)) {
      return reply.code(401).header('www-authenticate', 'Bearer realm="metrics"').send({ error: 'unauthorized' });
    }
    const body = await options.registry.metrics();
    return reply.code(200).type(options.registry.contentType).send(body);
  });
};
