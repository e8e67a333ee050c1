/**
 * Serving the sandbox through another Fastify server, for sandbox mode of the bot.
 *
 * What the main server should do in sandbox mode:
 *   1. `const sandbox = await buildSandbox({ seed, clientId, clientSecret })` and pass `sandbox.fetch` to the
 *      LinkedIn client (API calls and the server-side token exchange stay in-process).
 *   2. `await app.register(mountSandbox(sandbox), { prefix: '/linkedin-sandbox' })` so a browser can reach the
 *      authorize page at `${PUBLIC_URL}/linkedin-sandbox/oauth/v2/authorization`; build the authorization URL from
 *      that base (LINKEDIN_OAUTH_URL = `${PUBLIC_URL}/linkedin-sandbox/oauth/v2`).
 *   3. `await sandbox.close()` on shutdown.
 * Everything under the prefix is forwarded, so the /rest API is reachable the same way (handy for curl).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Sandbox } from './index.js';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host', 'upgrade']);

/** Forwards one request (path relative to the prefix) to the sandbox app and copies the answer back. */
export async function forwardToSandbox(
  sandbox: Pick<Sandbox, 'app'>,
  req: FastifyRequest,
  reply: FastifyReply,
  prefix: string,
): Promise<FastifyReply> {
  const url = req.url.startsWith(prefix) ? req.url.slice(prefix.length) || '/' : req.url;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const body = Buffer.isBuffer(req.body) ? req.body : typeof req.body === 'string' ? req.body : undefined;
  const res = await sandbox.app.inject({
    method: req.method as 'GET',
    url,
    headers,
    ...(body !== undefined && body.length > 0 ? { payload: body } : {}),
  });
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    // A redirect to one of the sandbox's own paths must keep the prefix.
    if (name === 'location' && typeof value === 'string' && value.startsWith('/'))
      reply.header(name, `${prefix}${value}`);
    else reply.header(name, value);
  }
  return reply.code(res.statusCode).send(res.rawPayload);
}

/** A Fastify plugin forwarding everything under its prefix to the sandbox (register it with `{ prefix }`). */
export function mountSandbox(sandbox: Pick<Sandbox, 'app'>): FastifyPluginAsync {
  return async (instance) => {
    // Encapsulated: the parent's body parsers are untouched; here bodies pass through as raw bytes.
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    instance.all('/*', (req, reply) => forwardToSandbox(sandbox, req, reply, instance.prefix));
  };
}
