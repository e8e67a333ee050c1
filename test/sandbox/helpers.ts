import { buildSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';

/** A fixed, movable clock: tests never depend on the real date. 2026-11-29T12:00Z. */
export function testClock(start = Date.UTC(2026, 10, 29, 12)) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
    set: (ms: number) => {
      t = ms;
    },
  };
}

export const VERSION = '202609';
export const BASE = 'http://sandbox.test';
export const SECOND = 1000;
export const DAY = 86_400_000;

export const DOC_SAMPLE_BODY = {
  request: {
    requestMetaData: { sponsoredAccount: 'urn:li:sponsoredAccount:123' },
    targetingCriteria: {
      include: {
        and: [
          { or: { 'urn:li:adTargetingFacet:locations': ['urn:li:geo:105080838'] } },
          { or: { 'urn:li:adTargetingFacet:interfaceLocales': ['urn:li:locale:en_US'] } },
          { or: { 'urn:li:adTargetingFacet:skills': ['urn:li:skill:236', 'urn:li:skill:242', 'urn:li:skill:252'] } },
        ],
      },
    },
    groupBy: 'urn:li:adTargetingFacet:jobFunctions',
    maxReturnCount: 5,
  },
};

/** Percent-encodes like linkedin-api-js-client's encoder (reference §10.1) for building Rest.li queries in tests. */
export function restliEncode(value: unknown): string {
  if (Array.isArray(value)) return `List(${value.map(restliEncode).join(',')})`;
  if (value !== null && typeof value === 'object') {
    return `(${Object.entries(value)
      .map(([k, v]) => `${restliEncode(k)}:${restliEncode(v)}`)
      .join(',')})`;
  }
  const s = String(value);
  if (s === '') return "''";
  return encodeURIComponent(s).replace(/[,()':]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface Api {
  sandbox: Sandbox;
  token: string;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  call(path: string, init: RequestInit): Promise<Response>;
}

export function apiFor(sandbox: Sandbox, token: string): Api {
  const headers = (extra: Record<string, string> = {}) => ({
    Authorization: `Bearer ${token}`,
    'LinkedIn-Version': VERSION,
    'X-Restli-Protocol-Version': '2.0.0',
    ...extra,
  });
  return {
    sandbox,
    token,
    get: (path, extra) => sandbox.fetch(`${BASE}${path}`, { headers: headers(extra) }),
    post: (path, body, extra) =>
      sandbox.fetch(`${BASE}${path}`, {
        method: 'POST',
        headers: headers({ 'Content-Type': 'application/json', ...extra }),
        body: JSON.stringify(body),
      }),
    call: (path, init) =>
      sandbox.fetch(`${BASE}${path}`, {
        ...init,
        headers: { ...headers(), ...(init.headers as Record<string, string>) },
      }),
  };
}

export async function sandboxWithApi(opts: SandboxOptions = {}, member = 'maya-chen') {
  const clock = testClock();
  const sandbox = await buildSandbox({ now: clock.now, ...opts });
  const api = apiFor(sandbox, sandbox.issueToken(member).access_token);
  return { sandbox, clock, api };
}

export const insightsBody = (over: Record<string, unknown> = {}) => ({
  request: { ...DOC_SAMPLE_BODY.request, ...over },
});
