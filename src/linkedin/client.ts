/**
 * `createLinkedInClient` implements `LinkedInApi` over HTTP. The same client talks to LinkedIn and to the
 * sandbox (a loopback port, or an in-process `fetch`), so the bot cannot tell them apart.
 */
import { accountEndpoints } from './accounts.js';
import type { LinkedInApi } from './api.js';
import { type CallInfo, createRequestCore } from './core.js';
import { entityEndpoints } from './entities.js';
import { insightsEndpoints } from './insights.js';
import { createNameResolver, type NameCacheEvent, type NameCacheStats } from './names.js';
import { oauthEndpoints } from './oauth.js';
import { segmentEndpoints } from './segments.js';
import { templateEndpoints } from './templates.js';

export interface LinkedInClientOptions {
  /** e.g. `https://api.linkedin.com/rest` */
  apiUrl: string;
  /** e.g. `https://www.linkedin.com/oauth/v2` */
  oauthUrl: string;
  /** Default: `apiUrl` with its trailing `/rest` replaced by `/v2/userinfo`. */
  userInfoUrl?: string;
  /** `LinkedIn-Version`, `YYYYMM` or `YYYYMM.RR`. */
  version: string;
  clientId: string;
  clientSecret: string;
  fetch?: typeof fetch;
  /** Per attempt. Default 10000. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  backoff?: { baseMs: number; maxMs: number };
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Epoch ms: token expiry times, call durations, Retry-After dates and the name cache's TTL. */
  now?: () => number;
  /** Once per HTTP attempt, for metrics. */
  onCall?: (info: CallInfo) => void;
  nameCache?: { max?: number; ttlMs?: number; unknownTtlMs?: number };
  onCacheEvent?: (event: NameCacheEvent, count: number) => void;
}

export type LinkedInClient = LinkedInApi & {
  /** URN → display name for every URN asked (readable labels for unknown ones); never rejects. */
  resolveEntityNames(token: string, urns: readonly string[]): Promise<Map<string, string>>;
  nameCacheStats(): NameCacheStats;
};

export const DEFAULT_BACKOFF = { baseMs: 500, maxMs: 8000 };

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** `https://api.linkedin.com/rest` → `https://api.linkedin.com/v2/userinfo` (OpenID userinfo is unversioned). */
export const defaultUserInfoUrl = (apiUrl: string): string => {
  const base = trimSlash(apiUrl);
  return base.endsWith('/rest') ? `${base.slice(0, -'/rest'.length)}/v2/userinfo` : `${base}/v2/userinfo`;
};

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createLinkedInClient(opts: LinkedInClientOptions): LinkedInClient {
  const apiUrl = trimSlash(opts.apiUrl);
  const now = opts.now ?? Date.now;
  const core = createRequestCore({
    apiUrl,
    version: opts.version,
    fetch: opts.fetch ?? globalThis.fetch,
    timeoutMs: opts.timeoutMs ?? 10_000,
    retries: opts.retries ?? 3,
    backoff: opts.backoff ?? DEFAULT_BACKOFF,
    sleep: opts.sleep ?? defaultSleep,
    random: opts.random ?? Math.random,
    now,
    onCall: opts.onCall,
  });

  const entities = entityEndpoints(core);
  const names = createNameResolver({
    resolveUrns: entities.resolveUrns,
    max: opts.nameCache?.max,
    ttlMs: opts.nameCache?.ttlMs,
    unknownTtlMs: opts.nameCache?.unknownTtlMs,
    now: opts.now,
    onCacheEvent: opts.onCacheEvent,
  });

  return {
    ...insightsEndpoints(core),
    ...accountEndpoints(core),
    ...entities,
    ...segmentEndpoints(core),
    ...templateEndpoints(core),
    ...oauthEndpoints(core, {
      oauthUrl: trimSlash(opts.oauthUrl),
      userInfoUrl: opts.userInfoUrl ?? defaultUserInfoUrl(apiUrl),
      clientId: opts.clientId,
      clientSecret: opts.clientSecret,
      now,
    }),
    resolveEntityNames: names.resolveEntityNames,
    nameCacheStats: names.stats,
  };
}
