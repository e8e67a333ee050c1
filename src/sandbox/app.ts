/** Assembles the sandbox's Fastify app: body handling, OAuth + userinfo, the /rest gateway and its resources. */
import Fastify, { type FastifyInstance } from 'fastify';
import type { SandboxContext } from './context.js';
import { registerRestGateway } from './gateway.js';
import { registerOAuthRoutes } from './oauth.js';
import { adAccounts, adAccountUsers } from './resources/accounts.js';
import type { ResourceHandler } from './resources/common.js';
import { adTargetingEntities, adTargetingFacets } from './resources/entities.js';
import { adSegments, adTargetTemplates, audienceCounts, targetingAudienceInsights } from './resources/targeting.js';

const RESOURCES: Readonly<Record<string, ResourceHandler>> = {
  adAccountUsers,
  adAccounts,
  adTargetingFacets,
  adTargetingEntities,
  audienceCounts,
  adSegments,
  adTargetTemplates,
  targetingAudienceInsights,
};

export function buildApp(ctx: SandboxContext, opts: { logger: boolean }): FastifyInstance {
  const app = Fastify({
    // Request logs carry URLs only; tokens travel in headers and form bodies, which are not logged.
    logger: opts.logger ? { level: 'info' } : false,
    routerOptions: { maxParamLength: 10_000 },
    bodyLimit: 1024 * 1024,
  });
  // Every body arrives as text: handlers parse JSON, forms and multipart themselves, after the gateway checks, so a
  // bad body never masks a 401 or a 426.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  registerOAuthRoutes(app, ctx);
  registerRestGateway(app, ctx, RESOURCES);

  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .type('application/json')
      .send(JSON.stringify({ status: 404, message: `No route for ${req.method} ${req.url.split('?')[0]}` })),
  );
  app.setErrorHandler((error: { statusCode?: number; message?: string }, req, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) req.log.error({ err: error }, 'sandbox handler failed');
    return reply
      .code(status)
      .type('application/json')
      .send(
        JSON.stringify({
          status,
          message: status === 500 ? 'Internal Server Error' : (error.message ?? 'Bad request'),
        }),
      );
  });
  return app;
}
