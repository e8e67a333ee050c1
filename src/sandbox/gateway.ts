/**
 * The `/rest/*` gateway, in LinkedIn's order: URL length, added latency, access token, LinkedIn-Version, query
 * tunneling, Rest.li protocol header, injected throttling and failures, then the resource. Routing is done here
 * rather than by Fastify because tunneling turns a POST into a GET of another handler and the Rest.li method
 * depends on key, query and headers together.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { memberById, type SandboxContext } from './context.js';
import { classicError, RestError } from './errors.js';
import type { ResourceHandler, RestliMethod, RestRequest } from './resources/common.js';
import { isRestli2Syntax, QueryParams } from './restli.js';
import type { AccessToken } from './tokens.js';
import { isVersionActive, version8 } from './versions.js';

const MAX_URL_LENGTH = 8192;

const THROTTLED_BODY = {
  message: 'Resource level throttle limit for calls to this resource is reached.',
  serviceErrorCode: 101,
  status: 429,
};

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Looks the bearer token up; 401 bodies as LinkedIn sends them (reference §9.1). */
export function authenticate(ctx: SandboxContext, authorization: string | undefined): AccessToken {
  const value = authorization?.trim() ?? '';
  const token = /^Bearer\s+(.+)$/i.exec(value)?.[1]?.trim() ?? '';
  if (value === '' || token === '') {
    throw classicError(401, 'Empty oauth2_access_token', { code: 'EMPTY_ACCESS_TOKEN', serviceErrorCode: 401 });
  }
  const found = ctx.tokens.accessToken(token);
  if (!found || found.access.grant.clientId !== ctx.clientId) {
    throw classicError(401, 'Invalid access token', { code: 'INVALID_ACCESS_TOKEN', serviceErrorCode: 65600 });
  }
  if (found.state === 'expired') {
    throw classicError(401, 'The token used in the request has expired', {
      code: 'EXPIRED_ACCESS_TOKEN',
      serviceErrorCode: 65601,
    });
  }
  if (found.state === 'revoked') {
    throw classicError(401, 'The token used in the request has been revoked by the user', {
      code: 'REVOKED_ACCESS_TOKEN',
      serviceErrorCode: 65602,
    });
  }
  return found.access;
}

function checkVersion(ctx: SandboxContext, req: FastifyRequest): string {
  const version = header(req, 'linkedin-version')?.trim();
  if (!version) {
    throw new RestError(
      400,
      {
        status: 400,
        code: 'VERSION_MISSING',
        message: 'A version must be present. Please specify a version by adding the LinkedIn-Version header.',
      },
      { 'x-restli-gateway-error': 'true' },
    );
  }
  if (!isVersionActive(version, ctx.now(), ctx.knobs.activeVersions)) {
    throw classicError(426, `Requested version ${version8(version)} is not active`, { code: 'NONEXISTENT_VERSION' });
  }
  return version;
}

interface Tunneled {
  httpMethod: string;
  queryString: string;
  bodyText?: string;
}

/** Query tunneling (reference §2): a POST carrying the query in a form body, or form + JSON in multipart/mixed. */
function untunnel(req: FastifyRequest, urlQuery: string, rawBody: string | undefined): Tunneled {
  const override = header(req, 'x-http-method-override')?.trim().toUpperCase();
  if (!override) return { httpMethod: req.method, queryString: urlQuery, bodyText: rawBody };
  if (req.method !== 'POST') throw classicError(400, 'X-HTTP-Method-Override is only accepted on POST requests');
  const contentType = header(req, 'content-type') ?? '';
  const join = (a: string, b: string) => [a, b].filter((s) => s !== '').join('&');
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    return { httpMethod: override, queryString: join(urlQuery, (rawBody ?? '').trim()) };
  }
  const boundary = /^multipart\/mixed;.*boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (boundary) {
    const parts = (rawBody ?? '')
      .split(`--${boundary}`)
      .map((p) => p.replace(/^\r?\n/, ''))
      .filter((p) => p.trim() !== '' && !p.startsWith('--'));
    const contents = parts.map((p) => {
      const sep = p.search(/\r?\n\r?\n/);
      const headers = sep < 0 ? '' : p.slice(0, sep).toLowerCase();
      const content = (sep < 0 ? p : p.slice(sep).replace(/^\r?\n\r?\n/, '')).replace(/\r?\n$/, '');
      return { headers, content };
    });
    const form = contents.find((c) => c.headers.includes('application/x-www-form-urlencoded'));
    const json = contents.find((c) => c.headers.includes('application/json'));
    if (!form) throw classicError(400, 'Tunneled multipart request has no form-encoded query part');
    return { httpMethod: override, queryString: join(urlQuery, form.content.trim()), bodyText: json?.content };
  }
  throw classicError(
    400,
    'A tunneled request (X-HTTP-Method-Override) needs Content-Type application/x-www-form-urlencoded or multipart/mixed',
  );
}

