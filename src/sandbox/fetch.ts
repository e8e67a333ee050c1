/**
 * An in-process `fetch` over `app.inject()`: any URL's path and query go to the sandbox app, with method, headers and
 * body, and a real `Response` comes back. Redirects are followed only when they stay on the sandbox (relative or
 * same-origin Location); a redirect elsewhere — the OAuth callback — is returned as is, since that host is not the
 * sandbox.
 */
import type { FastifyInstance } from 'fastify';

const PLACEHOLDER_ORIGIN = 'http://linkedin-sandbox.invalid';
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);
const MAX_REDIRECTS = 10;

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

export function createInProcessFetch(app: FastifyInstance): typeof fetch {
  const once = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const body =
      request.method === 'GET' || request.method === 'HEAD' ? undefined : Buffer.from(await request.arrayBuffer());
    const injected = app.inject({
      method: request.method as 'GET',
      url: `${url.pathname}${url.search}`,
      headers,
      ...(body && body.length > 0 ? { payload: body } : {}),
    });
    const signal = request.signal;
    const res = signal
      ? await new Promise<Awaited<typeof injected>>((resolve, reject) => {
          if (signal.aborted) return reject(abortError(signal));
          const onAbort = () => reject(abortError(signal));
          signal.addEventListener('abort', onAbort, { once: true });
          injected.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
        })
      : await injected;
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value === undefined || name === 'content-length' || name === 'transfer-encoding') continue;
      for (const v of Array.isArray(value) ? value : [value]) responseHeaders.append(name, String(v));
    }
    const response = new Response(NULL_BODY_STATUSES.has(res.statusCode) ? null : new Uint8Array(res.rawPayload), {
      status: res.statusCode,
      statusText: res.statusMessage,
      headers: responseHeaders,
    });
    Object.defineProperty(response, 'url', { value: request.url });
    return response;
  };

  return async (input, init) => {
    const raw = input instanceof Request ? input : new Request(new URL(String(input), PLACEHOLDER_ORIGIN), init);
    let request = input instanceof Request && init ? new Request(input, init) : raw;
    for (let hop = 0; ; hop++) {
      const response = await once(request);
      const location = response.headers.get('location');
      if (request.redirect !== 'follow' || response.status < 300 || response.status >= 400 || !location)
        return response;
      const target = new URL(location, request.url);
      // 307/308 would need the body replayed; the sandbox never sends them, so they are returned as they are.
      const keepsMethod = response.status === 307 || response.status === 308;
      if (keepsMethod || target.origin !== new URL(request.url).origin || hop >= MAX_REDIRECTS) return response;
      request = new Request(target, { method: 'GET', headers: request.headers, signal: request.signal });
    }
  };
}
