/**
 * A small scripted `fetch` for the client's unit tests: it records every request and answers each one with the
 * next step of a script (a response, a network failure, or a hang that only ends when the request is aborted).
 */
import { createLinkedInClient, type LinkedInClientOptions } from '../../src/linkedin/client.js';

export interface RecordedRequest {
  url: string;
  method: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body?: string;
  /** Path and query of the URL, e.g. `/rest/adAccounts?ids=List(1)`. */
  path: string;
  query: string;
}

export type Step =
  | { status: number; json?: unknown; text?: string; headers?: Record<string, string> }
  | { network: string }
  | { hang: true }
  | ((req: RecordedRequest) => Step | Promise<Step>);

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Step => ({
  status,
  json: body,
  headers,
});

export function scriptedFetch(script: Step[] | ((req: RecordedRequest) => Step | Promise<Step>)) {
  const requests: RecordedRequest[] = [];
  const queue = Array.isArray(script) ? [...script] : undefined;

  const fetchImpl = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, key) => {
      headers[key] = value;
    });
    const parsed = new URL(url);
    const req: RecordedRequest = {
      url,
      method: init.method ?? 'GET',
      headers,
      body: typeof init.body === 'string' ? init.body : init.body === undefined ? undefined : String(init.body),
      path: parsed.pathname + parsed.search,
      query: parsed.search.replace(/^\?/, ''),
    };
    requests.push(req);

    let step: Step | undefined = queue ? queue.shift() : (script as (r: RecordedRequest) => Step)(req);
    if (step === undefined) throw new Error(`scriptedFetch: no step left for ${req.method} ${req.path}`);
    while (typeof step === 'function') step = await step(req);

    if ('network' in step) throw new TypeError(step.network);
    if ('hang' in step) {
      const signal = init.signal;
      return new Promise<Response>((_, reject) => {
        signal?.addEventListener('abort', () => reject(new DOMException('This operation was aborted', 'AbortError')));
      });
    }
    const body = step.text ?? (step.json === undefined ? '' : JSON.stringify(step.json));
    const nullBody = step.status === 204 || step.status === 304;
    return new Response(nullBody ? null : body, {
      status: step.status,
      headers: { ...(step.json !== undefined ? { 'content-type': 'application/json' } : {}), ...step.headers },
    });
  };

  return {
    fetch: fetchImpl as typeof fetch,
    requests,
    get remaining() {
      return queue?.length ?? 0;
    },
  };
}

export const API_URL = 'http://linkedin.test/rest';
export const OAUTH_URL = 'http://linkedin.test/oauth/v2';
export const TOKEN = 'AQV-member-access-token-0123456789';
export const CLIENT_SECRET = 'client-secret-do-not-leak';

/** A client over a scripted fetch, with instant, recorded sleeps and a fixed random. */
export function testClient(
  script: Step[] | ((req: RecordedRequest) => Step | Promise<Step>),
  overrides: Partial<LinkedInClientOptions> = {},
) {
  const scripted = scriptedFetch(script);
  const sleeps: number[] = [];
  const calls: Array<Parameters<NonNullable<LinkedInClientOptions['onCall']>>[0]> = [];
  const client = createLinkedInClient({
    apiUrl: API_URL,
    oauthUrl: OAUTH_URL,
    version: '202601',
    clientId: 'client-id-123',
    clientSecret: CLIENT_SECRET,
    fetch: scripted.fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    onCall: (info) => calls.push(info),
    ...overrides,
  });
  return { client, requests: scripted.requests, sleeps, calls, scripted };
}
