/**
 * The LinkedIn sandbox: a faithful offline simulator of the LinkedIn endpoints the bot uses (OAuth, /v2/userinfo,
 * /rest ad accounts, targeting facets and entities, audience counts, matched audiences, saved audience templates and
 * Audience Insights) over a deterministic synthetic member population.
 *
 * ```ts
 * const sandbox = await buildSandbox({ seed: 42 });
 * const { access_token } = sandbox.issueToken('maya-chen');
 * const res = await sandbox.fetch('http://sandbox/rest/adAccountUsers?q=authenticatedUser', {
 *   headers: { Authorization: `Bearer ${access_token}`, 'LinkedIn-Version': '202609' },
 * });
 * ```
 */
import type { FastifyInstance } from 'fastify';
import type { TokenResponse } from '../linkedin/types.js';
import { DEMO_ACCOUNTS, type DemoMember, demoMembers } from './accounts.js';
import { buildApp } from './app.js';
import { AudienceEngine } from './audience.js';
import { type Catalog, getCatalog } from './catalog.js';
import { memberById, type SandboxContext, type SandboxKnobs } from './context.js';
import { createInProcessFetch } from './fetch.js';
import { tokenResponse } from './oauth.js';
import { getPopulation, type Population } from './population.js';
import { hashSeed, mulberry32 } from './prng.js';
import { SegmentStore } from './segments.js';
import { TemplateStore } from './templates.js';
import { TokenStore } from './tokens.js';

export type { DemoAccountRole, DemoMember } from './accounts.js';
export { DEMO_ACCOUNTS } from './accounts.js';
export type { SandboxKnobs } from './context.js';
export { forwardToSandbox, mountSandbox } from './mount.js';
export type { MemberSpec, Population } from './population.js';
export { populationFromMembers } from './population.js';

export const DEFAULT_SEED = 42;
export const DEFAULT_POPULATION_SIZE = 200_000;
/** Demo app credentials (sandbox only; shaped like LinkedIn's). */
export const DEMO_CLIENT_ID = '78sandbx2demo1';
export const DEMO_CLIENT_SECRET = 'WPL_AP1.sandboxDemoSecret.q3Vx9w==';
/** The bot's scopes, granted by `issueToken` unless told otherwise. */
export const DEFAULT_SCOPES = ['r_ads', 'rw_ads', 'openid', 'profile'];

export interface SandboxOptions {
  seed?: number;
  /** Synthetic members (default 200,000, together standing for ~1B real members). */
  populationSize?: number;
  /** Epoch-ms clock for token lifetimes, code expiry and the version window. Default Date.now. */
  now?: () => number;
  clientId?: string;
  clientSecret?: string;
  /** Allowed redirect_uri prefixes; default: any http(s) URL. */
  redirectUriPrefixes?: string[];
  knobs?: Partial<SandboxKnobs>;
  logger?: boolean;
  /** A hand-built population (see `populationFromMembers`) instead of the generated one — for exact-threshold tests. */
  population?: Population;
  /** How latency is waited for (default: a timer). Tests pass a recorder. */
  sleep?: (ms: number) => Promise<void>;
}

export interface IssueTokenOptions {
  scopes?: string[];
}

export interface Sandbox {
  app: FastifyInstance;
  /** In-process fetch routing any URL's path and query to `app.inject()`; returns real `Response`s. */
  fetch: typeof fetch;
  /** Mutable at runtime; belongs to this instance only. */
  knobs: SandboxKnobs;
  clientId: string;
  clientSecret: string;
  members: DemoMember[];
  /** A valid token set for a member without the browser round-trip (test helper). */
  issueToken(memberId: string, opts?: IssueTokenOptions): TokenResponse;
  close(): Promise<void>;
  /** The synthetic world, for tests and benchmarks that check numbers independently. */
  population: Population;
  catalog: Catalog;
}

export async function buildSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const seed = opts.seed ?? DEFAULT_SEED;
  const now = opts.now ?? Date.now;
  const catalog = getCatalog();
  const population = opts.population ?? getPopulation(catalog, seed, opts.populationSize ?? DEFAULT_POPULATION_SIZE);
  const engine = new AudienceEngine(catalog, population);
  const knobs: SandboxKnobs = { latencyMs: 0, rate429: 0, rate500: 0, provisioned: true, ...opts.knobs };
  const ctx: SandboxContext = {
    catalog,
    population,
    engine,
    segments: new SegmentStore(engine, seed),
    tokens: new TokenStore(now),
    templates: new TemplateStore(),
    members: demoMembers(),
    accounts: DEMO_ACCOUNTS,
    knobs,
    now,
    faultRng: mulberry32(hashSeed(seed, 'faults')),
    sleep: opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    clientId: opts.clientId ?? DEMO_CLIENT_ID,
    clientSecret: opts.clientSecret ?? DEMO_CLIENT_SECRET,
    ...(opts.redirectUriPrefixes ? { redirectUriPrefixes: opts.redirectUriPrefixes } : {}),
  };
  const app = buildApp(ctx, { logger: opts.logger ?? false });
  await app.ready();

  return {
    app,
    fetch: createInProcessFetch(app),
    knobs,
    clientId: ctx.clientId,
    clientSecret: ctx.clientSecret,
    members: ctx.members,
    population,
    catalog,
    issueToken(memberId, issueOpts = {}) {
      if (!memberById(ctx, memberId)) throw new Error(`Unknown demo member ${memberId}`);
      const { grant, access } = ctx.tokens.grant(memberId, ctx.clientId, issueOpts.scopes ?? DEFAULT_SCOPES);
      return tokenResponse(ctx, grant, access);
    },
    close: () => app.close(),
  };
}