function inferMethod(httpMethod: string, key: string | undefined, query: QueryParams): RestliMethod {
  switch (httpMethod) {
    case 'GET':
    case 'HEAD':
      if (key !== undefined) return 'GET';
      if (query.has('ids')) return 'BATCH_GET';
      if (query.has('q')) return 'FINDER';
      return 'GET_ALL';
    case 'POST':
      if (key !== undefined) return 'PARTIAL_UPDATE';
      if (query.has('action')) return 'ACTION';
      return 'CREATE';
    case 'DELETE':
      return key !== undefined ? 'DELETE' : 'BATCH_DELETE';
    default:
      throw classicError(405, `HTTP method ${httpMethod} is not supported`);
  }
}

function decodePathKey(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw classicError(400, `Malformed key ${raw}`);
  }
}

export function registerRestGateway(
  app: FastifyInstance,
  ctx: SandboxContext,
  resources: Readonly<Record<string, ResourceHandler>>,
): void {
  const handle = async (req: FastifyRequest, reply: FastifyReply) => {
    reply.header('x-li-uuid', randomBytes(16).toString('base64'));
    reply.header('x-li-fabric', 'sandbox');
    reply.header('x-restli-protocol-version', '2.0.0');
    try {
      const rawUrl = req.raw.url ?? req.url;
      if (rawUrl.length > MAX_URL_LENGTH) {
        throw classicError(414, 'Request-URI Too Long: use query tunneling (X-HTTP-Method-Override) for long queries');
      }
      if (ctx.knobs.latencyMs > 0) await ctx.sleep(ctx.knobs.latencyMs);
      const access = authenticate(ctx, header(req, 'authorization'));
      const version = checkVersion(ctx, req);

      const q = rawUrl.indexOf('?');
      const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
      const tunneled = untunnel(
        req,
        q < 0 ? '' : rawUrl.slice(q + 1),
        typeof req.body === 'string' ? req.body : undefined,
      );
      const query = QueryParams.parse(tunneled.queryString);
      const [resource = '', ...rest] = path.slice('/rest/'.length).split('/');
      const rawKey = rest.join('/');
      const restli2 = query.usesRestli2Syntax() || isRestli2Syntax(rawKey);
      if (restli2 && header(req, 'x-restli-protocol-version')?.trim() !== '2.0.0') {
        throw classicError(
          400,
          'Invalid query parameters passed to request: Rest.li 2.0 syntax (List(...) or (...)) requires the header X-Restli-Protocol-Version: 2.0.0',
          { code: 'ILLEGAL_ARGUMENT' },
        );
      }

      const roll = ctx.faultRng();
      if (roll < ctx.knobs.rate429) throw new RestError(429, { ...THROTTLED_BODY });
      if (roll < ctx.knobs.rate429 + ctx.knobs.rate500) {
        throw classicError(500, 'Internal Server Error', { code: 'INTERNAL_SERVER_ERROR' });
      }

      const handler = Object.hasOwn(resources, resource) ? resources[resource] : undefined;
      if (!handler) throw classicError(404, `No resource found for ${path}`, { code: 'NOT_FOUND' });
      const key = rawKey === '' ? undefined : decodePathKey(rawKey);

      let body: unknown;
      if (tunneled.bodyText !== undefined && tunneled.bodyText.trim() !== '') {
        try {
          body = JSON.parse(tunneled.bodyText);
        } catch {
          throw classicError(400, 'Request body is not valid JSON', { code: 'INVALID_JSON' });
        }
      }
      const member = memberById(ctx, access.grant.memberId)!;
      const restReq: RestRequest = {
        ctx,
        resource,
        method: inferMethod(tunneled.httpMethod, key, query),
        key,
        query,
        body,
        restliMethodHeader: header(req, 'x-restli-method')?.trim().toLowerCase(),
        member,
        access,
        version,
        version8: version8(version),
      };
      const res = await handler(restReq);
      for (const [name, value] of Object.entries(res.headers ?? {})) reply.header(name, value);
      reply.code(res.status);
      if (res.body === undefined) return reply.send();
      return reply.type('application/json').send(JSON.stringify(res.body));
    } catch (e) {
      if (!(e instanceof RestError)) throw e;
      for (const [name, value] of Object.entries(e.headers)) reply.header(name, value);
      return reply.code(e.status).type('application/json').send(JSON.stringify(e.body));
    }
  };
  app.route({ method: ['GET', 'POST', 'DELETE', 'PUT', 'PATCH'], url: '/rest/*', handler: handle });
}
