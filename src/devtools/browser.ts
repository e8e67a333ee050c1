/**
 * A tiny browser over `fastify.inject()`: keeps cookies (as Set-Cookie said, by path) and follows redirects
 * that point back at the server's public URL. Enough to walk the LinkedIn link flow (start → sandbox consent →
 * callback) in-process, with the cookie binding the OAuth state to "this browser". Used by the demo; the same
 * code test/support/browser.ts re-exports.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

interface Cookie {
  name: string;
  value: string;
  path: string;
}

export interface Browser {
  /** GET a URL (absolute on the public URL, or a path). Does not follow redirects. */
  get(url: string): Promise<LightMyRequestResponse>;
  /** POST a form (e.g. the sandbox consent page's Approve/Cancel). Does not follow redirects. */
  post(url: string, form: Record<string, string>): Promise<LightMyRequestResponse>;
  /** GET and follow redirects on the public URL, up to `max` hops; returns every response in order. */
  follow(url: string, max?: number): Promise<LightMyRequestResponse[]>;
  cookies(): Cookie[];
  clearCookies(): void;
}

export function createBrowser(server: FastifyInstance, publicUrl: string): Browser {
  const origin = new URL(publicUrl).origin;
  let jar: Cookie[] = [];

  const pathOf = (url: string): string => {
    if (url.startsWith('/')) return url;
    const parsed = new URL(url);
    if (parsed.origin !== origin) throw new Error(`This browser only visits ${origin}, not ${parsed.origin}`);
    return `${parsed.pathname}${parsed.search}`;
  };

  const store = (setCookie: string | string[] | undefined, requestPath: string) => {
    for (const line of [setCookie ?? []].flat()) {
      const [pair, ...attributes] = line.split(';').map((s) => s.trim());
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = decodeURIComponent(pair!.slice(eq + 1));
      const attr = new Map(
        attributes.map((a) => {
          const i = a.indexOf('=');
          return i < 0 ? [a.toLowerCase(), ''] : [a.slice(0, i).toLowerCase(), a.slice(i + 1)];
        }),
      );
      const defaultPath = requestPath.split('?')[0]!.replace(/\/[^/]*$/, '') || '/';
      const path = attr.get('path') || defaultPath;
      const expired =
        attr.get('max-age') === '0' || (attr.has('expires') && Date.parse(attr.get('expires')!) <= Date.now());
      jar = jar.filter((c) => !(c.name === name && c.path === path));
      if (!expired) jar.push({ name, value, path });
    }
  };

  const cookieHeader = (path: string) =>
    jar
      .filter((c) => path === c.path || path.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`) || c.path === '/')
      .map((c) => `${c.name}=${encodeURIComponent(c.value)}`)
      .join('; ');

  const browser: Browser = {
    async get(url) {
      const path = pathOf(url);
      const cookie = cookieHeader(path.split('?')[0]!);
      const response = await server.inject({ method: 'GET', url: path, headers: cookie ? { cookie } : {} });
      store(response.headers['set-cookie'] as string | string[] | undefined, path);
      return response;
    },
    async post(url, form) {
      const path = pathOf(url);
      const cookie = cookieHeader(path.split('?')[0]!);
      const response = await server.inject({
        method: 'POST',
        url: path,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
        payload: new URLSearchParams(form).toString(),
      });
      store(response.headers['set-cookie'] as string | string[] | undefined, path);
      return response;
    },
    async follow(url, max = 5) {
      const responses: LightMyRequestResponse[] = [];
      let next: string | undefined = url;
      while (next !== undefined && responses.length <= max) {
        const response = await browser.get(next);
        responses.push(response);
        const location = response.headers.location;
        next =
          response.statusCode >= 300 && response.statusCode < 400 && typeof location === 'string'
            ? new URL(location, origin).origin === origin
              ? location
              : undefined
            : undefined;
      }
      return responses;
    },
    cookies: () => [...jar],
    clearCookies: () => {
      jar = [];
    },
  };
  return browser;
}
